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
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The measurement behind {@code docs/uncertainty.md}: trains the reference network with dropout 0.25 (the study's
 * {@code dropout} variant, 10 epochs) per seed, predicts the test images and scikit-learn's digits upscaled to
 * 28 × 28 ({@link DigitImages}) with Monte-Carlo dropout, and prints, per seed, the AUROC with which each score
 * separates digits from test images and misclassified from correct test images: the predictive entropy and the mutual
 * information of T passes, and for comparison the deterministic model's own {@code 1 − max p}.
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
        System.out.println("| seed | test acc. (MC) | digits: entropy | digits: MI | digits: 1 − max p | mistakes: entropy "
                + "| mistakes: MI | mistakes: 1 − max p | MC seconds |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int s = 0; s < seeds; s++) {
            long seed = 42 + s;
            MLPModel model = Study.referenceTrainer(StudyVariant.DROPOUT, 10, seed).train(train);
            List<Example<Label>> digits = DigitImages.read(digitsFile, model.getFeatureIDMap(), test.get(0).getOutput());
            MonteCarloDropout mc = MonteCarloDropout.builder().samples(samples).seed(seed).build();
            long start = System.nanoTime();
            List<MonteCarloPrediction<Label>> in = mc.predict(model, test);
            double seconds = (System.nanoTime() - start) / 1e9;
            List<MonteCarloPrediction<Label>> out = mc.predict(model, digits);
            double[] maxIn = oneMinusMax(model.predict(test));
            double[] maxOut = oneMinusMax(model.predict(digits));
            List<Integer> wrong = new ArrayList<>();
            int correct = 0;
            for (int i = 0; i < test.size(); i++) {
                if (in.get(i).getPrediction().getOutput().getLabel().equals(test.get(i).getOutput().getLabel())) {
                    correct++;
                } else {
                    wrong.add(i);
                }
            }
            System.out.printf(Locale.ROOT, "| %d | %.4f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.1f |%n", seed,
                    (double) correct / test.size(),
                    Intervals.auroc(scores(out, MonteCarloPrediction::getPredictiveEntropy), scores(in, MonteCarloPrediction::getPredictiveEntropy)),
                    Intervals.auroc(scores(out, MonteCarloPrediction::getMutualInformation), scores(in, MonteCarloPrediction::getMutualInformation)),
                    Intervals.auroc(maxOut, maxIn),
                    mistakes(scores(in, MonteCarloPrediction::getPredictiveEntropy), wrong),
                    mistakes(scores(in, MonteCarloPrediction::getMutualInformation), wrong),
                    mistakes(maxIn, wrong), seconds);
        }
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
