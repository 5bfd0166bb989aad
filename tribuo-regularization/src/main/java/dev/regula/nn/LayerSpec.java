package dev.regula.nn;

import java.io.Serializable;

/**
 * The numeric description of one dense layer: sizes, activation, dropout after it, penalties and max-norm.
 * <p>
 * Penalties follow Keras: the layer adds {@code l1·Σ|w| + l2·Σw²} over its kernel (and, separately, its bias)
 * to the mean batch loss, so its gradient contribution is {@code l1·sign(w) + 2·l2·w}.
 *
 * @param inputs number of inputs (fan-in).
 * @param units number of outputs.
 * @param activation activation applied after the bias ({@link Activation#LINEAR} for the softmax output layer).
 * @param dropout rate of inverted dropout applied to this layer's outputs in training, in [0, 1).
 * @param kernelL1 L1 factor on the kernel.
 * @param kernelL2 L2 factor on the kernel.
 * @param biasL1 L1 factor on the bias.
 * @param biasL2 L2 factor on the bias.
 * @param maxNorm maximum L2 norm of each unit's incoming weight vector, 0 for none.
 */
public record LayerSpec(int inputs, int units, Activation activation, double dropout,
                        double kernelL1, double kernelL2, double biasL1, double biasL2, double maxNorm)
        implements Serializable {

    /**
     * Validates the values.
     */
    public LayerSpec {
        if (inputs < 1 || units < 1) {
            throw new IllegalArgumentException("Layer sizes must be at least 1, found inputs=" + inputs + ", units=" + units);
        }
        if ((long) inputs * units > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("A dense layer of " + units + " units on " + inputs + " inputs needs "
                    + ((long) inputs * units) + " weights, more than the " + (Integer.MAX_VALUE - 8) + " one kernel array holds");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), found " + dropout);
        }
        for (double v : new double[]{kernelL1, kernelL2, biasL1, biasL2, maxNorm}) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("Penalties and max-norm must be finite and >= 0, found " + v);
            }
        }
    }

    /**
     * Whether the layer has any penalty.
     * @return true if a penalty factor is non-zero.
     */
    public boolean hasPenalty() {
        return kernelL1 != 0 || kernelL2 != 0 || biasL1 != 0 || biasL2 != 0;
    }
}
