package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.regula.config.Checks;
import dev.regula.nn.Activation;
import dev.regula.nn.LayerSpec;
import dev.regula.nn.Noise;
import org.jspecify.annotations.Nullable;

import java.io.Serializable;

/**
 * One hidden dense layer: {@code units} outputs, an activation, optional kernel and bias penalties, an optional
 * max-norm constraint on each unit's incoming weights, and what perturbs its outputs in training only: additive
 * Gaussian noise, the rate of (inverted) dropout and the rate of multiplicative Gaussian noise
 * ({@link Noise}, {@code docs/toolbox.md}). Create with {@link #dense(int)}.
 */
public final class Layer implements Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {
    private static final long serialVersionUID = 1L;

    /** Number of units (outputs), at least 1. */
    @Config(mandatory = true, description = "Number of units (outputs), at least 1.")
    private int units;

    /** Activation function: RELU, TANH, SIGMOID, ELU or LINEAR. */
    @Config(description = "Activation function: RELU, TANH, SIGMOID, ELU or LINEAR.")
    private Activation activation = Activation.RELU;

    /** Penalty on the kernel (Keras kernel_regularizer); none if unset. */
    @Config(description = "Penalty on the kernel (Keras kernel_regularizer); none if unset.")
    private @Nullable Regularizer kernelRegularizer;

    /** Penalty on the bias (Keras bias_regularizer); none if unset. */
    @Config(description = "Penalty on the bias (Keras bias_regularizer); none if unset.")
    private @Nullable Regularizer biasRegularizer;

    /**
     * Max-norm constraint c on each unit's incoming weight vector (Keras MaxNorm(c), applied after every update); 0 =
     * none.
     */
    @Config(description = "Max-norm constraint c on each unit's incoming weight vector (Keras MaxNorm(c), applied after every update); 0 = none.")
    private double maxNorm = 0.0;

    /** Rate of inverted dropout applied to this layer's outputs in training, in [0, 1). */
    @Config(description = "Rate of inverted dropout applied to this layer's outputs in training, in [0, 1).")
    private double dropout = 0.0;

    /** Standard deviation σ of the Gaussian noise added to the outputs in training (Keras GaussianNoise); 0 = none. */
    @Config(description = "Standard deviation of zero-mean Gaussian noise added to this layer's outputs in training "
            + "(Keras GaussianNoise(stddev)), finite and >= 0; 0 = none.")
    private double gaussianNoise = 0.0;

    /** Rate of the multiplicative Gaussian noise on the outputs in training (Keras GaussianDropout); 0 = none. */
    @Config(description = "Rate of multiplicative Gaussian noise N(1, rate/(1-rate)) on this layer's outputs in "
            + "training (Keras GaussianDropout(rate)), in [0, 1); 0 = none.")
    private double gaussianDropout = 0.0;

    /** For OLCUT. */
    private Layer() {}

    /**
     * Starts a dense layer with ReLU activation, no penalty, no constraint and no dropout.
     * @param units the number of units, at least 1.
     * @return a builder.
     */
    public static Builder dense(int units) {
        return new Builder(units);
    }

    @Override
    public void postConfig() {
        if (units < 1) {
            throw new PropertyException("", "units", "units must be at least 1, found " + units);
        }
        if (activation == null) {
            throw new PropertyException("", "activation", "activation must be one of " + java.util.Arrays.toString(Activation.values()));
        }
        Checks.nonNegativeFinite("maxNorm", maxNorm);
        Checks.rate("dropout", dropout);
        Checks.nonNegativeFinite("gaussianNoise", gaussianNoise);
        Checks.rate("gaussianDropout", gaussianDropout);
    }

    /**
     * The numeric description of this layer for the kernels.
     * @param inputs the layer's fan-in.
     * @return the spec.
     */
    LayerSpec spec(int inputs) {
        return LayerSpec.dense(inputs, units, activation).withDropout(dropout).withKernelPenalty(Regularizer.active(kernelRegularizer))
                .withBiasPenalty(Regularizer.active(biasRegularizer)).withMaxNorm(maxNorm)
                .withNoise(new Noise(gaussianNoise, gaussianDropout));
    }

    /** @return the number of units. */
    public int getUnits() {
        return units;
    }

    /** @return the activation. */
    public Activation getActivation() {
        return activation;
    }

    /** @return the kernel penalty, or null. */
    public @Nullable Regularizer getKernelRegularizer() {
        return kernelRegularizer;
    }

