package dev.regula.nn;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static dev.regula.testing.ErrorAssertions.failsClearly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MixUp: the Beta weights, the mixed inputs, the mixed loss and its gradient against finite differences. */
class MixUpTest {

    @Test
    void betaWeightsHaveTheMomentsOfBetaAlphaAlpha() {
        for (double alpha : new double[]{0.2, 1.0, 3.0}) {
            SplittableRandom rng = new SplittableRandom(7);
            int n = 200_000;
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                double b = MixUp.beta(rng, alpha);
                assertTrue(b >= 0 && b <= 1);
                sum += b;
                sq += b * b;
            }
            double mean = sum / n;
            double var = sq / n - mean * mean;
            assertEquals(0.5, mean, 0.005, "alpha " + alpha);
            assertEquals(1 / (4 * (2 * alpha + 1)), var, 0.003, "alpha " + alpha + ": var 1/(4(2α+1))");
        }
        failsClearly(() -> new MixUp(0), "mixUpAlpha must be finite and > 0, found 0.0");
        failsClearly(() -> new MixUp(Double.NaN), "NaN");
    }

    @Test
    void inputsAreMixedWithAPermutationOfTheBatch() {
        int rows = 6, cols = 3;
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = i * 0.5f - 2;
        }
        float[] original = x.clone();
        int[] partner = new int[rows];
        float[] lambda = new float[rows];
        new MixUp(0.4).mix(new SplittableRandom(3), x, rows, cols, new float[rows * cols], partner, lambda);
        boolean[] seen = new boolean[rows];
        for (int i = 0; i < rows; i++) {
            seen[partner[i]] = true;
            for (int j = 0; j < cols; j++) {
                assertEquals(lambda[i] * original[i * cols + j] + (1 - lambda[i]) * original[partner[i] * cols + j],
                        x[i * cols + j], 1e-6, "x̃ = λ x_i + (1 − λ) x_π(i), row " + i);
            }
        }
        for (boolean s : seen) {
            assertTrue(s, "the partners are a permutation");
        }
    }

    @Test
    void mixedLossIsTheMixtureOfTheTwoLossesAndItsGradientMatchesFiniteDifferences() {
        int rows = 5, k = 4;
        SplittableRandom data = new SplittableRandom(5);
        float[] z = new float[rows * k];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) (2 * data.nextGaussian());
        }
        float[] y = {0, 3, 1, 1, 2};
        int[] partner = {2, 0, 4, 3, 1};
        float[] lambda = {0.3f, 0.9f, 0.5f, 0.05f, 1f};
        float[] w = {1f, 2f, 0.5f, 0f, 1.5f};
        for (OutputLoss loss : List.of(SoftmaxCrossEntropy.INSTANCE, SmoothedSoftmaxCrossEntropy.of(0.1))) {
            // the value: λ·CE(z, y_i) + (1 − λ)·CE(z, y_π(i)), each row's CE from the unmixed loss
            double expected = 0;
            for (int r = 0; r < rows; r++) {
                float[] row = java.util.Arrays.copyOfRange(z, r * k, (r + 1) * k);
                double own = loss.gradient(row.clone(), new float[]{y[r]}, null, 1, k, new int[1]);
                double other = loss.gradient(row.clone(), new float[]{y[partner[r]]}, null, 1, k, new int[1]);
                expected += lambda[r] * own + (1 - lambda[r]) * other;
            }
            assertEquals(expected / rows, loss.mixedGradient(z.clone(), y, partner, lambda, null, rows, k, new int[1]),
                    1e-6, loss.toString());
            for (float[] weights : new float[][]{null, w}) {
                float[] g = z.clone();
                loss.mixedGradient(g, y, partner, lambda, weights, rows, k, new int[1]);
                double h = 1e-3;
                for (int i = 0; i < z.length; i++) {
                    float[] plus = z.clone();
                    plus[i] += (float) h;
                    float[] minus = z.clone();
                    minus[i] -= (float) h;
                    double fd = (loss.mixedGradient(plus, y, partner, lambda, weights, rows, k, new int[1])
                            - loss.mixedGradient(minus, y, partner, lambda, weights, rows, k, new int[1])) / (2 * h);
                    assertEquals(fd, g[i], 2e-3 + 2e-2 * Math.abs(fd), loss + " weighted=" + (weights != null) + " " + i);
                }
            }
            // λ = 1 everywhere is no mixing
            float[] ones = {1, 1, 1, 1, 1};
            float[] a = z.clone();
            float[] b = z.clone();
            assertEquals(loss.gradient(a, y, w, rows, k, new int[1]),
                    loss.mixedGradient(b, y, partner, ones, w, rows, k, new int[1]), 1e-9);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-7);
            }
        }
        int[] hits = new int[1];
        float[] sure = {5, 0, 0, 0, 0, 0, 5, 0}; // row 0 predicts 0, row 1 predicts 2
        SoftmaxCrossEntropy.INSTANCE.mixedGradient(sure, new float[]{0, 2}, new int[]{1, 0}, new float[]{0.6f, 0.4f},
                null, 2, 4, hits);
        assertEquals(1, hits[0], "row 0: λ 0.6 → its own label 0 (hit); row 1: λ 0.4 → the partner's label 0 (miss)");
        UnsupportedOperationException e = org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class,
                () -> SquaredError.mse().mixedGradient(new float[2], new float[2], new int[]{0}, new float[]{1}, null, 1, 2,
                        new int[1]));
        assertTrue(e.getMessage().contains("does not support MixUp"), e.getMessage());
    }

    @Test
    void theTrainingStepWithMixUpMatchesFiniteDifferences() {
        Blas blas = Backends.get("java", 2);
        int in = 4, hidden = 5, out = 3, rows = 6;
        List<LayerSpec> specs = List.of(LayerSpec.dense(in, hidden, Activation.TANH), LayerSpec.dense(hidden, out, Activation.LINEAR));
        Network net = Network.initialise(0, specs, WeightInit.GLOROT_UNIFORM, new SplittableRandom(2));
        SplittableRandom data = new SplittableRandom(8);
        float[] x = new float[rows * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) data.nextGaussian();
        }
        float[] y = {0, 1, 2, 0, 1, 2};
        float[][] recorded = GradientChecks.paramsOf(net.copy());
        step(net, x, y, rows, blas, GradientChecks.recording(recorded));
        float[][] params = GradientChecks.paramsOf(net);
        double h = 1e-3;
        int checked = 0;
        for (int t = 0; t < params.length; t++) {
            for (int i = 0; i < params[t].length; i++) {
                float orig = params[t][i];
                params[t][i] = (float) (orig + h);
                double plus = step(net, x, y, rows, blas, GradientChecks.recording(GradientChecks.paramsOf(net.copy())));
                params[t][i] = (float) (orig - h);
                double minus = step(net, x, y, rows, blas, GradientChecks.recording(GradientChecks.paramsOf(net.copy())));
                params[t][i] = orig;
                double fd = (plus - minus) / (2 * h);
                assertEquals(fd, recorded[t][i], 2e-3 + 2e-2 * Math.abs(fd), "tensor " + t + " index " + i);
                checked++;
            }
        }
        assertTrue(checked > 40);
    }

    /** One step with a fixed MixUp seed: the same permutation and weights on every call. */
    private static double step(Network net, float[] x, float[] y, int rows, Blas blas, Updater updater) {
        NetworkTrainer t = new NetworkTrainer(net, rows, blas, updater, SmoothedSoftmaxCrossEntropy.of(0.05),
                new SplittableRandom(1));
        t.enableMixUp(new MixUp(0.5), new SplittableRandom(11), rows);
        return t.step(x.clone(), y, rows);
    }
}
