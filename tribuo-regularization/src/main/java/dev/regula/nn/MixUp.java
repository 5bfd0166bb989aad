package dev.regula.nn;

import java.util.SplittableRandom;

/**
 * MixUp (Zhang et al. 2018) inside a minibatch, as Keras 3's {@code keras.layers.MixUp(alpha=0.2)} does it: one
 * random permutation π of the batch's rows and, per row i, a weight λ_i ~ Beta(α, α); then
 * <pre>
 * x̃_i = λ_i·x_i + (1 − λ_i)·x_π(i)        ỹ_i = λ_i·y_i + (1 − λ_i)·y_π(i)
 * </pre>
 * The targets are not mixed here: the loss receives both class indices and λ ({@link OutputLoss#mixedGradient}),
 * since cross-entropy is linear in its target, {@code CE(z, ỹ) = λ·CE(z, y_i) + (1 − λ)·CE(z, y_π(i))}.
 * Training only; the model predicts on unmixed inputs.
 */
public final class MixUp {
    private final double alpha;

    /**
     * @param alpha the Beta distribution's parameter α, finite and &gt; 0 (small α: λ near 0 or 1, little mixing;
     *              α = 1: λ uniform).
     * @throws IllegalArgumentException if α is not finite and positive.
     */
    public MixUp(double alpha) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("mixUpAlpha must be finite and > 0, found " + alpha);
        }
        this.alpha = alpha;
    }

    /** @return α. */
    public double alpha() {
        return alpha;
    }

    /**
     * Mixes the rows of a batch in place. Draws, in order: the permutation (a Fisher–Yates shuffle), then λ_i for
     * each row i.
     * @param rng the random stream.
     * @param x the inputs, rows × cols row-major, overwritten by the mixed inputs.
     * @param rows the number of rows.
     * @param cols the number of columns.
     * @param original scratch of at least rows × cols values (receives a copy of the unmixed inputs).
     * @param partner out: π(i) for each row.
     * @param lambda out: λ_i for each row.
     */
    void mix(SplittableRandom rng, float[] x, int rows, int cols, float[] original, int[] partner, float[] lambda) {
        for (int i = 0; i < rows; i++) {
            partner[i] = i;
        }
        for (int i = rows - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = partner[i];
            partner[i] = partner[j];
            partner[j] = t;
        }
        for (int i = 0; i < rows; i++) {
            lambda[i] = (float) beta(rng, alpha);
        }
        System.arraycopy(x, 0, original, 0, rows * cols);
        for (int i = 0; i < rows; i++) {
            float l = lambda[i];
            float m = 1 - l;
            int o = i * cols;
            int p = partner[i] * cols;
            for (int j = 0; j < cols; j++) {
                x[o + j] = l * original[o + j] + m * original[p + j];
            }
        }
    }

    /**
     * A Beta(a, a) draw, as X / (X + Y) of two Gamma(a, 1) draws.
     * @param rng the random stream.
     * @param a the parameter, &gt; 0.
     * @return the draw, in [0, 1].
     */
    static double beta(SplittableRandom rng, double a) {
        double x = gamma(rng, a);
        double y = gamma(rng, a);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /**
     * A Gamma(a, 1) draw by Marsaglia and Tsang's method (2000), with Gamma(a) = Gamma(a + 1)·U^(1/a) for a &lt; 1.
     * @param rng the random stream.
     * @param a the shape, &gt; 0.
     * @return the draw.
     */
    static double gamma(SplittableRandom rng, double a) {
        if (a < 1) {
            double u = rng.nextDouble();
            return gamma(rng, a + 1) * Math.pow(u, 1 / a);
        }
        double d = a - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z;
            double v;
            do {
                z = rng.nextGaussian();
                v = 1 + c * z;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * z * z * z * z || Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
