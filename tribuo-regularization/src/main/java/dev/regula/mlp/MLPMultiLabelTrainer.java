package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import dev.regula.augment.InputTransform;
import dev.regula.nn.Network;
import org.jspecify.annotations.Nullable;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.provenance.ModelProvenance;

import java.util.EnumSet;
import java.util.Set;

/**
 * Trains a feed-forward network for multi-label classification: one sigmoid output per label, binary
 * cross-entropy averaged over labels and examples (Keras {@code binary_crossentropy}), a label predicted when its
 * probability exceeds {@code threshold}, and every regularizer and training option of {@link MLPTrainer}.
 * <p>
 * Validation splits are random (not stratified). Early stopping can monitor {@code loss}, {@code accuracy} and
 * {@code val_accuracy} (subset accuracy: every label right), {@code val_loss}, {@code val_jaccard}, and Tribuo's
 * multi-label F1, precision, recall and balanced error rate ({@code val_macro_f1}, {@code val_micro_f1},
 * {@code val_macro_precision}, {@code val_macro_recall}, {@code val_balanced_error_rate}).
 */
public final class MLPMultiLabelTrainer extends AbstractMLPTrainer<MultiLabel, MLPMultiLabelModel> {
    @Config(description = "Decision threshold: a label is predicted when its sigmoid probability exceeds it, in (0, 1).")
    private double threshold = 0.5;

    /** For OLCUT. */
    private MLPMultiLabelTrainer() {}

    /**
     * Starts a multi-label trainer configuration with the defaults of {@link MLPTrainer#builder()} and threshold 0.5.
     * @return a builder.
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized void postConfig() {
        super.postConfig();
        if (!(threshold > 0 && threshold < 1)) {
            throw new PropertyException("", "threshold", "threshold must be in (0, 1), found " + threshold);
        }
    }

    @Override
    OutputHead<MultiLabel> head(ImmutableOutputInfo<MultiLabel> outputs) {
        return new MultiLabelHead(outputs, threshold);
    }

    @Override
    MLPMultiLabelModel model(ModelProvenance provenance, ImmutableFeatureMap features, OutputHead<MultiLabel> head,
                             @Nullable InputTransform inputTransform, Network network, TrainingHistory history) {
        return new MLPMultiLabelModel("mlp-multilabel-model", provenance, features, head.outputs, inputTransform,
                network, history, threshold);
    }

    @Override
    String modelClassName() {
        return MLPMultiLabelModel.class.getName();
    }

    /** The losses, subset accuracy, the Jaccard score and Tribuo's multi-label confusion metrics. */
    @Override
    Set<Monitor> monitors() {
        return EnumSet.of(Monitor.LOSS, Monitor.ACCURACY, Monitor.VAL_LOSS, Monitor.VAL_ACCURACY, Monitor.VAL_JACCARD,
                Monitor.VAL_MACRO_F1, Monitor.VAL_MICRO_F1, Monitor.VAL_MACRO_PRECISION, Monitor.VAL_MACRO_RECALL,
                Monitor.VAL_BALANCED_ERROR_RATE);
    }

    /** @return the decision threshold. */
    public double getThreshold() {
        return threshold;
    }

    @Override
    public String toString() {
        String base = super.toString();
        return base.substring(0, base.length() - 1) + ",threshold=" + threshold + ")";
    }

    /**
     * Fluent configuration of an {@link MLPMultiLabelTrainer}; {@link #build()} validates every value.
     */
    public static final class Builder extends MLPTrainerBuilder<MLPMultiLabelTrainer, Builder> {
        private Builder() {
            super(new MLPMultiLabelTrainer());
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the decision threshold.
         * @param threshold a label is predicted when its probability exceeds this, in (0, 1).
         * @return this builder.
         */
        public Builder threshold(double threshold) {
            t().threshold = threshold;
            return this;
        }
    }
}
