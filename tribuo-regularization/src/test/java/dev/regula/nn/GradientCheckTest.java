package dev.regula.nn;

import dev.regula.mlp.Regularizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the backward pass against central finite differences of the objective (mean cross-entropy plus
 * penalties), for every activation, every penalty, dropout with a fixed mask and Gaussian noise and Gaussian
 * dropout with fixed draws, on both BLAS backends.
 */
class GradientCheckTest {

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (String backend : Backends.nativeAvailable() ? new String[]{"java", "openblas"} : new String[]{"java"}) {
            for (int threads : new int[]{1, 2}) {
                for (Activation a : Activation.values()) {
                    list.add(Arguments.of(backend, threads, a, 0.0, 0.0, 0.0, 0.0, Noise.NONE, Noise.NONE)); // plain
                    list.add(Arguments.of(backend, threads, a, 0.01, 0.0, 0.0, 0.0, Noise.NONE, Noise.NONE)); // L1
                    list.add(Arguments.of(backend, threads, a, 0.0, 0.02, 0.0, 0.0, Noise.NONE, Noise.NONE)); // L2
                    // L1L2 + dropout after layers
                    list.add(Arguments.of(backend, threads, a, 0.01, 0.02, 0.3, 0.0, Noise.NONE, Noise.NONE));
                    list.add(Arguments.of(backend, threads, a, 0.0, 0.0, 0.0, 0.25, Noise.NONE, Noise.NONE)); // input dropout
                    // Gaussian noise and Gaussian dropout after layers, with and without dropout; on the inputs
                    list.add(Arguments.of(backend, threads, a, 0.0, 0.0, 0.0, 0.0, new Noise(0.3, 0.2), Noise.NONE));
                    list.add(Arguments.of(backend, threads, a, 0.0, 0.01, 0.3, 0.0, new Noise(0.3, 0.2), Noise.NONE));
                    list.add(Arguments.of(backend, threads, a, 0.0, 0.0, 0.0, 0.0, new Noise(0, 0.4), Noise.NONE));
                    list.add(Arguments.of(backend, threads, a, 0.0, 0.0, 0.0, 0.2, Noise.NONE, new Noise(0.5, 0.3)));
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} threads={1} {2} l1={3} l2={4} dropout={5} inputDropout={6} noise={7} inputNoise={8}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(String backend, int threads, Activation act, double l1, double l2, double dropout,
                                         double inputDropout, Noise noise, Noise inputNoise) {
        Blas blas = Backends.get(backend, threads);
        int in = 6, h1 = 5, h2 = 4, out = 3, rows = 7;
        List<LayerSpec> specs = List.of(
                LayerSpec.dense(in, h1, act).withDropout(dropout).withKernelPenalty(penalty(l1, l2))
                        .withBiasPenalty(penalty(l1 / 2, l2 / 2)).withNoise(noise),
                LayerSpec.dense(h1, h2, act).withDropout(dropout).withKernelPenalty(penalty(l1, l2)).withNoise(noise),
                LayerSpec.dense(h2, out, Activation.LINEAR).withKernelPenalty(penalty(l1, l2)));
        Network net = Network.initialise(inputDropout, specs, WeightInit.GLOROT_UNIFORM, new SplittableRandom(3));
        SplittableRandom data = new SplittableRandom(11);
        // non-zero biases so ReLU/ELU kinks and sign(0) are not hit at the evaluation point
        for (float[] b : net.biases) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) ((data.nextBoolean() ? 1 : -1) * (0.05 + data.nextDouble() * 0.2));
            }
        }
        float[] x = new float[rows * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) data.nextGaussian();
        }
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = data.nextInt(out);
        }
        float[][] grads = gradients(net, x, y, rows, blas, inputNoise);
        float[][] params = GradientChecks.paramsOf(net);
        double h = 1e-3;
        double f0 = objective(net, x, y, rows, blas, inputNoise);
        int checked = 0;
        int kinks = 0;
        for (int t = 0; t < params.length; t++) {
            for (int i = 0; i < params[t].length; i++) {
                float orig = params[t][i];
                params[t][i] = (float) (orig + h);
                double plus = objective(net, x, y, rows, blas, inputNoise);
                params[t][i] = (float) (orig - h);
                double minus = objective(net, x, y, rows, blas, inputNoise);
                params[t][i] = orig;
                double fd = (plus - minus) / (2 * h);
                double an = grads[t][i];
                double tol = 2e-3 + 2e-2 * Math.abs(fd);
                // A ReLU/ELU kink or sign(0) between w-h and w+h makes the one-sided slopes disagree: skip it.
                if (Math.abs((plus - f0) / h - (f0 - minus) / h) > 5 * tol) {
                    kinks++;
                    continue;
                }
                assertEquals(fd, an, tol, "tensor " + t + " index " + i);
                checked++;
            }
        }
        assertTrue(checked > 60 && kinks * 10 < checked, "checked " + checked + ", skipped at kinks " + kinks);
    }

    /** Keras' l1_l2 penalty (the trainer's {@link Regularizer}), none when both factors are 0. */
    private static Penalty penalty(double l1, double l2) {
        return l1 == 0 && l2 == 0 ? null : Regularizer.l1l2(l1, l2);
    }


    /**
     * One step with a weight-preserving optimiser and fixed dropout and noise seeds: the same masks and the same
     * noise on every call, so the objective is a deterministic function of the parameters.
     */
    private static double objective(Network net, float[] x, float[] y, int rows, Blas blas, Noise inputNoise) {
        float[][] ignored = GradientChecks.paramsOf(net.copy());
        return new NetworkTrainer(net, rows, blas, GradientChecks.recording(ignored), SoftmaxCrossEntropy.INSTANCE,
                new SplittableRandom(99), inputNoise, new SplittableRandom(77)).step(x.clone(), y, rows);
    }

    private static float[][] gradients(Network net, float[] x, float[] y, int rows, Blas blas, Noise inputNoise) {
        float[][] recorded = GradientChecks.paramsOf(net.copy());
        for (float[] r : recorded) {
            java.util.Arrays.fill(r, Float.NaN);
        }
        new NetworkTrainer(net, rows, blas, GradientChecks.recording(recorded), SoftmaxCrossEntropy.INSTANCE,
                new SplittableRandom(99), inputNoise, new SplittableRandom(77)).step(x.clone(), y, rows);
        return recorded;
    }
}
