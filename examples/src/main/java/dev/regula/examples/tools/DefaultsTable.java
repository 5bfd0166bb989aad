package dev.regula.examples.tools;

import dev.regula.experiment.StratifiedSplitDataSource;
import dev.regula.experiment.StratifiedSplitDataSource.Part;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.evaluation.TrainTestSplitter;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluator;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;
import dev.regula.mlp.MLPRegressionTrainer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;

/**
 * The benchmark behind {@code docs/mlp.md}, "Defaults": test accuracy of the plain {@code MLPTrainer.builder().build()}
 * against Tribuo's {@code LogisticRegressionTrainer} (its defaults: AdaGrad 1.0, 5 epochs, minibatch 1) and the
 * bare configuration-file trainer, on the raw tables Debian's {@code python3-sklearn} ships (iris, wine, breast
 * cancer, digits), on stratified 70:30 splits with seeds 1..k. Prints a Markdown table: seed 1, then the mean and
 * the win count over the k splits. A second table does the same for {@code MLPRegressionTrainer.builder().build()}
 * on the raw diabetes table (random 70:30 splits, Tribuo's {@code TrainTestSplitter}), in test RMSE, against
 * Tribuo's {@code LinearSGDTrainer} (squared loss, AdaGrad 1.0) at its 5 epochs on the raw features and at 200
 * epochs on standardized ones.
 * <p>
 * Usage: {@code DefaultsTable [sklearn-data-dir [splits]]}, default
 * {@code /usr/lib/python3/dist-packages/sklearn/datasets/data} and 10.
 */
public final class DefaultsTable {
    private DefaultsTable() {}

    /** The tables, as sklearn names its files: with a "rows,features,class names…" first line, or headerless (digits). */
    private static final String[][] TABLES = {
            {"iris", "iris.csv"}, {"wine", "wine_data.csv"}, {"breast cancer", "breast_cancer.csv"}, {"digits", "digits.csv.gz"}};