    /** @return the bias penalty, or null. */
    public @Nullable Regularizer getBiasRegularizer() {
        return biasRegularizer;
    }

    /** @return the max-norm constraint, 0 for none. */
    public double getMaxNorm() {
        return maxNorm;
    }

    /** @return the dropout rate after this layer. */
    public double getDropout() {
        return dropout;
    }

    /** @return the standard deviation of the Gaussian noise added to this layer's outputs in training, 0 for none. */
    public double getGaussianNoise() {
        return gaussianNoise;
    }

    /** @return the rate of multiplicative Gaussian noise on this layer's outputs in training, 0 for none. */
    public double getGaussianDropout() {
        return gaussianDropout;
    }

    /** A distinct instance with the same configuration (so that OLCUT sees one component per layer). */
    Layer copy() {
        Layer out = new Layer();
        out.units = units;
        out.activation = activation;
        out.kernelRegularizer = kernelRegularizer;
        out.biasRegularizer = biasRegularizer;
        out.maxNorm = maxNorm;
        out.dropout = dropout;
        out.gaussianNoise = gaussianNoise;
        out.gaussianDropout = gaussianDropout;
        return out;
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Layer");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Dense(").append(units).append(", ").append(activation);
        if (kernelRegularizer != null) {
            sb.append(", kernel=").append(kernelRegularizer);
        }
        if (biasRegularizer != null) {
            sb.append(", bias=").append(biasRegularizer);
        }
        if (maxNorm > 0) {
            sb.append(", maxNorm=").append(maxNorm);
        }
        if (dropout > 0) {
            sb.append(", dropout=").append(dropout);
        }
        if (gaussianNoise > 0) {
            sb.append(", gaussianNoise=").append(gaussianNoise);
        }
        if (gaussianDropout > 0) {
            sb.append(", gaussianDropout=").append(gaussianDropout);
        }
        return sb.append(')').toString();
    }

    /**
     * Builder of a {@link Layer}; values are validated by {@link #build()}.
     */
    public static final class Builder {
        private final Layer layer = new Layer();

        private Builder(int units) {
            layer.units = units;
        }

        /**
         * Sets the activation.
         * @param activation the activation.
         * @return this builder.
         */
        public Builder activation(Activation activation) {
            layer.activation = activation;
            return this;
        }

        /**
         * Sets the kernel penalty.
         * @param regularizer the penalty, or null for none.
         * @return this builder.
         */
        public Builder kernelRegularizer(@Nullable Regularizer regularizer) {
            layer.kernelRegularizer = regularizer;
            return this;
        }

        /**
         * Sets the bias penalty.
         * @param regularizer the penalty, or null for none.
         * @return this builder.
         */
        public Builder biasRegularizer(@Nullable Regularizer regularizer) {
            layer.biasRegularizer = regularizer;
            return this;
        }

        /**
         * Sets the max-norm constraint.
         * @param maxNorm the maximum norm of each unit's incoming weights, 0 for none.
         * @return this builder.
         */
        public Builder maxNorm(double maxNorm) {
            layer.maxNorm = maxNorm;
            return this;
        }

        /**
         * Sets the dropout rate after this layer.
         * @param rate the rate in [0, 1).
         * @return this builder.
         */
        public Builder dropout(double rate) {
            layer.dropout = rate;
            return this;
        }

        /**
         * Adds zero-mean Gaussian noise to this layer's outputs in training (Keras {@code GaussianNoise(stddev)}):
         * {@code a ← a + stddev·n}, n ~ N(0, 1), before dropout; nothing at inference.
         * @param stddev the standard deviation, finite and &gt;= 0 (0 = none).
         * @return this builder.
         */
        public Builder gaussianNoise(double stddev) {
            layer.gaussianNoise = stddev;
            return this;
        }

        /**
         * Multiplies this layer's outputs in training by Gaussian noise of mean 1 (Keras
         * {@code GaussianDropout(rate)}): {@code a ← a·(1 + s·n)}, n ~ N(0, 1), s = √(rate / (1 − rate));
         * nothing at inference.
         * @param rate the rate in [0, 1) (0 = none).
         * @return this builder.
         */
        public Builder gaussianDropout(double rate) {
            layer.gaussianDropout = rate;
            return this;
        }

        /**
         * Validates and returns the layer.
         * @return the layer.
         * @throws PropertyException naming the invalid field.
         */
        public Layer build() {
            layer.postConfig();
            return layer.copy();
        }
    }
}
