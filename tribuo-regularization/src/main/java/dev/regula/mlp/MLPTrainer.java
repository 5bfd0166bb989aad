package dev.regula.mlp;

import dev.regula.augment.InputTransform;
import dev.regula.nn.Backends;
import dev.regula.nn.Network;
import org.jspecify.annotations.Nullable;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;
import org.tribuo.provenance.ModelProvenance;

import java.util.EnumSet;
import java.util.Set;

/**
 * Trains a feed-forward network (multi-layer perceptron) classifier with softmax cross-entropy, minibatch
 * gradient descent, L1/L2 penalties with Keras semantics, max-norm constraints, inverted dropout and early
 * stopping on validation data.
 * <p>
 * Every hyper-parameter is an OLCUT {@code @Config} field (declared in {@link AbstractMLPTrainer}, shared with the
 * other output types), so a model's provenance fully determines its training: the same configuration, data, seed
 * and BLAS thread count give bit-identical weights. Matrix products run in float32 on native OpenBLAS (or the
 * pure-Java fallback); see {@link Backends}. Validation splits are stratified by label.
 */
public final class MLPTrainer extends AbstractMLPTrainer<Label, MLPModel> {
    /** For OLCUT. */
    private MLPTrainer() {}

    /**
     * Starts a trainer configuration with the defaults: no hidden layer, Adam, 10 epochs, batch 128.
     * @return a builder.
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    OutputHead<Label> head(ImmutableOutputInfo<Label> outputs) {
        return new LabelHead(outputs);
    }

    @Override
    MLPModel model(ModelProvenance provenance, ImmutableFeatureMap features, OutputHead<Label> head,
                   @Nullable InputTransform inputTransform, Network network, TrainingHistory history) {
        return new MLPModel("mlp-model", provenance, features, head.outputs, inputTransform, network, history);
    }

    /** Every classification monitor: the losses, the accuracies and Tribuo's label metrics. */
    @Override
    Set<Monitor> monitors() {
        return EnumSet.range(Monitor.LOSS, Monitor.VAL_WEIGHTED_AUC);
    }

    @Override
    String modelClassName() {
        return MLPModel.class.getName();
    }

    /**
     * Fluent configuration of an {@link MLPTrainer}; {@link #build()} validates every value.
     */
    public static final class Builder extends MLPTrainerBuilder<MLPTrainer, Builder> {
        private Builder() {
            super(new MLPTrainer());
        }

        @Override
        protected Builder self() {
            return this;
        }
    }
}
