package dev.regula.nn;

import dev.regula.mlp.Regularizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the backward pass of every head, unweighted and with row weights, against central finite differences of the
 * objective (mean loss plus an L2 penalty), dropout off, on both BLAS backends; and the losses' values against
 * their definitions computed in double.
 */
class HeadGradientCheckTest {

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (String backend : Backends.nativeAvailable() ? new String[]{"java", "openblas"} : new String[]{"java"}) {
            for (int threads : new int[]{1, 2}) {
                for (OutputLoss loss : new OutputLoss[]{SquaredError.mse(), SquaredError.huber(0.3),
                        SigmoidCrossEntropy.withThreshold(0.5), SoftmaxCrossEntropy.INSTANCE,
                        SmoothedSoftmaxCrossEntropy.of(0.2)}) {
                    list.add(Arguments.of(backend, threads, loss, false));
                    list.add(Arguments.of(backend, threads, loss, true));
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} threads={1} {2} weighted={3}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(String backend, int threads, OutputLoss loss, boolean weighted) {
        Blas blas = Backends.get(backend, threads);
        int in = 5, hidden = 6, out = 3, rows = 9;
        List<LayerSpec> specs = List.of(
                LayerSpec.dense(in, hidden, Activation.TANH).withKernelPenalty(Regularizer.l2(0.01)),
                LayerSpec.dense(hidden, out, Activation.LINEAR));
        Network net = Network.initialise(0, specs, WeightInit.GLOROT_UNIFORM, new SplittableRandom(3));
        SplittableRandom data = new SplittableRandom(21);
        float[] x = new float[rows * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) data.nextGaussian();
        }
        float[] y = new float[rows * loss.targetWidth(out)];
        for (int i = 0; i < y.length; i++) {
            y[i] = loss instanceof SoftmaxCrossEntropy || loss instanceof SmoothedSoftmaxCrossEntropy ? data.nextInt(out)
                    : loss instanceof SigmoidCrossEntropy ? (data.nextBoolean() ? 1 : 0) : (float) data.nextGaussian();
        }
        float[] w = null;
        if (weighted) { // uneven weights, one of them 0
            w = new float[rows];
            for (int r = 0; r < rows; r++) {
                w[r] = r == 2 ? 0 : (float) (0.2 + 3 * data.nextDouble());
            }
        }
        float[][] grads = gradients(net, x, y, w, rows, blas, loss);
        float[][] params = GradientChecks.paramsOf(net);
        double h = 1e-3;
        double f0 = objective(net, x, y, w, rows, blas, loss);
        int checked = 0;
        for (float[] p : params) {
            int t = Arrays.asList(params).indexOf(p);
            for (int i = 0; i < p.length; i++) {
                float orig = p[i];
                p[i] = (float) (orig + h);
                double plus = objective(net, x, y, w, rows, blas, loss);
                p[i] = (float) (orig - h);
                double minus = objective(net, x, y, w, rows, blas, loss);
                p[i] = orig;
                double tol = 2e-3 + 2e-2 * Math.abs((plus - minus) / (2 * h));
                if (Math.abs((plus - f0) / h - (f0 - minus) / h) > 5 * tol) {
                    continue; // a Huber kink between w − h and w + h
                }
                assertEquals((plus - minus) / (2 * h), grads[t][i], tol, loss + " tensor " + t + " index " + i);
                checked++;
            }
        }
        assertTrue(checked > 50, "checked " + checked);
    }

    @Test
    void labelSmoothingIsCrossEntropyAgainstTheSmoothedOneHotTarget() {
        int rows = 3, k = 4;
        float[] z = {0.5f, -2f, 3f, 0f, 1f, 1f, 1f, 1f, -40f, 20f, 0f, 2f};
        float[] y = {2f, 0f, 0f};
        double eps = 0.1;
        double expected = 0;
        double[] expectedGrad = new double[rows * k];
        for (int r = 0; r < rows; r++) { // Keras: y_smooth = y·(1 − ε) + ε/K, loss = −Σ y_smooth · log softmax(z)
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, z[r * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(z[r * k + j] - max);
            }
            for (int j = 0; j < k; j++) {
                double target = (j == (int) y[r] ? 1 - eps : 0) + eps / k;
                double logP = z[r * k + j] - max - Math.log(sum);
                expected -= target * logP;
                expectedGrad[r * k + j] = (Math.exp(logP) - target) / rows;
            }
        }
        expected /= rows;
        float[] g = z.clone();
        int[] hits = new int[1];
        assertEquals(expected, SmoothedSoftmaxCrossEntropy.of(eps).gradient(g, y, null, rows, k, hits), 1e-6);
        assertEquals(2, hits[0], "rows 0 and 1 (ties: the first maximum) are right, row 2 is not");
        for (int i = 0; i < g.length; i++) {
            assertEquals(expectedGrad[i], g[i], 1e-6, "gradient " + i);
        }
        float[] p = z.clone();
        SmoothedSoftmaxCrossEntropy.of(eps).activate(p, rows, k);
        assertEquals(expected, SmoothedSoftmaxCrossEntropy.of(eps).meanLoss(p, y, null, rows, k), 1e-5,
                "the validation loss is the same smoothed cross-entropy");
        // ε = 0 is plain softmax cross-entropy, bit for bit in the gradient
        float[] plain = z.clone();
        float[] smoothed0 = z.clone();
        assertEquals(SoftmaxCrossEntropy.INSTANCE.gradient(plain, y, null, rows, k, new int[1]),
                SmoothedSoftmaxCrossEntropy.of(0).gradient(smoothed0, y, null, rows, k, new int[1]), 1e-6);
        for (int i = 0; i < plain.length; i++) {
            assertEquals(plain[i], smoothed0[i], 1e-7, "gradient " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> SmoothedSoftmaxCrossEntropy.of(1));
        assertThrows(IllegalArgumentException.class, () -> SmoothedSoftmaxCrossEntropy.of(Double.NaN));
    }

    @Test
    void lossValuesFollowTheirDefinitions() {
        float[] z = {0.5f, -2f, 3f, 0f};
        float[] y = {1f, 0f, 1f, 1f};
        // squared error: mean of e² over the 2 × 2 elements
        double mse = (0.25 + 4 + 4 + 1) / 4;
        assertEquals(mse, SquaredError.mse().meanLoss(z, y, null, 2, 2), 1e-12);
        assertEquals(mse, SquaredError.mse().gradient(z.clone(), y, null, 2, 2, new int[1]), 1e-6);
        // weighted: row 0 (e² = 0.25, 4) weighs 3, row 1 (4, 1) weighs 1
        assertEquals((3 * (0.25 + 4) / 2 + (4 + 1) / 2.0) / 4, SquaredError.mse().meanLoss(z, y, new float[]{3, 1}, 2, 2), 1e-12);
        assertEquals(0, SquaredError.mse().gradient(z.clone(), y, new float[]{0, 0}, 2, 2, new int[1]), "no weight, no loss");
        // Huber(1): ½e² inside, |e| − ½ outside
        double huber = (0.125 + 1.5 + 1.5 + 0.5) / 4;
        assertEquals(huber, SquaredError.huber(1).meanLoss(z, y, null, 2, 2), 1e-12);
        // binary cross-entropy on logits against the same on probabilities
        double bce = 0;
        for (int i = 0; i < 4; i++) {
            double p = 1 / (1 + Math.exp(-z[i]));
            bce -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
        }
        int[] hits = new int[1];
        assertEquals(bce / 4, SigmoidCrossEntropy.withThreshold(0.5).gradient(z.clone(), y, null, 2, 2, hits), 1e-6);
        assertEquals(1, hits[0], "row 0 (0.5 → 1, −2 → 0) is right; row 1 (0 → 0 against 1) is not");
        float[] p = z.clone();
        SigmoidCrossEntropy.withThreshold(0.5).activate(p, 2, 2);
        assertEquals(bce / 4, SigmoidCrossEntropy.withThreshold(0.5).meanLoss(p, y, null, 2, 2), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> SquaredError.huber(0));
        assertThrows(IllegalArgumentException.class, () -> SquaredError.huber(Double.POSITIVE_INFINITY));
    }


    private static double objective(Network net, float[] x, float[] y, float[] w, int rows, Blas blas, OutputLoss loss) {
        float[][] ignored = GradientChecks.paramsOf(net.copy());
        return new NetworkTrainer(net, rows, blas, GradientChecks.recording(ignored), loss, new SplittableRandom(1)).step(x.clone(), y, w, rows);
    }

    private static float[][] gradients(Network net, float[] x, float[] y, float[] w, int rows, Blas blas, OutputLoss loss) {
        float[][] recorded = GradientChecks.paramsOf(net.copy());
        new NetworkTrainer(net, rows, blas, GradientChecks.recording(recorded), loss, new SplittableRandom(1)).step(x.clone(), y, w, rows);
        return recorded;
    }
}
