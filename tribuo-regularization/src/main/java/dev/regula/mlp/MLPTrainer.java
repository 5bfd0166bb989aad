package dev.regula.mlp;

import dev.regula.augment.InputTransform;
import dev.regula.config.Checks;
import dev.regula.nn.Backends;
import dev.regula.nn.Network;
import org.jspecify.annotations.Nullable;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.tribuo.classification.Label;
import org.tribuo.classification.WeightedLabels;
import org.tribuo.provenance.ModelProvenance;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
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
public final class MLPTrainer extends AbstractMLPTrainer<Label, MLPModel> implements WeightedLabels {
    @Config(description = "Weight of each label's examples in the training loss (Keras class_weight), by label name; "
            + "labels not listed weigh 1. Finite and >= 0. Multiplies the examples' own weights; validation is not "
            + "weighted by label.")
    private Map<String, Float> labelWeights = new HashMap<>();

    @Config(description = "Label smoothing ε (Keras CategoricalCrossentropy label_smoothing) in [0, 1): the training "
            + "target of an example of class y becomes (1 - ε)·onehot(y) + ε/K over the K labels. The training and "
            + "validation losses are the smoothed cross-entropy, as Keras reports them; 0 (default) is none.")
    private double labelSmoothing = 0.0;

    @Config(description = "MixUp α (Keras MixUp(alpha)): each training batch is mixed with a permutation of itself, "
            + "inputs and one-hot targets alike, row i by λ_i ~ Beta(α, α); 0 (default) is none, otherwise finite "
            + "and > 0 (Keras' default 0.2).")
    private double mixUpAlpha = 0.0;

    /** For OLCUT. */
    private MLPTrainer() {}

    @Override
    public synchronized void postConfig() {
        super.postConfig();
        if (labelWeights == null) {
            labelWeights = new HashMap<>();
        }
        Checks.rate("labelSmoothing", labelSmoothing);
        if (!(mixUpAlpha >= 0) || Double.isInfinite(mixUpAlpha)) {
            throw new PropertyException("", "mixUpAlpha", "mixUpAlpha must be finite and > 0 (0 = no MixUp), found "
                    + mixUpAlpha);
        }
        for (Map.Entry<String, Float> e : labelWeights.entrySet()) {
            Float w = e.getValue();
            if (w == null || !(w >= 0) || w.isInfinite()) {
                throw new PropertyException("", "labelWeights", "the weight of label '" + e.getKey()
                        + "' must be finite and >= 0, found " + w);
            }
        }
    }

    /**
     * Sets the label weights (Tribuo's {@link WeightedLabels}): each label's examples count this much in the
     * training loss. Recorded in the provenance as the {@code labelWeights} configuration.
     * @param weights the weight of each label; labels not listed weigh 1.
     * @throws PropertyException if a weight is negative or not finite.
     */
    @Override
    public synchronized void setLabelWeights(Map<Label, Float> weights) {
        Map<String, Float> byName = new HashMap<>();
        for (Map.Entry<Label, Float> e : weights.entrySet()) {
            byName.put(e.getKey().getLabel(), e.getValue());
        }
        labelWeights = byName;
        postConfig();
    }

    /** A copy for a reused builder, with a map of label weights of its own. */
    @Override
    MLPTrainer copyConfiguration() {
        MLPTrainer copy = (MLPTrainer) super.copyConfiguration();
        copy.labelWeights = new HashMap<>(labelWeights);
        return copy;
    }

    /** @return MixUp's α, 0 for none. */
    public double getMixUpAlpha() {
        return mixUpAlpha;
    }

    @Override
    double mixUpAlpha() {
        return mixUpAlpha;
    }

    /** @return the label smoothing ε, 0 for none. */
    public double getLabelSmoothing() {
        return labelSmoothing;
    }

    /** @return the label weights by label name (unmodifiable; labels not listed weigh 1). */
    public Map<String, Float> getLabelWeights() {
        return Collections.unmodifiableMap(labelWeights);
    }

    /**
     * Starts a trainer configuration with the defaults: no hidden layer, Adam, 10 epochs, batch 128.
     * @return a builder.
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    OutputHead<Label> head(ImmutableOutputInfo<Label> outputs) {
        return new LabelHead(outputs, labelWeights, labelSmoothing);
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

        /**
         * Weights one label's examples in the training loss (Keras {@code class_weight}).
         * @param label the label name.
         * @param weight its weight, finite and &gt;= 0 (0 ignores the label's examples).
         * @return this builder.
         */
        public Builder labelWeight(String label, double weight) {
            t().labelWeights.put(label, (float) weight);
            return this;
        }

        /**
         * Sets label smoothing (Keras {@code CategoricalCrossentropy(label_smoothing=ε)}, PyTorch
         * {@code CrossEntropyLoss(label_smoothing=ε)}): each training target becomes
         * {@code (1 − ε)·onehot(y) + ε/K} over the K labels, and the reported training and validation losses are
         * the smoothed cross-entropy ({@link dev.regula.nn.SmoothedSoftmaxCrossEntropy}).
         * @param epsilon ε in [0, 1), 0 for none (the default); checked by {@link #build()}.
         * @return this builder.
         */
        public Builder labelSmoothing(double epsilon) {
            t().labelSmoothing = epsilon;
            return this;
        }

        /**
         * Sets MixUp (Zhang et al. 2018; Keras {@code MixUp(alpha)}): every training batch is mixed with a random
         * permutation π of itself, {@code x̃_i = λ_i x_i + (1 − λ_i) x_π(i)} and likewise the one-hot targets,
         * λ_i ~ Beta(α, α) ({@link dev.regula.nn.MixUp}). The training loss and accuracy are then those of the
         * mixed batches; validation is never mixed.
         * @param alpha α, finite and &gt; 0 (Keras' default 0.2), or 0 for none (the default); checked by
         *              {@link #build()}.
         * @return this builder.
         */
        public Builder mixUp(double alpha) {
            t().mixUpAlpha = alpha;
            return this;
        }
    }
}
