package dev.regula.examples.cli;

import dev.regula.data.AtomicFiles;
import dev.regula.mlp.EpochRecord;
import dev.regula.mlp.TrainingHistory;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Learning-curve charts of the study drawn with XChart, written as PNG and SVG. */
final class Charts {
    private static final Color[] COLORS = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private Charts() {}

    /**
     * Writes {@code accuracy.png/svg} and {@code loss.png/svg}: per variant, training (solid) and validation
     * (dashed) values per epoch.
     * @param histories the histories by variant name, in study order.
     * @param dir the output folder.
     * @throws IOException if writing fails.
     */
    static void write(Map<String, TrainingHistory> histories, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        save(chart("Accuracy per epoch (solid: training, dashed: validation)", "accuracy", histories,
                EpochRecord::accuracy, EpochRecord::valAccuracy), dir.resolve("accuracy"));
        save(chart("Loss per epoch (solid: training incl. penalty, dashed: validation)", "loss", histories,
                EpochRecord::loss, EpochRecord::valLoss), dir.resolve("loss"));
    }

    private static XYChart chart(String title, String yTitle, Map<String, TrainingHistory> histories,
                                 ToDoubleFunction<EpochRecord> train, ToDoubleFunction<EpochRecord> validation) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendBorderColor(Color.LIGHT_GRAY);
        chart.getStyler().setXAxisDecimalPattern("#");
        int i = 0;
        for (Map.Entry<String, TrainingHistory> e : histories.entrySet()) {
            List<EpochRecord> records = e.getValue().getEpochs();
            if (records.isEmpty()) {
                continue;
            }
            double[] x = new double[records.size()];
            double[] yt = new double[records.size()];
            double[] yv = new double[records.size()];
            for (int r = 0; r < records.size(); r++) {
                x[r] = records.get(r).epoch();
                yt[r] = train.applyAsDouble(records.get(r));
                yv[r] = validation.applyAsDouble(records.get(r));
            }
            Color c = COLORS[colorIndex(e.getKey(), i++) % COLORS.length];
            XYSeries st = chart.addSeries(e.getKey() + " train", x, yt);
            st.setLineColor(c);
            st.setMarker(SeriesMarkers.NONE);
            st.setLineStyle(new BasicStroke(2f));
            XYSeries sv = chart.addSeries(e.getKey() + " val", x, yv);
            sv.setLineColor(c);
            sv.setMarker(SeriesMarkers.NONE);
            sv.setLineStyle(SeriesLines.DASH_DASH);
        }
        return chart;
    }

    /** A variant keeps its colour whichever subset of variants is drawn. */
    private static int colorIndex(String name, int position) {
        try {
            return dev.regula.experiment.StudyVariant.fromName(name).ordinal();
        } catch (IllegalArgumentException e) {
            return position;
        }
    }

    private static void save(XYChart chart, Path base) throws IOException {
        if (chart.getSeriesMap().isEmpty()) {
            return;
        }
        AtomicFiles.write(base.resolveSibling(base.getFileName() + ".png"),
                out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
        AtomicFiles.write(base.resolveSibling(base.getFileName() + ".svg"),
                out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
    }
}
