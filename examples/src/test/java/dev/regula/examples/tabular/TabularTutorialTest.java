package dev.regula.examples.tabular;

import dev.regula.experiment.ProvenanceDiff;
import dev.regula.mlp.EarlyStopping;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.data.columnar.FieldProcessor;
import org.tribuo.data.columnar.RowProcessor;
import org.tribuo.data.columnar.processors.field.DoubleFieldProcessor;
import org.tribuo.data.columnar.processors.response.FieldResponseProcessor;
import org.tribuo.data.csv.CSVDataSource;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.evaluation.TrainTestSplitter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The code of {@code docs/tabular.md}, step by step, on scikit-learn's breast-cancer table as Debian ships it
 * ({@code examples/notebooks/data/breast_cancer.csv}): rewriting its first line into a header, loading it with
 * {@code CSVLoader} and with {@code CSVDataSource} + {@code RowProcessor} (the same examples either way, up to the
 * case of the labels), then the
 * default network, dropout and early stopping against Tribuo's logistic regression, and the provenance diff.
 */
class TabularTutorialTest {
    /** The table as scikit-learn ships it (first line {@code 569,30,malignant,benign}, then 30 values and 0/1). */
    static final Path SKLEARN_CSV = Path.of("notebooks/data/breast_cancer.csv");

    @BeforeAll
    static void quiet() {
        Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
    }

    /**
     * Step 1 of the tutorial: the first line holds the row and feature counts and the class names, not column
     * names; write a header {@code x0,...,x29,diagnosis} instead and put the class name in place of its index.
     */
    static Path withHeader(Path sklearnCsv, Path out) throws IOException {
        List<String> lines = Files.readAllLines(sklearnCsv, StandardCharsets.UTF_8);
        String[] first = lines.get(0).split(",");            // 569,30,malignant,benign
        int features = Integer.parseInt(first[1]);
        List<String> classNames = List.of(first).subList(2, first.length);
        List<String> table = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < features; i++) {
            header.append('x').append(i).append(',');
        }
        table.add(header.append("diagnosis").toString());
        for (String line : lines.subList(1, lines.size())) {
            int cut = line.lastIndexOf(',');
            table.add(line.substring(0, cut + 1) + classNames.get(Integer.parseInt(line.substring(cut + 1))));
        }
        return Files.write(out, table, StandardCharsets.UTF_8);
    }

    /** Step 2a: Tribuo's CSVLoader, every column but the response a feature. */
    static DataSource<Label> withCsvLoader(Path table) throws IOException {
        return new CSVLoader<>(new LabelFactory()).loadDataSource(table, "diagnosis");
    }

    /** Step 2b: CSVDataSource + RowProcessor, each feature column named explicitly. */
    static DataSource<Label> withRowProcessor(Path table) {
        Map<String, FieldProcessor> fields = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) {
            fields.put("x" + i, new DoubleFieldProcessor("x" + i));
        }
        RowProcessor<Label> rows = new RowProcessor<>(
                new FieldResponseProcessor<>("diagnosis", "", new LabelFactory()), fields);
        return new CSVDataSource<>(table, rows, true);
    }

    private static double accuracy(Model<Label> model, Dataset<Label> test) {
        return new LabelEvaluator().evaluate(model, test).accuracy();
    }

    @Test
    void bothLoadersReadTheSameExamples(@TempDir Path dir) throws IOException {
        Path table = withHeader(SKLEARN_CSV, dir.resolve("breast-cancer.csv"));
        List<Example<Label>> a = new ArrayList<>();
        withCsvLoader(table).forEach(a::add);
        List<Example<Label>> b = new ArrayList<>();
        withRowProcessor(table).forEach(b::add);
        assertEquals(569, a.size());
        assertEquals(a.size(), b.size());
        long malignant = a.stream().filter(e -> e.getOutput().getLabel().equals("malignant")).count();
        assertEquals(212, malignant, "class index 0 is malignant");
        for (int i = 0; i < a.size(); i++) {
            // FieldResponseProcessor upper-cases the response by default (MALIGNANT); CSVLoader keeps it as written.
            assertEquals(a.get(i).getOutput().getLabel().toUpperCase(Locale.ROOT), b.get(i).getOutput().getLabel());
            assertEquals(30, a.get(i).size());
            assertEquals(30, b.get(i).size());
            // CSVLoader names a feature after its column (x0), DoubleFieldProcessor as column@value (x0@value).
            Map<String, Double> va = new java.util.TreeMap<>();
            a.get(i).forEach((Feature f) -> va.put(f.getName(), f.getValue()));
            Map<String, Double> vb = new java.util.TreeMap<>();
            b.get(i).forEach((Feature f) -> vb.put(f.getName().replace("@value", ""), f.getValue()));
            assertEquals(va, vb, "row " + i);
        }
    }

    @Test
    void theTutorialsModelsAreFarAboveTheMajorityClass(@TempDir Path dir) throws IOException {
        Path table = withHeader(SKLEARN_CSV, dir.resolve("breast-cancer.csv"));
        TrainTestSplitter<Label> split = new TrainTestSplitter<>(withRowProcessor(table), 0.7, 1L);
        Dataset<Label> train = new MutableDataset<>(split.getTrain());
        Dataset<Label> test = new MutableDataset<>(split.getTest());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Example<Label> e : test) {
            counts.merge(e.getOutput().getLabel(), 1, Integer::sum);
        }
        double majority = java.util.Collections.max(counts.values()) / (double) test.size();

        Map<String, MLPModel> models = new LinkedHashMap<>();
        models.put("defaults", MLPTrainer.builder().seed(1).build().train(train));
        models.put("dropout", MLPTrainer.builder().addLayer(Layer.dense(100).dropout(0.3).build()).seed(1).build()
                .train(train));
        models.put("early stopping", MLPTrainer.builder().validationFraction(0.2)
                .earlyStopping(EarlyStopping.monitoring("val_loss").patience(10).restoreBestWeights(true).build())
                .seed(1).build().train(train));
        double logistic = accuracy(new LogisticRegressionTrainer().train(train), test);

        StringBuilder report = new StringBuilder(String.format("majority %.4f, logistic regression %.4f", majority,
                logistic));
        for (Map.Entry<String, MLPModel> e : models.entrySet()) {
            report.append(String.format(", %s %.4f (%d epochs)", e.getKey(), accuracy(e.getValue(), test),
                    e.getValue().getHistory().getEpochsRun()));
        }
        System.out.println("TabularTutorialTest: " + report);
        for (Map.Entry<String, MLPModel> e : models.entrySet()) {
            double acc = accuracy(e.getValue(), test);
            assertTrue(acc > 0.9 && acc > majority + 0.25, e.getKey() + ": " + report);
            assertTrue(acc >= logistic, e.getKey() + " below logistic regression on raw features: " + report);
        }
        assertTrue(models.get("early stopping").getHistory().getEpochsRun() < 200, report.toString());

        // What differs between two models, read from their provenance: here, exactly the hidden layer's dropout.
        ProvenanceDiff diff = ProvenanceDiff.of(models.get("defaults").getProvenance(),
                models.get("dropout").getProvenance());
        System.out.println("TabularTutorialTest: dropout vs defaults: " + diff.getDifferences());
        List<String> paths = diff.getDifferences().stream().map(ProvenanceDiff.Difference::path).toList();
        assertTrue(paths.stream().anyMatch(p -> p.endsWith("hiddenLayers[0].dropout")), paths.toString());
        assertTrue(paths.stream().noneMatch(p -> p.contains("dataset") && p.contains("hash")),
                "same data for both: " + paths);
    }
}
