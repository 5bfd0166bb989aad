package dev.regula.examples.tools;

import dev.regula.data.DigitImages;
import dev.regula.data.EmbeddedData;
import dev.regula.data.IdxFiles;
import dev.regula.data.RescalingDataSource;
import dev.regula.experiment.Intervals;
import dev.regula.experiment.Study;
import dev.regula.experiment.StudyVariant;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MonteCarloDropout;
import dev.regula.mlp.MonteCarloPrediction;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.impl.ArrayExample;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The measurement behind {@code docs/uncertainty.md}: trains the reference network with dropout 0.25 (the study's
 * {@code dropout} variant, 10 epochs) per seed, predicts the test images and scikit-learn's digits upscaled to
 * 28 × 28 ({@link DigitImages}), the test images with their pixels permuted and the test images inverted with
 * Monte-Carlo dropout, and prints, per seed, the AUROC with which each score separates each of these
 * out-of-distribution sets from the test images, and misclassified from correct test images: the predictive entropy
 * and the mutual information of T passes, and for comparison the deterministic model's own {@code 1 − max p}.
 * <p>
 * Usage: {@code UncertaintyTable [idx-folder|embedded [digits.csv.gz [seeds [T]]]]}, default {@code embedded},
 * {@code /usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz}, 3 seeds from 42, T = 30.
 */
public final class UncertaintyTable {
    private UncertaintyTable() {}

    /**
     * Runs the measurement.
     * @param args see the class description.
     * @throws Exception if the data cannot be read.
     */
    public static void main(String[] args) throws Exception {
        Logger.getLogger("dev.regula").setLevel(Level.WARNING);
        String data = args.length > 0 ? args[0] : "embedded";
        Path digitsFile = Path.of(args.length > 1 ? args[1] : "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz");
        int seeds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int samples = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        ConfigurableDataSource<Label> trainSource = data.equals("embedded") ? EmbeddedData.trainSource()
                : IdxFiles.source(Path.of(data), IdxFiles.TRAIN);
        ConfigurableDataSource<Label> testSource = data.equals("embedded") ? EmbeddedData.testSource()
                : IdxFiles.source(Path.of(data), IdxFiles.TEST);
        Dataset<Label> train = new MutableDataset<>(RescalingDataSource.of(trainSource, 1.0 / 255));
        List<Example<Label>> test = new ArrayList<>();
        new MutableDataset<>(RescalingDataSource.of(testSource, 1.0 / 255)).forEach(test::add);
        System.out.printf(Locale.ROOT, "data %s: %d training, %d test images; digits %s; T = %d%n", data, train.size(),
                test.size(), digitsFile, samples);
        System.out.println("| seed | test acc. (MC) | out-of-distribution set | entropy | MI | 1 − max p | MC seconds |");
        System.out.println("|---:|---:|---|---:|---:|---:|---:|");
        StringBuilder mistakesTable = new StringBuilder("| seed | mistakes | entropy | MI | 1 − max p |\n|---:|---:|---:|---:|---:|\n");
        for (int s = 0; s < seeds; s++) {
            long seed = 42 + s;
            MLPModel model = Study.referenceTrainer(StudyVariant.DROPOUT, 10, seed).train(train);
            MonteCarloDropout mc = MonteCarloDropout.builder().samples(samples).seed(seed).build();
            long start = System.nanoTime();
            List<MonteCarloPrediction<Label>> in = mc.predict(model, test);
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] maxIn = oneMinusMax(model.predict(test));
            List<Integer> wrong = new ArrayList<>();
            for (int i = 0; i < test.size(); i++) {
                if (!in.get(i).getPrediction().getOutput().getLabel().equals(test.get(i).getOutput().getLabel())) {
                    wrong.add(i);
                }
            }
            double accuracy = 1 - (double) wrong.size() / test.size();
            Map<String, List<Example<Label>>> sets = new LinkedHashMap<>();
            sets.put("scikit-learn digits, 28 × 28", DigitImages.read(digitsFile, model.getFeatureIDMap(), test.get(0).getOutput()));
            sets.put("test images, pixels permuted", transformed(test, model, true));
            sets.put("test images, inverted (1 − x)", transformed(test, model, false));
            for (Map.Entry<String, List<Example<Label>>> set : sets.entrySet()) {
                List<MonteCarloPrediction<Label>> out = mc.predict(model, set.getValue());
                System.out.printf(Locale.ROOT, "| %d | %.4f | %s | %.3f | %.3f | %.3f | %.1f |%n", seed, accuracy, set.getKey(),
                        Intervals.auroc(scores(out, MonteCarloPrediction::getPredictiveEntropy), scores(in, MonteCarloPrediction::getPredictiveEntropy)),
                        Intervals.auroc(scores(out, MonteCarloPrediction::getMutualInformation), scores(in, MonteCarloPrediction::getMutualInformation)),
                        Intervals.auroc(oneMinusMax(model.predict(set.getValue())), maxIn), seconds);
            }
            mistakesTable.append(String.format(Locale.ROOT, "| %d | %d | %.3f | %.3f | %.3f |%n", seed, wrong.size(),
                    mistakes(scores(in, MonteCarloPrediction::getPredictiveEntropy), wrong),
                    mistakes(scores(in, MonteCarloPrediction::getMutualInformation), wrong),
                    mistakes(maxIn, wrong)));
        }
        System.out.println();
        System.out.print(mistakesTable);
    }

    /**
     * The test images with their pixels permuted by one fixed permutation (seed 7: same pixel statistics, no clothing
     * shape), or inverted ({@code 1 − x}: the same shapes, dark on light).
     */
    private static List<Example<Label>> transformed(List<Example<Label>> test, MLPModel model, boolean permute) {
        ImmutableFeatureMap features = model.getFeatureIDMap();
        int d = features.size();
        int[] permutation = new int[d];
        for (int i = 0; i < d; i++) {
            permutation[i] = i;
        }
        Random random = new Random(7);
        for (int i = d - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = t;
        }
        String[] names = new String[d];
        for (int i = 0; i < d; i++) {
            names[i] = features.get(i).getName();
        }
        List<Example<Label>> out = new ArrayList<>(test.size());
        for (Example<Label> e : test) {
            double[] x = new double[d];
            for (Feature f : e) {
                int id = features.getID(f.getName());
                if (id >= 0) {
                    x[id] = f.getValue();
                }
            }
            double[] values = new double[d];
            for (int i = 0; i < d; i++) {
                values[i] = permute ? x[permutation[i]] : 1 - x[i];
            }
            out.add(new ArrayExample<>(e.getOutput(), names, values));
        }
        return out;
    }

    private static double[] scores(List<MonteCarloPrediction<Label>> p, ToDoubleFunction<MonteCarloPrediction<Label>> f) {
        return p.stream().mapToDouble(f).toArray();
    }

    private static double[] oneMinusMax(List<Prediction<Label>> predictions) {
        return predictions.stream().mapToDouble(p -> 1 - p.getOutput().getScore()).toArray();
    }

    /** The AUROC of a score between the misclassified examples ({@code wrong}) and the others. */
    private static double mistakes(double[] score, List<Integer> wrong) {
        double[] w = new double[wrong.size()];
        double[] r = new double[score.length - wrong.size()];
        int a = 0;
        int b = 0;
        for (int i = 0; i < score.length; i++) {
            if (a < wrong.size() && wrong.get(a) == i) {
                w[a++] = score[i];
            } else {
                r[b++] = score[i];
            }
        }
        return Intervals.auroc(w, r);
    }
}
