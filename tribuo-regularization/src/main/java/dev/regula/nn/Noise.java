package dev.regula.nn;

import org.jspecify.annotations.Nullable;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Gaussian noise applied in training only, after a layer's activation or to the inputs — Keras' two noise layers
 * in one value:
 * <pre>
 * GaussianNoise(stddev):   v ← v + σ·n,          n ~ N(0, 1), σ = stddev
 * GaussianDropout(rate):   v ← v · (1 + s·n),    n ~ N(0, 1), s = √(rate / (1 − rate))
 * </pre>
 * one fresh n per value and step. With both, the additive noise comes first (as a Keras model stacking
 * {@code GaussianNoise} then {@code GaussianDropout} would). The multiplicative factor has mean 1, so, like inverted
 * dropout, the layer is the identity at inference, where no noise is applied. Its variance s² = rate / (1 − rate)
 * equals that of the inverted-dropout mask of the same rate (Srivastava et al. 2014, section 10). PyTorch has no
 * built-in layer for either.
 * <p>
 * For back-propagation the additive noise has derivative 1 and the multiplicative factor is the value's
 * derivative, recorded in a mask as dropout's is.
 *
 * @param stddev the standard deviation σ of the additive noise, finite and &gt;= 0 (0 = none).
 * @param gaussianDropout the rate of multiplicative Gaussian noise, in [0, 1) (0 = none).
 * @serial exclude
 */
public record Noise(double stddev, double gaussianDropout) implements Serializable {
    /** No noise. */
    public static final Noise NONE = new Noise(0, 0);

    /**
     * Validates the values.
     * @param stddev the standard deviation of the additive noise, finite and &gt;= 0.
     * @param gaussianDropout the rate of multiplicative Gaussian noise, in [0, 1).
     * @throws IllegalArgumentException if a value is out of range.
     */
    public Noise {
        Ranges.require(Ranges.nonNegativeFinite("gaussianNoise", stddev));
        Ranges.require(Ranges.rate("gaussianDropout", gaussianDropout));
    }

    /** @return whether any noise is applied. */
    public boolean isActive() {
        return stddev > 0 || gaussianDropout > 0;
    }

    /** @return whether the noise multiplies the values (and so needs a mask for the backward pass). */
    public boolean isMultiplicative() {
        return gaussianDropout > 0;
    }

    /**
     * Adds the Gaussian noise σ·n in place to {@code v[from, to)}, one standard normal per value from {@code rng}
     * in index order; nothing if σ = 0.
     * @param rng the random stream.
     * @param v the values.
     * @param from the first index.
     * @param to one past the last index.
     */
    void add(SplittableRandom rng, float[] v, int from, int to) {
        if (stddev > 0) {
            float sigma = (float) stddev;
            for (int i = from; i < to; i++) {
                v[i] += sigma * (float) rng.nextGaussian();
            }
        }
    }

    /**
     * Multiplies {@code v[from, to)} in place by Gaussian-dropout factors {@code 1 + s·n}, one standard normal per
     * value from {@code rng} in index order, and multiplies the same factors into {@code mask}; nothing if the
     * rate is 0.
     * @param rng the random stream.
     * @param v the values.
     * @param mask the backward pass's mask (holding dropout's factors, or ones), or null where no gradient flows
     *             back (the inputs).
     * @param from the first index.
     * @param to one past the last index.
     */
    void multiply(SplittableRandom rng, float[] v, float @Nullable [] mask, int from, int to) {
        if (gaussianDropout > 0) {
            double s = Math.sqrt(gaussianDropout / (1 - gaussianDropout));
            for (int i = from; i < to; i++) {
                float factor = (float) (1 + s * rng.nextGaussian());
                v[i] *= factor;
                if (mask != null) {
                    mask[i] *= factor;
                }
            }
        }
    }
}
