package dev.regula.nn;

import java.util.SplittableRandom;

/**
 * Kernel initialisation schemes. Biases always start at zero (Keras' default).
 */
public enum WeightInit {
    /** Glorot (Xavier) uniform, Keras' default: U(−l, l) with {@code l = √(6 / (fanIn + fanOut))}. */
    GLOROT_UNIFORM,
    /** He uniform, suited to ReLU: U(−l, l) with {@code l = √(6 / fanIn)}. */
    HE_UNIFORM;

    /**
     * Fills a kernel with random values.
     * @param kernel the kernel, fanIn × fanOut row-major.
     * @param fanIn the number of inputs.
     * @param fanOut the number of outputs.
     * @param rng the random source.
     */
    public void fill(float[] kernel, int fanIn, int fanOut, SplittableRandom rng) {
        double limit = this == GLOROT_UNIFORM ? Math.sqrt(6.0 / (fanIn + fanOut)) : Math.sqrt(6.0 / fanIn);
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = (float) ((2.0 * rng.nextDouble() - 1.0) * limit);
        }
    }
}
