package dev.regula.nn;

import dev.regula.mlp.Regularizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sparse first layer: {@link SparseProducts} against dense products, the sparse {@link NetworkTrainer} step's
 * gradients against finite differences and against the dense step, the touched-rows update against the full one
 * (bit for bit), and the sparse inference pass against the dense one.
 */
class SparseProductsTest {

    /** A random matrix with about {@code density} of its cells non-zero (each row at least one). */
    static float[] sparseDense(int rows, int cols, double density, SplittableRandom rng) {
        float[] x = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            x[r * cols + rng.nextInt(cols)] = (float) rng.nextGaussian();
            for (int j = 0; j < cols; j++) {
                if (rng.nextDouble() < density) {
                    x[r * cols + j] = (float) rng.nextGaussian();
                }
            }
        }
        return x;
    }

    private static float[] gaussian(int n, SplittableRandom rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    @Test
    void productsMatchDenseProducts() {
        SplittableRandom rng = new SplittableRandom(5);
        int rows = 9, cols = 40, units = 7;
        float[] dense = sparseDense(rows, cols, 0.1, rng);
        CsrMatrix x = CsrMatrix.fromDense(dense, rows, cols);
        assertArrayEquals(dense, x.toDense());
        float[] w = gaussian(cols * units, rng);
        float[] delta = gaussian(rows * units, rng);
        float[] z = new float[rows * units];
        SparseProducts.multiply(x, 0, rows, w, units, z, 0, SparseProducts.scratch(units));
        SparseColumns xt = new SparseColumns(cols);
        xt.index(x);
        float[] g = new float[cols * units];
        SparseProducts.transposedTimes(xt, 0, xt.size(), delta, units, g, SparseProducts.scratch(units));
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < units; j++) {
                double s = 0;
                for (int k = 0; k < cols; k++) {
                    s += (double) dense[r * cols + k] * w[k * units + j];
                }
                assertEquals(s, z[r * units + j], 1e-5, "Z[" + r + "," + j + "]");
            }
        }
        for (int k = 0; k < cols; k++) {
            for (int j = 0; j < units; j++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    s += (double) dense[r * cols + k] * delta[r * units + j];
                }
                assertEquals(s, g[k * units + j], 1e-5, "G[" + k + "," + j + "]");
            }
        }
        int touched = 0;
        for (int k = 0; k < cols; k++) {
            boolean any = false;
            for (int r = 0; r < rows; r++) {
                any |= dense[r * cols + k] != 0;
            }
            touched += any ? 1 : 0;
        }
        assertEquals(touched, xt.size());
        for (int t = 1; t < xt.size(); t++) {
            assertTrue(xt.column(t) > xt.column(t - 1));
        }
        // a row's product does not depend on the other rows: one row alone gives the same bits
        float[] alone = new float[units];
        CsrMatrix row3 = CsrMatrix.fromDense(Arrays.copyOfRange(dense, 3 * cols, 4 * cols), 1, cols);
        SparseProducts.multiply(row3, 0, 1, w, units, alone, 0, SparseProducts.scratch(units));
        assertArrayEquals(Arrays.copyOfRange(z, 3 * units, 4 * units), alone);
    }

    /**
     * Both products add the entries' terms one at a time in entry order, in float32 without fused multiply-adds:
     * bit for bit the plain loop, for rows and columns of every length around the four-term passes.
     */
    @Test
    void productsSumEntriesInOrderBitForBit() {
        SplittableRandom rng = new SplittableRandom(11);
        int cols = 30, units = 13;
        for (int entries = 1; entries <= 11; entries++) {
            int rows = 3;
            float[] dense = new float[rows * cols];
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < entries; k++) {
                    dense[r * cols + k * 2 + r] = (float) rng.nextGaussian();
                }
            }
            CsrMatrix x = CsrMatrix.fromDense(dense, rows, cols);
            float[] w = gaussian(cols * units, rng);
            float[] delta = gaussian(rows * units, rng);
            float[] z = new float[rows * units];
            SparseProducts.multiply(x, 0, rows, w, units, z, 0, SparseProducts.scratch(units));
            SparseColumns xt = new SparseColumns(cols);
            xt.index(x);
            float[] g = new float[cols * units];
            SparseProducts.transposedTimes(xt, 0, xt.size(), delta, units, g, SparseProducts.scratch(units));
            float[] zRef = new float[rows * units];
            float[] gRef = new float[cols * units];
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) {
                    float v = dense[r * cols + k];
                    if (v != 0) {
                        for (int j = 0; j < units; j++) {
                            zRef[r * units + j] += v * w[k * units + j];
                        }
                    }
                }
            }
            for (int k = 0; k < cols; k++) {
                for (int r = 0; r < rows; r++) {
                    float v = dense[r * cols + k];
                    if (v != 0) {
                        for (int j = 0; j < units; j++) {
                            gRef[k * units + j] += v * delta[r * units + j];
                        }
                    }
                }
            }
            assertArrayEquals(zRef, z, "X·W with " + entries + " entries per row");
            assertArrayEquals(gRef, g, "Xᵀ·Δ with " + entries + " entries per row");
        }
    }

    @Test
    void malformedMatricesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new CsrMatrix(1, 4, new float[]{1, 2}, new int[]{2, 1}, new int[]{0, 2}), "columns out of order");
        assertThrows(IllegalArgumentException.class,
                () -> new CsrMatrix(1, 4, new float[]{1}, new int[]{4}, new int[]{0, 1}), "column out of range");
        assertThrows(IllegalArgumentException.class,
                () -> new CsrMatrix(2, 4, new float[]{1}, new int[]{0}, new int[]{0, 1, 0}), "decreasing pointers");
        assertThrows(IllegalArgumentException.class,
                () -> new CsrMatrix(1, 4, new float[]{}, new int[]{}, new int[]{0, 1}), "too few entries");
    }

    static Stream<Arguments> gradientCases() {
        List<Arguments> list = new ArrayList<>();
        for (Activation a : Activation.values()) {
            list.add(Arguments.of(a, 0.0, 0.0, 0.0, true));
            list.add(Arguments.of(a, 0.01, 0.02, 0.0, true));  // L1L2 on the sparse layer
            list.add(Arguments.of(a, 0.0, 0.0, 0.25, true));   // input dropout on the stored entries
        }
        list.add(Arguments.of(Activation.LINEAR, 0.0, 0.0, 0.0, false)); // no hidden layer: the output layer is sparse
        list.add(Arguments.of(Activation.LINEAR, 0.0, 0.03, 0.0, false));
        return list.stream();
    }

    @ParameterizedTest(name = "{0} l1={1} l2={2} inputDropout={3} hidden={4}")
    @MethodSource("gradientCases")
    void sparseGradientsMatchFiniteDifferences(Activation act, double l1, double l2, double inputDropout, boolean hidden) {
        Blas blas = Backends.get("java", 2);
        int in = 30, h = 6, out = 3, rows = 8;
        Penalty p = l1 == 0 && l2 == 0 ? null : Regularizer.l1l2(l1, l2);
        List<LayerSpec> specs = hidden
                ? List.of(LayerSpec.dense(in, h, act).withKernelPenalty(p), LayerSpec.dense(h, out, Activation.LINEAR))
                : List.of(LayerSpec.dense(in, out, Activation.LINEAR).withKernelPenalty(p));
        Network net = Network.initialise(inputDropout, specs, WeightInit.GLOROT_UNIFORM, new SplittableRandom(3));
        SplittableRandom data = new SplittableRandom(11);
        for (float[] b : net.biases) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) ((data.nextBoolean() ? 1 : -1) * (0.05 + data.nextDouble() * 0.2));
            }
        }
        float[] dense = sparseDense(rows, in, 0.12, data);
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = data.nextInt(out);
        }
        float[][] grads = recordedGradients(net, dense, y, rows, blas, true, false);
        float[][] params = GradientChecks.paramsOf(net);
        double step = 1e-3;
        double f0 = objective(net, dense, y, rows, blas);
        int checked = 0;
        int kinks = 0;
        for (int t = 0; t < params.length; t++) {
            for (int i = 0; i < params[t].length; i++) {
                float orig = params[t][i];
                params[t][i] = (float) (orig + step);
                double plus = objective(net, dense, y, rows, blas);
                params[t][i] = (float) (orig - step);
                double minus = objective(net, dense, y, rows, blas);
                params[t][i] = orig;
                double fd = (plus - minus) / (2 * step);
                double tol = 2e-3 + 2e-2 * Math.abs(fd);
                if (Math.abs((plus - f0) / step - (f0 - minus) / step) > 5 * tol) {
                    kinks++;
                    continue;
                }
                assertEquals(fd, grads[t][i], tol, "tensor " + t + " index " + i);
                checked++;
            }
        }
        assertTrue(checked > 60 && kinks * 10 < checked, "checked " + checked + ", skipped at kinks " + kinks);
        if (inputDropout == 0) { // the dense step sees the same inputs (input dropout draws differ between the paths)
            float[][] denseGrads = recordedGradients(net, dense, y, rows, blas, false, false);
            for (int t = 0; t < grads.length; t++) {
                for (int i = 0; i < grads[t].length; i++) {
                    assertEquals(denseGrads[t][i], grads[t][i], 1e-5 + 1e-4 * Math.abs(denseGrads[t][i]), "tensor " + t + " index " + i);
                }
            }
        }
    }

    /** One sparse step with a weight-preserving optimiser and a fixed dropout seed. */
    private static double objective(Network net, float[] dense, float[] y, int rows, Blas blas) {
        float[][] ignored = GradientChecks.paramsOf(net.copy());
        return new NetworkTrainer(net, rows, blas, GradientChecks.recording(ignored), SoftmaxCrossEntropy.INSTANCE,
                new SplittableRandom(99), true).step(CsrMatrix.fromDense(dense, rows, net.numInputs()), y, null, rows);
    }

    /** The gradients a step hands the optimiser; a skipping optimiser leaves untouched rows at 0. */
    private static float[][] recordedGradients(Network net, float[] dense, float[] y, int rows, Blas blas, boolean sparse,
                                               boolean skipping) {
        float[][] recorded = GradientChecks.paramsOf(net.copy());
        for (float[] r : recorded) {
            Arrays.fill(r, skipping ? 0f : Float.NaN);
        }
        Updater recording = GradientChecks.recording(recorded);
        Updater updater = !skipping ? recording : new Updater() {
            @Override
            public void update(int tensor, float[] param, float[] grad, int from, int to) {
                recording.update(tensor, param, grad, from, to);
            }

            @Override
            public boolean skipsZeroGradients() {
                return true;
            }

            @Override
            public double learningRate() {
                return 0;
            }
            @Override
            public void setLearningRate(double rate) {
                recording.setLearningRate(rate);
            }

            @Override
            public UpdaterState saveState() {
                return recording.saveState();
            }

            @Override
            public void restoreState(UpdaterState state) {
                recording.restoreState(state);
            }
        };
        NetworkTrainer trainer = new NetworkTrainer(net, rows, blas, updater, SoftmaxCrossEntropy.INSTANCE,
                new SplittableRandom(99), sparse);
        if (sparse) {
            trainer.step(CsrMatrix.fromDense(dense, rows, net.numInputs()), y, null, rows);
        } else {
            trainer.step(dense.clone(), y, rows);
        }
        return recorded;
    }

    /**
     * The optimisers whose zero-gradient elements stay put (plain SGD, AdaGrad: the sparse layer skips them) and
     * those that update zero-gradient elements without reading the gradient (Adam, AdamW).
     */
    static Stream<Arguments> skippingUpdaters() {
        return Stream.of(Arguments.of("sgd"), Arguments.of("adagrad"), Arguments.of("adam"), Arguments.of("adamw"));
    }

    private static Updater updater(String name, int[] sizes, boolean allowSkipping) {
        Updater u = name.equals("lazyadam") ? Updaters.lazyAdam(sizes, 1e-2, 0.9, 0.999, 1e-7)
                : name.equals("sgd") ? Updaters.sgd(sizes, 0.1, 0, false)
                : name.equals("adagrad") ? Updaters.adagrad(sizes, 0.05, 0.1, 1e-7)
                : Updaters.adam(sizes, 1e-2, 0.9, 0.999, 1e-7, name.equals("adamw") ? 0.05 : 0);
        if (allowSkipping) {
            return u;
        }
        return new Updater() { // the same rule, made to update every element and to read every gradient
            @Override
            public void beginStep() {
                u.beginStep();
            }

            @Override
            public void update(int tensor, float[] param, float[] grad, int from, int to) {
                u.update(tensor, param, grad, from, to);
            }

            @Override
            public double learningRate() {
                return u.learningRate();
            }
            @Override
            public void setLearningRate(double rate) {
                u.setLearningRate(rate);
            }

            @Override
            public UpdaterState saveState() {
                return u.saveState();
            }

            @Override
            public void restoreState(UpdaterState state) {
                u.restoreState(state);
            }
        };
    }

    /** Trains a few steps on sparse or dense batches and returns the network. */
    private static Network train(String optimiser, boolean sparse, boolean allowSkipping, int threads) {
        return train(optimiser, sparse, allowSkipping, threads, 0.02);
    }

    /** {@link #train(String, boolean, boolean, int)} with inputs of about {@code density} non-zeros. */
    private static Network train(String optimiser, boolean sparse, boolean allowSkipping, int threads, double density) {
        Blas blas = Backends.get("java", threads);
        int in = 200, h = 8, out = 3, rows = 16, steps = 12;
        List<LayerSpec> specs = List.of(LayerSpec.dense(in, h, Activation.RELU), LayerSpec.dense(h, out, Activation.LINEAR));
        Network net = Network.initialise(0, specs, WeightInit.GLOROT_UNIFORM, new SplittableRandom(4));
        NetworkTrainer trainer = new NetworkTrainer(net, rows, blas,
                updater(optimiser, NetworkTrainer.parameterSizes(net), allowSkipping), SoftmaxCrossEntropy.INSTANCE,
                new SplittableRandom(9), sparse);
        SplittableRandom data = new SplittableRandom(21);
        for (int s = 0; s < steps; s++) {
            float[] x = sparseDense(rows, in, density, data);
            float[] y = new float[rows];
            for (int i = 0; i < rows; i++) {
                y[i] = data.nextInt(out);
            }
            if (sparse) {
                trainer.step(CsrMatrix.fromDense(x, rows, in), y, null, rows);
            } else {
                trainer.step(x, y, rows);
            }
        }
        return net;
    }

    @ParameterizedTest
    @MethodSource("skippingUpdaters")
    void skippedRowsAndGradientsGiveTheFullUpdateBitForBit(String optimiser) {
        Network lazy = train(optimiser, true, true, 2);
        Network full = train(optimiser, true, false, 2);
        assertTrue(lazy.sameParameters(full), optimiser + ": skipping untouched rows or their gradient changed the result");
    }

    @ParameterizedTest
    @MethodSource("optimisers")
    void sparseStepsFollowDenseSteps(String optimiser) {
        Network sparse = train(optimiser, true, true, 2);
        Network dense = train(optimiser, false, true, 2);
        for (int l = 0; l < 2; l++) {
            float[] a = sparse.getKernel(l);
            float[] b = dense.getKernel(l);
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-4 + 1e-3 * Math.abs(b[i]), optimiser + " layer " + l + " index " + i);
            }
        }
        assertTrue(sparse.sameParameters(train(optimiser, true, true, 2)), "same seed and threads, different weights");
    }

    /**
     * Adam visits every kernel row by runs (few rows touched) or in one pass reading the zero gradient (many rows
     * touched: at density 0.2 a batch of 16 touches most of the 200 columns); both give the full update's bits, and
     * both follow the dense path.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.005, 0.2})
    void adamVisitsEveryRowAtAnyDensity(double density) {
        Network sparse = train("adam", true, true, 2, density);
        assertTrue(sparse.sameParameters(train("adam", true, false, 2, density)));
        Network dense = train("adam", false, true, 2, density);
        float[] a = sparse.getKernel(0);
        float[] b = dense.getKernel(0);
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 1e-4 + 1e-3 * Math.abs(b[i]), "density " + density + " index " + i);
        }
    }

    /** Lazy Adam on dense inputs is Adam, bit for bit. */
    @Test
    void lazyAdamIsAdamOnDenseInputs() {
        assertTrue(train("lazyadam", false, true, 2).sameParameters(train("adam", false, true, 2)));
        assertTrue(train("lazyadam", false, true, 1).sameParameters(train("adam", false, true, 1)));
    }

    /**
     * Lazy Adam leaves the kernel rows of features absent from a batch exactly as they were, where Adam keeps moving
     * the rows of features seen before (their first moment is not zero); rows never seen stay put under both (zero
     * moments); the rows of the batch's features move under both.
     */
    @Test
    void lazyAdamLeavesAbsentFeaturesAlone() {
        int in = 50, h = 4, out = 3, rows = 4;
        Blas blas = Backends.get("java", 2);
        SplittableRandom data = new SplittableRandom(8);
        float[] first = new float[rows * in];
        float[] second = new float[rows * in];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < 10; k++) {
                first[r * in + k] = (float) data.nextGaussian();
                second[r * in + 10 + k] = (float) data.nextGaussian();
            }
        }
        float[] y = {0, 1, 2, 1};
        for (String name : new String[]{"lazyadam", "adam"}) {
            Network net = Network.initialise(0, List.of(LayerSpec.dense(in, h, Activation.RELU),
                    LayerSpec.dense(h, out, Activation.LINEAR)), WeightInit.GLOROT_UNIFORM, new SplittableRandom(4));
            float[] initial = net.getKernel(0);
            NetworkTrainer trainer = new NetworkTrainer(net, rows, blas,
                    updater(name, NetworkTrainer.parameterSizes(net), true), SoftmaxCrossEntropy.INSTANCE,
                    new SplittableRandom(9), true);
            trainer.step(CsrMatrix.fromDense(first, rows, in), y, null, rows);
            float[] afterFirst = net.getKernel(0);
            trainer.step(CsrMatrix.fromDense(second, rows, in), y, null, rows);
            float[] afterSecond = net.getKernel(0);
            boolean seenMoved = false;
            boolean presentMoved = false;
            for (int k = 0; k < in; k++) {
                for (int j = 0; j < h; j++) {
                    int i = k * h + j;
                    if (k < 10) {
                        seenMoved |= afterSecond[i] != afterFirst[i];
                    } else if (k < 20) {
                        presentMoved |= afterSecond[i] != afterFirst[i];
                    } else {
                        assertEquals(initial[i], afterSecond[i], 0, name + ": a feature never seen moved, row " + k);
                    }
                }
            }
            assertTrue(presentMoved, name + ": the batch's features did not move");
            assertEquals(name.equals("adam"), seenMoved, name + ": rows of features absent from the second batch");
        }
    }

    static Stream<Arguments> optimisers() {
        return Stream.of(Arguments.of("sgd"), Arguments.of("adagrad"), Arguments.of("adam"), Arguments.of("adamw"));
    }

    @Test
    void sparseInferenceMatchesDenseInference() {
        for (String backend : Backends.nativeAvailable() ? new String[]{"java", "openblas"} : new String[]{"java"}) {
            Blas blas = Backends.get(backend, 2);
            int in = 120, rows = 37;
            List<LayerSpec> specs = List.of(LayerSpec.dense(in, 10, Activation.TANH), LayerSpec.dense(10, 4, Activation.LINEAR));
            Network net = Network.initialise(0, specs, WeightInit.GLOROT_UNIFORM, new SplittableRandom(8));
            float[] dense = sparseDense(rows, in, 0.03, new SplittableRandom(2));
            CsrMatrix x = CsrMatrix.fromDense(dense, rows, in);
            float[] a = new float[rows * 4];
            float[] b = new float[rows * 4];
            Network.Inference inference = net.prepare(blas);
            inference.predict(x, a, SoftmaxCrossEntropy.INSTANCE);
            inference.predict(dense, rows, b, SoftmaxCrossEntropy.INSTANCE);
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], a[i], 1e-6, backend + " output " + i);
            }
            float[] c = new float[rows * 4];
            net.predict(x, c, blas, SoftmaxCrossEntropy.INSTANCE);
            for (int i = 0; i < a.length; i++) {
                assertEquals(b[i], c[i], 1e-6, backend + " validation-path output " + i);
            }
            // row independence: each row alone gives the same bits as in the batch
            for (int r = 0; r < rows; r += 6) {
                float[] one = new float[4];
                inference.predict(CsrMatrix.fromDense(Arrays.copyOfRange(dense, r * in, (r + 1) * in), 1, in), one,
                        SoftmaxCrossEntropy.INSTANCE);
                assertArrayEquals(Arrays.copyOfRange(a, r * 4, r * 4 + 4), one, backend + " row " + r);
            }
        }
    }
}
