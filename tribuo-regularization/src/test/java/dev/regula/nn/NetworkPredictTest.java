package dev.regula.nn;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Batched inference against a plain double-precision forward pass written out here, for every activation, on both
 * backends and several thread counts, with more rows than one prediction chunk (so chunk boundaries and ragged
 * per-thread row blocks are covered) and non-zero biases.
 */
class NetworkPredictTest {

    @ParameterizedTest(name = "{0} threads={1} {2}")
    @CsvSource({
            "java,1,RELU", "java,2,TANH", "java,3,SIGMOID", "java,2,ELU", "java,2,LINEAR",
            "openblas,1,RELU", "openblas,2,RELU", "openblas,3,TANH", "openblas,2,SIGMOID", "openblas,2,ELU"})
    void probabilitiesMatchAPlainForwardPass(String backend, int threads, Activation activation) {
        if (backend.equals("openblas")) {
            Assumptions.assumeTrue(Backends.nativeAvailable(), "OpenBLAS natives unavailable");
        }
        Blas blas = Backends.get(backend, threads);
        int[] sizes = {9, 7, 5, 4};
        List<LayerSpec> specs = new ArrayList<>();
        for (int l = 0; l + 1 < sizes.length; l++) {
            Activation f = l + 2 == sizes.length ? Activation.LINEAR : activation;
            specs.add(LayerSpec.dense(sizes[l], sizes[l + 1], f));
        }
        Network net = Network.initialise(0, specs, WeightInit.GLOROT_UNIFORM, new SplittableRandom(5));
        SplittableRandom rng = new SplittableRandom(17);
        for (float[] b : net.biases) {
            for (int j = 0; j < b.length; j++) {
                b[j] = (float) (rng.nextDouble() - 0.5);
            }
        }
        int rows = 1024 + 77;
        float[] x = new float[rows * sizes[0]];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        float[] out = new float[rows * 4];
        net.predict(x, rows, out, blas, SoftmaxCrossEntropy.INSTANCE);
        for (int r = 0; r < rows; r++) {
            double[] expected = reference(net, specs, x, r, sizes[0]);
            for (int c = 0; c < expected.length; c++) {
                assertEquals(expected[c], out[r * 4 + c], 1e-5, "row " + r + ", class " + c);
            }
        }
    }

    /**
     * A prepared inference pass agrees with the training-time {@link Network#predict} to float precision whatever
     * the row counts of successive calls (its scratch grows and is reused: one row, then more than a chunk, then a
     * few); each row's outputs are the same bits alone, at any offset of any batch and with any thread count; and it
     * keeps the parameters it was prepared with when the network changes afterwards.
     */
    @ParameterizedTest(name = "{0} threads={1}")
    @CsvSource({"java,1", "java,2", "openblas,1", "openblas,2"})
    void preparedInferenceIsRowwiseReusableAndASnapshot(String backend, int threads) {
        if (backend.equals("openblas")) {
            Assumptions.assumeTrue(Backends.nativeAvailable(), "OpenBLAS natives unavailable");
        }
        Blas blas = Backends.get(backend, threads);
        // 200 × 180 and 180 × 4: OpenBLAS takes different kernels for one row and for a batch of such products.
        int d = 200;
        List<LayerSpec> specs = List.of(LayerSpec.dense(d, 180, Activation.RELU), LayerSpec.dense(180, 4, Activation.LINEAR));
        Network net = Network.initialise(0, specs, WeightInit.GLOROT_UNIFORM, new SplittableRandom(5));
        SplittableRandom rng = new SplittableRandom(3);
        Network.Inference inference = net.prepare(blas);
        for (int rows : new int[]{1, 1024 + 77, 3}) {
            float[] x = gaussian(rows * d, rng);
            float[] expected = new float[rows * 4];
            float[] actual = new float[rows * 4];
            net.predict(x, rows, expected, blas, SoftmaxCrossEntropy.INSTANCE);
            inference.predict(x, rows, actual, SoftmaxCrossEntropy.INSTANCE);
            for (int i = 0; i < actual.length; i++) {
                assertEquals(expected[i], actual[i], 1e-6, rows + " rows, output " + i);
            }
        }
        int n = 301;
        float[] many = gaussian(n * d, rng);
        float[] batchOut = new float[n * 4];
        inference.predict(many, n, batchOut, SoftmaxCrossEntropy.INSTANCE);
        Network.Inference other = net.prepare(Backends.get(backend, threads == 1 ? 3 : 1));
        for (Network.Inference pass : List.of(inference, other)) {
            for (int start : new int[]{0, 1, 2, 3, 5, 150, 298, 300}) {
                for (int rows : new int[]{1, 2, 3, 4, 5, 7, 64, 129}) {
                    int r = Math.min(rows, n - start);
                    float[] part = new float[r * 4];
                    pass.predict(java.util.Arrays.copyOfRange(many, start * d, (start + r) * d), r, part,
                            SoftmaxCrossEntropy.INSTANCE);
                    assertArrayEquals(java.util.Arrays.copyOfRange(batchOut, start * 4, (start + r) * 4), part,
                            "rows " + start + ".." + (start + r) + " with " + pass.blas().threads() + " thread(s)");
                }
            }
        }
        float[] x = new float[d];
        java.util.Arrays.fill(x, 0.5f);
        float[] before = new float[4];
        net.predict(x, 1, before, blas, SoftmaxCrossEntropy.INSTANCE);
        net.biases[1][0] += 1f;
        net.kernels[0][0] += 1f;
        float[] changed = new float[4];
        net.predict(x, 1, changed, blas, SoftmaxCrossEntropy.INSTANCE);
        float[] snapshot = new float[4];
        inference.predict(x, 1, snapshot, SoftmaxCrossEntropy.INSTANCE);
        assertArrayEquals(before, snapshot, "the prepared pass keeps its parameters");
        assertFalse(java.util.Arrays.equals(before, changed), "the change must matter for this check to mean anything");
    }

    /** Softmax of the network's output for one row, computed in double with explicit loops. */
    private static double[] reference(Network net, List<LayerSpec> specs, float[] x, int row, int inputs) {
        double[] a = new double[inputs];
        for (int i = 0; i < inputs; i++) {
            a[i] = x[row * inputs + i];
        }
        for (int l = 0; l < specs.size(); l++) {
            LayerSpec s = specs.get(l);
            double[] z = new double[s.units()];
            for (int j = 0; j < s.units(); j++) {
                double sum = net.biases[l][j];
                for (int i = 0; i < s.inputs(); i++) {
                    sum += a[i] * net.kernels[l][i * s.units() + j];
                }
                z[j] = s.activation().apply((float) sum);
            }
            a = z;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            max = Math.max(max, v);
        }
        double total = 0;
        for (int j = 0; j < a.length; j++) {
            a[j] = Math.exp(a[j] - max);
            total += a[j];
        }
        for (int j = 0; j < a.length; j++) {
            a[j] /= total;
        }
        return a;
    }

    private static float[] gaussian(int size, SplittableRandom rng) {
        float[] x = new float[size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }
}
