package dev.regula.examples.cli;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.Processor;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import dev.regula.data.AtomicFiles;
import dev.regula.experiment.Intervals;
import dev.regula.experiment.SeedComparison;
import dev.regula.mlp.EpochRecord;
import dev.regula.mlp.TrainingHistory;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The study's charts, drawn with XChart and written as PNG and SVG:
 * <ul>
 *   <li>{@code accuracy} and {@code loss}: one small panel per variant (all panels on one value axis), training
 *       (solid) and validation (dashed) per epoch, as the mean over the seeds with a band of ± one standard deviation
 *       of the seeds (no band for one seed). An epoch's statistics use the seeds that ran it (early stopping ends runs
 *       at different epochs), and the panel title says how many seeds there are;</li>
 *   <li>{@code test-accuracy}: per variant the mean test accuracy with its 95 % interval, and the difference to the
 *       baseline with its 95 % interval and a line at zero (the intervals of {@link SeedComparison}).</li>
 * </ul>
 */
final class Charts {
    private static final Color[] COLORS = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
    private static final int PANEL_WIDTH = 330;
    private static final int PANEL_HEIGHT = 250;
    private static final int MAX_COLUMNS = 4;

    private Charts() {}

    /**
     * The per-epoch mean and the seeds' standard deviation of one curve.
     * @param epochs the epochs (1-based) that at least one seed ran.
     * @param mean the mean over the seeds that ran each epoch.
     * @param std the sample standard deviation over those seeds (0 where only one ran).
     */
    record Curve(double[] epochs, double[] mean, double[] std) {
        /**
         * Aggregates one metric over the histories of several seeds.
         * @param histories the seeds' histories.
         * @param metric the value of an epoch.
         * @return the curve; empty when no history has an epoch.
         */
        static Curve of(List<TrainingHistory> histories, ToDoubleFunction<EpochRecord> metric) {
            int longest = histories.stream().mapToInt(h -> h.getEpochs().size()).max().orElse(0);
            double[] x = new double[longest];
            double[] mean = new double[longest];
            double[] std = new double[longest];
            for (int e = 0; e < longest; e++) {
                List<Double> values = new ArrayList<>();
                for (TrainingHistory h : histories) {
                    if (e < h.getEpochs().size()) {
                        values.add(metric.applyAsDouble(h.getEpochs().get(e)));
                    }
                }
                double sum = 0;
                for (double v : values) {
                    sum += v;
                }
                double m = sum / values.size();
                double ss = 0;
                for (double v : values) {
                    ss += (v - m) * (v - m);
                }
                x[e] = e + 1;
                mean[e] = m;
                std[e] = values.size() > 1 ? Math.sqrt(ss / (values.size() - 1)) : 0;
            }
            return new Curve(x, mean, std);
        }

        /** @return the smallest value of the band (mean − std), ignoring non-finite values. */
        double low() {
            double low = Double.POSITIVE_INFINITY;
            for (int i = 0; i < mean.length; i++) {
                if (Double.isFinite(mean[i] - std[i])) {
                    low = Math.min(low, mean[i] - std[i]);
                }
            }
            return low;
        }

