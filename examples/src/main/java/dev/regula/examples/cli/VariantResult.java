package dev.regula.examples.cli;

import dev.regula.experiment.StudyVariant;
import dev.regula.mlp.EpochRecord;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.TrainingHistory;
import org.tribuo.classification.evaluation.LabelEvaluation;

import java.util.Locale;

/**
 * The outcome of one study variant.
 * @param variant the variant.
 * @param model the trained model.
 * @param test the Tribuo evaluation on the test set.
 * @param seconds wall-clock training seconds.
 */
record VariantResult(StudyVariant variant, MLPModel model, LabelEvaluation test, double seconds) {
    /** The {@code results.csv} header. */
    static final String CSV_HEADER = "variant,epochs_run,best_epoch,train_accuracy,validation_accuracy,test_accuracy,train_seconds";

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

    /** @return the row of {@code results.csv}. */
    String csvRow() {
        return String.format(Locale.ROOT, "%s,%d,%d,%.4f,%.4f,%.4f,%.1f", variant.getName(), model.getHistory().getEpochsRun(),
                bestEpoch(), trainAccuracy(), validationAccuracy(), testAccuracy(), seconds);
    }
}
