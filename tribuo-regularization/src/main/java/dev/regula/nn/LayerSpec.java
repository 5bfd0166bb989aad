package dev.regula.nn;

import org.jspecify.annotations.Nullable;

import java.io.Serializable;

/**
 * The numeric description of one dense layer: sizes, activation, dropout after it, penalties and max-norm.
 * Create one with {@link #dense} and add what the layer has with the {@code with…} methods, e.g.
 * {@code LayerSpec.dense(784, 500, Activation.RELU).withDropout(0.2).withKernelPenalty(p)}.
 * <p>
 * A penalty adds its value to the mean batch loss and its gradient to the parameter's gradient
 * ({@link Penalty}); the kernel and the bias have their own.
 *
 * @param inputs number of inputs (fan-in).
 * @param units number of outputs.
 * @param activation activation applied after the bias ({@link Activation#LINEAR} for the output layer, whose
 *                   head activation is the {@link OutputLoss}'s).
 * @param dropout rate of inverted dropout applied to this layer's outputs in training, in [0, 1).
 * @param kernelPenalty penalty on the kernel, or null for none.
 * @param biasPenalty penalty on the bias, or null for none.
 * @param maxNorm maximum L2 norm of each unit's incoming weight vector, 0 for none.
 * @param noise Gaussian noise applied to this layer's outputs in training (before dropout), {@link Noise#NONE}
 *              for none.
 * @serial exclude
 */
// @serial exclude: JDK 17's javadoc reports the components of a Serializable record as undocumented fields on the
// serialized-form page despite the @param tags above (JDK 25's does not); they are serialized as those components.
public record LayerSpec(int inputs, int units, Activation activation, double dropout,
                        @Nullable Penalty kernelPenalty, @Nullable Penalty biasPenalty, double maxNorm, Noise noise)
        implements Serializable {

    /**
     * Validates the values.
     * @param inputs number of inputs, at least 1.
     * @param units number of outputs, at least 1.
     * @param activation activation applied after the bias.
     * @param dropout dropout rate on the outputs, in [0, 1).
     * @param kernelPenalty penalty on the kernel, or null for none.
     * @param biasPenalty penalty on the bias, or null for none.
     * @param maxNorm maximum L2 norm of each unit's incoming weights, 0 for none.
     * @param noise Gaussian noise on the outputs in training, {@link Noise#NONE} for none.
     * @throws IllegalArgumentException if a value is out of range.
     */
    public LayerSpec {
        if (inputs < 1 || units < 1) {
            throw new IllegalArgumentException("Layer sizes must be at least 1, found inputs=" + inputs + ", units=" + units);
        }
        if ((long) inputs * units > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("A dense layer of " + units + " units on " + inputs + " inputs needs "
                    + ((long) inputs * units) + " weights, more than the " + (Integer.MAX_VALUE - 8) + " one kernel array holds");
        }
        Ranges.require(Ranges.rate("dropout", dropout));
        Ranges.require(Ranges.nonNegativeFinite("maxNorm", maxNorm));
        if (noise == null) {
            throw new IllegalArgumentException("noise must not be null; use Noise.NONE");
        }
    }

    /**
     * A dense layer without dropout, penalties or max-norm.
     * @param inputs the number of inputs.
     * @param units the number of units.
     * @param activation the activation.
     * @return the spec.
     */
    public static LayerSpec dense(int inputs, int units, Activation activation) {
        return new LayerSpec(inputs, units, activation, 0, null, null, 0, Noise.NONE);
    }

    /**
     * This layer with dropout on its outputs.
     * @param rate the rate, in [0, 1).
     * @return the new spec.
     */
    public LayerSpec withDropout(double rate) {
        return new LayerSpec(inputs, units, activation, rate, kernelPenalty, biasPenalty, maxNorm, noise);
    }

    /**
     * This layer with a kernel penalty.
     * @param penalty the penalty, or null for none.
     * @return the new spec.
     */
    public LayerSpec withKernelPenalty(@Nullable Penalty penalty) {
        return new LayerSpec(inputs, units, activation, dropout, penalty, biasPenalty, maxNorm, noise);
    }

    /**
     * This layer with a bias penalty.
     * @param penalty the penalty, or null for none.
     * @return the new spec.
     */
    public LayerSpec withBiasPenalty(@Nullable Penalty penalty) {
        return new LayerSpec(inputs, units, activation, dropout, kernelPenalty, penalty, maxNorm, noise);
    }

    /**
     * This layer with a max-norm constraint on each unit's incoming weights.
     * @param c the maximum norm, 0 for none.
     * @return the new spec.
     */
    public LayerSpec withMaxNorm(double c) {
        return new LayerSpec(inputs, units, activation, dropout, kernelPenalty, biasPenalty, c, noise);
    }

    /**
     * This layer with Gaussian noise on its outputs in training.
     * @param n the noise, {@link Noise#NONE} for none.
     * @return the new spec.
     */
    public LayerSpec withNoise(Noise n) {
        return new LayerSpec(inputs, units, activation, dropout, kernelPenalty, biasPenalty, maxNorm, n);
    }

    /** @return whether training perturbs this layer's outputs (dropout or noise), so they need a copy of their own. */
    boolean perturbed() {
        return dropout > 0 || noise.isActive();
    }

    /** @return whether the backward pass needs a mask of this layer's multiplicative factors. */
    boolean masked() {
        return dropout > 0 || noise.isMultiplicative();
    }
}