    /**
     * Runs the comparison.
     * @param args the sklearn data folder and the number of splits.
     * @throws Exception if a table cannot be read.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/usr/lib/python3/dist-packages/sklearn/datasets/data");
        int splits = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Logger.getLogger("").setLevel(Level.SEVERE);
        System.out.println("| table | rows × features | LR (seed 1) | bare (seed 1) | defaults (seed 1) | LR mean | "
                + "defaults mean | defaults ≥ LR |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String[] t : TABLES) {
            Path csv = rewrite(dir.resolve(t[1]));
            try {
                @SuppressWarnings("unchecked")
                ConfigurableDataSource<Label> source = (ConfigurableDataSource<Label>)
                        new CSVLoader<>(new LabelFactory()).loadDataSource(csv, "class");
                double lrSum = 0;
                double mlpSum = 0;
                int wins = 0;
                double lr1 = 0;
                double bare1 = 0;
                double mlp1 = 0;
                int rows = 0;
                int features = 0;
                for (long seed = 1; seed <= splits; seed++) {
                    Dataset<Label> train = new MutableDataset<>(StratifiedSplitDataSource.of(source, 0.3, seed, Part.TRAIN));
                    Dataset<Label> test = new MutableDataset<>(StratifiedSplitDataSource.of(source, 0.3, seed, Part.TEST));
                    rows = train.size() + test.size();
                    features = train.getFeatureIDMap().size();
                    double lr = accuracy(new LogisticRegressionTrainer().train(train), test);
                    MLPModel model = MLPTrainer.builder().build().train(train);
                    double mlp = accuracy(model, test);
                    if (seed == 1) {
                        lr1 = lr;
                        mlp1 = mlp;
                        bare1 = accuracy(MLPTrainer.builder().withoutHiddenLayers().epochs(10).minibatchSize(128)
                                .earlyStopping(null).standardization(null).build().train(train), test);
                    }
                    lrSum += lr;
                    mlpSum += mlp;
                    wins += mlp >= lr ? 1 : 0;
                }
                System.out.printf(Locale.ROOT, "| %s | %d × %d | %.3f | %.3f | %.3f | %.3f | %.3f | %d / %d |%n", t[0],
                        rows, features, lr1, bare1, mlp1, lrSum / splits, mlpSum / splits, wins, splits);
            } finally {
                Files.delete(csv);
            }
        }
        regression(dir, splits);
    }

    private static void regression(Path dir, int splits) throws IOException {
        List<String> x = lines(dir.resolve("diabetes_data_raw.csv.gz"));
        List<String> y = lines(dir.resolve("diabetes_target.csv.gz"));
        StringBuilder out = new StringBuilder("age,sex,bmi,bp,s1,s2,s3,s4,s5,s6,progression\n");
        for (int i = 0; i < x.size(); i++) {
            out.append(String.join(",", x.get(i).trim().split("\\s+"))).append(',').append(y.get(i).trim()).append('\n');
        }
        Path csv = Files.createTempFile("diabetes", ".csv");
        Files.writeString(csv, out);
        try {
            System.out.println();
            System.out.println("| diabetes, split seed | linear SGD, raw, 5 epochs | linear SGD, standardized, 200 epochs "
                    + "| defaults |");
            System.out.println("|---|---|---|---|");
            double[] sum = new double[3];
            int beatsRaw = 0;
            int beatsStd = 0;
            for (long seed = 1; seed <= splits; seed++) {
                TrainTestSplitter<Regressor> split = new TrainTestSplitter<>(
                        new CSVLoader<>(new RegressionFactory()).loadDataSource(csv, "progression"), 0.7, seed);
                Dataset<Regressor> train = new MutableDataset<>(split.getTrain());
                Dataset<Regressor> test = new MutableDataset<>(split.getTest());
                RegressionEvaluator ev = new RegressionEvaluator();
                double raw = ev.evaluate(new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(1.0), 5, 1L).train(train), test)
                        .averageRMSE();
                double std = ev.evaluate(new TransformTrainer<>(new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(1.0),
                        200, 1L), new TransformationMap(List.of(new MeanStdDevTransformation()))).train(train), test)
                        .averageRMSE();
                double mlp = ev.evaluate(MLPRegressionTrainer.builder().build().train(train), test).averageRMSE();
                System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.2f |%n", seed, raw, std, mlp);
                sum[0] += raw;
                sum[1] += std;
                sum[2] += mlp;
                beatsRaw += mlp < raw ? 1 : 0;
                beatsStd += mlp < std ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "| mean | %.2f | %.2f | %.2f |%n", sum[0] / splits, sum[1] / splits, sum[2] / splits);
            System.out.printf(Locale.ROOT, "| defaults lower | %d / %d | %d / %d | |%n", beatsRaw, splits, beatsStd, splits);
        } finally {
            Files.delete(csv);
        }
    }

    private static List<String> lines(Path gz) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.UTF_8))) {
            return r.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static double accuracy(Model<Label> model, Dataset<Label> test) {
        return new LabelEvaluator().evaluate(model, test).accuracy();
    }

    /** Rewrites a sklearn table as a CSV with a header {@code x0…,class}, the class given by name or index. */
    private static Path rewrite(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    rows.add(line.split(","));
                }
            }
        }
        String[] first = rows.get(0);
        String[] names = null;
        if (first.length > 2 && !first[2].matches("[-0-9.eE]+")) { // "rows,features,class names..."
            names = java.util.Arrays.copyOfRange(first, 2, first.length);
            rows.remove(0);
        }
        int d = rows.get(0).length - 1;
        StringBuilder out = new StringBuilder();
        for (int j = 0; j < d; j++) {
            out.append('x').append(j).append(',');
        }
        out.append("class\n");
        for (String[] row : rows) {
            for (int j = 0; j < d; j++) {
                out.append(row[j]).append(',');
            }
            int c = (int) Double.parseDouble(row[d]);
            out.append(names == null ? "c" + c : names[c]).append('\n');
        }
        Path tmp = Files.createTempFile("sklearn-table", ".csv");
        Files.writeString(tmp, out);
        return tmp;
    }
}