        /** @return the largest value of the band (mean + std), ignoring non-finite values. */
        double high() {
            double high = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < mean.length; i++) {
                if (Double.isFinite(mean[i] + std[i])) {
                    high = Math.max(high, mean[i] + std[i]);
                }
            }
            return high;
        }
    }

    /**
     * Writes {@code accuracy.png/svg}, {@code loss.png/svg} (a panel per variant) and, when there are summaries,
     * {@code test-accuracy.png/svg}.
     * @param histories every finished run's history, by variant name in study order.
     * @param summaries the per-variant summaries in the same order (may be empty).
     * @param dir the output folder.
     * @throws IOException if writing fails.
     */
    static void write(Map<String, List<TrainingHistory>> histories, List<SeedComparison.Summary> summaries, Path dir)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        savePanels(panels("accuracy", histories, EpochRecord::accuracy, EpochRecord::valAccuracy), dir.resolve("accuracy"));
        savePanels(panels("loss", histories, EpochRecord::loss, EpochRecord::valLoss), dir.resolve("loss"));
        if (!summaries.isEmpty()) {
            List<XYChart> forest = new ArrayList<>();
            forest.add(forest("Test accuracy (95 % interval)", summaries, false));
            if (summaries.stream().anyMatch(s -> s.delta() != null)) {
                forest.add(forest("Difference to baseline (95 % interval)", summaries, true));
            }
            save(forest, forest.size(), 460, 40 + 34 * summaries.size(), dir.resolve("test-accuracy"));
        }
    }

    private static List<XYChart> panels(String metric, Map<String, List<TrainingHistory>> histories,
                                        ToDoubleFunction<EpochRecord> train, ToDoubleFunction<EpochRecord> validation) {
        List<String> names = new ArrayList<>();
        List<Curve[]> curves = new ArrayList<>();
        List<Integer> seeds = new ArrayList<>();
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        int longest = 1;
        for (Map.Entry<String, List<TrainingHistory>> e : histories.entrySet()) {
            Curve t = Curve.of(e.getValue(), train);
            Curve v = Curve.of(e.getValue(), validation);
            if (t.epochs().length == 0) {
                continue;
            }
            names.add(e.getKey());
            curves.add(new Curve[] {t, v});
            seeds.add(e.getValue().size());
            low = Math.min(low, Math.min(t.low(), v.low()));
            high = Math.max(high, Math.max(t.high(), v.high()));
            longest = Math.max(longest, t.epochs().length);
        }
        double pad = Double.isFinite(high - low) ? Math.max(1e-3, 0.04 * (high - low)) : 0;
        List<XYChart> charts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT)
                    .title(name + (seeds.get(i) > 1 ? " (" + seeds.get(i) + " seeds)" : "")).xAxisTitle("epoch")
                    .yAxisTitle(metric).build();
            style(chart);
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setXAxisMin(1.0).setXAxisMax((double) longest);
            if (Double.isFinite(low) && Double.isFinite(high)) {
                chart.getStyler().setYAxisMin(low - pad).setYAxisMax(high + pad);
            }
            Color c = COLORS[colorIndex(name, i) % COLORS.length];
            addCurve(chart, name + " train", curves.get(i)[0], c, false);
            addCurve(chart, name + " val", curves.get(i)[1], c, true);
            charts.add(chart);
        }
        return charts;
    }

    /** A mean line and, where the seeds differ, its ± std band drawn as a translucent polygon behind it. */
    private static void addCurve(XYChart chart, String name, Curve curve, Color c, boolean dashed) {
        int n = curve.epochs().length;
        boolean band = false;
        for (double s : curve.std()) {
            band |= s > 0;
        }
        if (band) {
            double[] px = new double[2 * n];
            double[] py = new double[2 * n];
            for (int i = 0; i < n; i++) {
                px[i] = curve.epochs()[i];
                py[i] = curve.mean()[i] + curve.std()[i];
                px[2 * n - 1 - i] = curve.epochs()[i];
                py[2 * n - 1 - i] = curve.mean()[i] - curve.std()[i];
            }
            XYSeries s = chart.addSeries(name + " band", px, py);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            s.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), dashed ? 40 : 60));
            s.setLineColor(new Color(0, 0, 0, 0));
            s.setMarker(SeriesMarkers.NONE);
        }
        XYSeries line = chart.addSeries(name, curve.epochs(), curve.mean());
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setLineColor(c);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineStyle(dashed ? SeriesLines.DASH_DASH : new BasicStroke(2f));
    }

    /** Variants top to bottom, each a point (the mean) on a horizontal interval line. */
    private static XYChart forest(String title, List<SeedComparison.Summary> summaries, boolean delta) {
        int n = summaries.size();
        XYChart chart = new XYChartBuilder().width(460).height(40 + 34 * n).title(title)
                .xAxisTitle(delta ? "variant − baseline" : "accuracy").build();
        style(chart);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(-0.5).setYAxisMax(n - 0.5);
        chart.getStyler().setYAxisTickMarkSpacingHint(20);
        chart.getStyler().setyAxisTickLabelsFormattingFunction(y -> {
            long k = Math.round(y);
            return Math.abs(y - k) < 1e-6 && k >= 0 && k < n ? summaries.get((int) (n - 1 - k)).variant() : " ";
        });
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            SeedComparison.Summary s = summaries.get(i);
            Intervals.Interval iv = delta ? s.delta() : s.testAccuracyInterval();
            if (iv == null) {
                continue;
            }
            double y = n - 1 - i;
            Color c = COLORS[colorIndex(s.variant(), i) % COLORS.length];
            XYSeries range = chart.addSeries(s.variant() + " interval", new double[] {iv.low(), iv.high()}, new double[] {y, y});
            range.setLineColor(c);
            range.setLineStyle(new BasicStroke(2.5f));
            range.setMarker(SeriesMarkers.NONE);
            XYSeries point = chart.addSeries(s.variant() + " mean", new double[] {iv.mean()}, new double[] {y});
            point.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            point.setMarker(SeriesMarkers.DIAMOND);
            point.setMarkerColor(c);
            low = Math.min(low, iv.low());
            high = Math.max(high, iv.high());
        }
        if (delta) {
            low = Math.min(low, 0);
            high = Math.max(high, 0);
            XYSeries zero = chart.addSeries("zero", new double[] {0, 0}, new double[] {-0.5, n - 0.5});
            zero.setLineColor(Color.GRAY);
            zero.setLineStyle(SeriesLines.DOT_DOT);
            zero.setMarker(SeriesMarkers.NONE);
        }
        if (Double.isFinite(low) && Double.isFinite(high)) {
            double pad = Math.max(1e-3, 0.08 * (high - low));
            chart.getStyler().setXAxisMin(low - pad).setXAxisMax(high + pad);
        }
        return chart;
    }

    private static void style(XYChart chart) {
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendBorderColor(Color.LIGHT_GRAY);
        chart.getStyler().setXAxisDecimalPattern("#.###");
        chart.getStyler().setMarkerSize(9);
    }

    /** A variant keeps its colour whichever subset of variants is drawn. */
    private static int colorIndex(String name, int position) {
        try {
            return dev.regula.experiment.StudyVariant.fromName(name).ordinal();
        } catch (IllegalArgumentException e) {
            return position;
        }
    }

    private static void savePanels(List<XYChart> charts, Path base) throws IOException {
        if (!charts.isEmpty()) {
            save(charts, Math.min(MAX_COLUMNS, charts.size()), PANEL_WIDTH, PANEL_HEIGHT, base);
        }
    }

    /** Draws the charts on a grid of equal cells, once on a bitmap (PNG) and once as vector commands (SVG). */
    private static void save(List<XYChart> charts, int columns, int width, int height, Path base) throws IOException {
        int rows = (charts.size() + columns - 1) / columns;
        int w = columns * width;
        int h = rows * height;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        draw(g, charts, columns, width, height, w, h);
        g.dispose();
        AtomicFiles.write(base.resolveSibling(base.getFileName() + ".png"),
                out -> javax.imageio.ImageIO.write(image, "png", out));
        VectorGraphics2D vg = new VectorGraphics2D();
        draw(vg, charts, columns, width, height, w, h);
        Processor svg = new SVGProcessor();
        Document document = svg.getDocument(vg.getCommands(), new PageSize(0, 0, w, h));
        AtomicFiles.write(base.resolveSibling(base.getFileName() + ".svg"), document::writeTo);
    }

    private static void draw(Graphics2D g, List<XYChart> charts, int columns, int width, int height, int w, int h) {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        for (int i = 0; i < charts.size(); i++) {
            Graphics2D cell = (Graphics2D) g.create((i % columns) * width, (i / columns) * height, width, height);
            charts.get(i).paint(cell, width, height);
            cell.dispose();
        }
    }
}
