package dev.regula.examples.cli;

import dev.regula.experiment.SeedComparison;
import dev.regula.experiment.StudyVariant;
import dev.regula.mlp.EpochRecord;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.TrainingHistory;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of one study variant trained with one seed.
 * @param variant the variant.
 * @param seed the seed it was trained with.
 * @param model the trained model.
 * @param test the Tribuo evaluation on the test set.
 * @param seconds wall-clock training seconds.
 */
record VariantResult(StudyVariant variant, long seed, MLPModel model, LabelEvaluation test, double seconds) {
    /** The columns of one run, in {@code results.csv} (means over the seeds) and in {@code runs.csv} (after variant, seed). */
    static final String COLUMNS = "epochs_run,best_epoch,train_accuracy,validation_accuracy,test_accuracy,train_seconds";
    /** The {@code runs.csv} header. */
    static final String RUNS_HEADER = "variant,seed," + COLUMNS;

    /** @return for every test example, in the test set's order, whether the model predicted its label. */
    boolean[] correct() {
        List<Prediction<Label>> predictions = test.getPredictions();
        boolean[] c = new boolean[predictions.size()];
        for (int i = 0; i < c.length; i++) {
            Prediction<Label> p = predictions.get(i);
            c[i] = p.getOutput().getLabel().equals(p.getExample().getOutput().getLabel());
        }
        return c;
    }

    /** @return this run for {@link SeedComparison}. */
    SeedComparison.Run run() {
        return new SeedComparison.Run(variant.getName(), seed, correct());
    }

    /** @return the history's training accuracy of the epoch whose weights the model holds (Keras' {@code accuracy}). */
    double trainAccuracy() {
        EpochRecord r = model.getHistory().getFinalEpoch();
        return r == null ? Double.NaN : r.accuracy();
    }

    /** @return the validation accuracy of the epoch whose weights the model holds. */
    double validationAccuracy() {
        EpochRecord r = model.getHistory().getFinalEpoch();
        return r == null ? Double.NaN : r.valAccuracy();
    }

    /** @return the test accuracy. */
    double testAccuracy() {
        return test.accuracy();
    }

    /** @return the epoch with the highest validation accuracy (the restored epoch for early stopping). */
    int bestEpoch() {
        TrainingHistory h = model.getHistory();
        if (h.getBestEpoch() > 0) {
            return h.getBestEpoch();
        }
        int best = 0;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (EpochRecord r : h.getEpochs()) {
            if (r.valAccuracy() > bestValue) {
                bestValue = r.valAccuracy();
                best = r.epoch();
            }
        }
        return best;
    }

    /** @return the row of {@code runs.csv}. */
    String csvRow() {
        return String.format(Locale.ROOT, "%s,%d,%d,%d,%.4f,%.4f,%.4f,%.1f", variant.getName(), seed,
                model.getHistory().getEpochsRun(), bestEpoch(), trainAccuracy(), validationAccuracy(), testAccuracy(), seconds);
    }
}
