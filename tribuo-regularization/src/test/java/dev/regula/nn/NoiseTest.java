package dev.regula.nn;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.regula.testing.ErrorAssertions.failsClearly;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keras' GaussianNoise and GaussianDropout semantics of {@link Noise}: the moments of the noise, the mask, the ranges. */
class NoiseTest {
    private static final int N = 200_000;

    @Test
    void gaussianNoiseAddsZeroMeanNoiseOfTheGivenStandardDeviation() {
        float[] v = new float[N];
        Arrays.fill(v, 2f);
        new Noise(0.5, 0).add(new SplittableRandom(1), v, 0, N);
        double[] m = moments(v);
        assertEquals(2.0, m[0], 0.005, "mean unchanged");
        assertEquals(0.25, m[1], 0.005, "variance stddev²");
    }

    @Test
    void gaussianDropoutMultipliesByMeanOneNoiseOfVarianceRateOverOneMinusRate() {
        float[] v = new float[N];
        Arrays.fill(v, 3f);
        float[] mask = new float[N];
        Arrays.fill(mask, 2f); // a dropout mask already there: the factors multiply into it
        new Noise(0, 0.2).multiply(new SplittableRandom(2), v, mask, 0, N);
        double[] m = moments(v);
        assertEquals(3.0, m[0], 0.01, "mean unchanged");
        assertEquals(9 * 0.2 / 0.8, m[1], 0.02, "variance 9 · rate/(1 − rate)");
        for (int i = 0; i < N; i += 997) {
            assertEquals(v[i] / 3f * 2f, mask[i], 1e-5, "mask holds the factor " + i);
        }
    }

    @Test
    void drawsAreDeterministicAndZeroMeansNone() {
        float[] a = new float[100];
        float[] b = new float[100];
        Noise n = new Noise(0.3, 0.1);
        n.add(new SplittableRandom(5), a, 0, 100);
        n.add(new SplittableRandom(5), b, 0, 100);
        assertArrayEquals(a, b);
        float[] c = a.clone();
        Noise.NONE.add(new SplittableRandom(5), c, 0, 100);
        Noise.NONE.multiply(new SplittableRandom(5), c, null, 0, 100);
        assertArrayEquals(a, c, "no noise, no change");
        assertFalse(Noise.NONE.isActive());
        assertTrue(new Noise(0, 0.1).isMultiplicative());
        assertFalse(new Noise(0.1, 0).isMultiplicative());
    }

    @Test
    void outOfRangeValuesAreRefusedByName() {
        failsClearly(() -> new Noise(-0.1, 0), "gaussianNoise", "-0.1");
        failsClearly(() -> new Noise(Double.POSITIVE_INFINITY, 0), "gaussianNoise", "Infinity");
        failsClearly(() -> new Noise(0, 1), "gaussianDropout", "[0, 1)");
        failsClearly(() -> new Noise(0, Double.NaN), "gaussianDropout", "NaN");
        failsClearly(() -> Network.initialise(0, java.util.List.of(LayerSpec.dense(2, 2, Activation.LINEAR)
                .withNoise(new Noise(0.1, 0))), WeightInit.GLOROT_UNIFORM, new SplittableRandom(1)), "output layer");
    }

    private static double[] moments(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        return new double[]{mean, var / v.length};
    }
}
