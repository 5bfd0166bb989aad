package dev.regula.nn;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Both backends against a double-precision reference, for every transpose combination, alpha/beta and
 * row strides larger than the matrix width.
 */
class BlasTest {

    @ParameterizedTest(name = "{0} transA={1} transB={2} threads={3}")
    @CsvSource({
            "java,false,false,1", "java,true,false,1", "java,false,true,2", "java,true,true,2",
            "openblas,false,false,1", "openblas,true,false,2", "openblas,false,true,1", "openblas,true,true,2"})
    void matchesReference(String backend, boolean transA, boolean transB, int threads) {
        if (backend.equals("openblas")) {
            Assumptions.assumeTrue(Backends.nativeAvailable(), "OpenBLAS natives unavailable");
        }
        Blas blas = Backends.get(backend, threads);
        int m = 37, n = 29, k = 41;
        int lda = (transA ? m : k) + 3;
        int ldb = (transB ? k : n) + 2;
        int ldc = n + 5;
        SplittableRandom rng = new SplittableRandom(5);
        float[] a = random(rng, (transA ? k : m) * lda);
        float[] b = random(rng, (transB ? n : k) * ldb);
        float[] c = random(rng, m * ldc);
        float[] expectedC = c.clone();
        float alpha = 0.7f, beta = 0.3f;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[p * lda + i] : a[i * lda + p];
                    double bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    s += av * bv;
                }
                expectedC[i * ldc + j] = (float) (alpha * s + beta * c[i * ldc + j]);
            }
        }
        blas.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(expectedC[i * ldc + j], c[i * ldc + j], 1e-4, "C[" + i + "," + j + "]");
            }
        }
        double[] ad = toDouble(a), bd = toDouble(b), cd = toDouble(c);
        double[] expectedD = cd.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (transA ? ad[p * lda + i] : ad[i * lda + p]) * (transB ? bd[j * ldb + p] : bd[p * ldb + j]);
                }
                expectedD[i * ldc + j] = 2 * s;
            }
        }
        blas.dgemm(transA, transB, m, n, k, 2.0, ad, lda, bd, ldb, 0.0, cd, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(expectedD[i * ldc + j], cd[i * ldc + j], 1e-10);
            }
        }
    }

    /**
     * Products large enough to be split over a team (3 threads: uneven blocks), tall ones by rows and wide ones by
     * 16-aligned column blocks with a ragged last block, through both the device-buffer and the array entry points.
     */
    @ParameterizedTest(name = "{0} transA={1} transB={2} m={3} n={4}")
    @CsvSource({
            "openblas,false,false,131,67", "openblas,true,false,131,67", "openblas,false,true,37,203",
            "openblas,true,true,37,203", "openblas,false,false,37,203", "openblas,true,false,37,203",
            "java,false,true,131,67", "java,true,true,37,203"})
    void splitProductsMatchReference(String backend, boolean transA, boolean transB, int m, int n) {
        if (backend.equals("openblas")) {
            Assumptions.assumeTrue(Backends.nativeAvailable(), "OpenBLAS natives unavailable");
        }
        Blas blas = Backends.get(backend, 3);
        int k = 71;
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        SplittableRandom rng = new SplittableRandom(8);
        float[] a = random(rng, (transA ? k : m) * lda);
        float[] b = random(rng, (transB ? n : k) * ldb);
        float[] expected = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                }
                expected[i * n + j] = (float) s;
            }
        }
        float[] viaArrays = new float[m * n];
        blas.sgemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, viaArrays, n);
        DeviceBuffer da = blas.allocate(a.length);
        DeviceBuffer db = blas.allocate(b.length);
        DeviceBuffer dc = blas.allocate(m * n);
        da.write(0, a, 0, a.length);
        db.write(0, b, 0, b.length);
        blas.sgemm(transA, transB, m, n, k, 1f, da, lda, db, ldb, 0f, dc, n);
        float[] viaBuffers = new float[m * n];
        dc.read(0, viaBuffers, 0, viaBuffers.length);
        for (int i = 0; i < m * n; i++) {
            assertEquals(expected[i], viaArrays[i], 1e-4, "array C[" + i / n + "," + i % n + "]");
            assertEquals(expected[i], viaBuffers[i], 1e-4, "buffer C[" + i / n + "," + i % n + "]");
        }
    }

    @org.junit.jupiter.api.Test
    void bufferCopiesHonourBothOffsets() {
        for (Blas blas : Backends.nativeAvailable()
                ? new Blas[]{Backends.get("java", 1), Backends.get("openblas", 1)} : new Blas[]{Backends.get("java", 1)}) {
            DeviceBuffer buf = blas.allocate(10);
            buf.write(3, new float[]{9, 1, 2, 3, 9}, 1, 3);
            float[] out = new float[6];
            buf.read(2, out, 1, 5);
            assertEquals(java.util.Arrays.toString(new float[]{0, 0, 1, 2, 3, 0}), java.util.Arrays.toString(out), blas.name());
        }
    }

    @org.junit.jupiter.api.Test
    void rejectsUnknownBackend() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.get("cuda", 1));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("auto, openblas, java"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backends.get("java", 0));
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /**
     * The inference product of any number of rows gives each row the bits it has in a batch of 64, on the reference
     * network's shapes (784 → 500, 500 → 500, 500 → 10) and on ragged column blocks: whether the backend computes a
     * short last tile as a shorter product or pads it, a row never depends on its batch.
     */
    @ParameterizedTest(name = "{0} threads={1}")
    @CsvSource({"openblas,1", "openblas,2", "java,2"})
    void rowwiseProductsOfAnyRowCountMatchBitForBit(String backend, int threads) {
        if (backend.equals("openblas")) {
            Assumptions.assumeTrue(Backends.nativeAvailable(), "OpenBLAS natives unavailable");
        }
        Blas blas = Backends.get(backend, threads);
        SplittableRandom rng = new SplittableRandom(23);
        int[][] shapes = {{784, 500}, {500, 500}, {500, 10}, {37, 200}};
        for (int[] shape : shapes) {
            int k = shape[0];
            int n = shape[1];
            float[] a = new float[64 * k];
            float[] b = new float[k * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rng.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) rng.nextGaussian();
            }
            float[] batch = new float[64 * n];
            blas.sgemmRowwise(64, n, k, a, b, batch);
            for (int first : new int[]{0, 5, 61}) {
                for (int m = 1; m <= 64 - first && m <= 7; m++) {
                    float[] c = new float[m * n];
                    blas.sgemmRowwise(m, n, k, java.util.Arrays.copyOfRange(a, first * k, (first + m) * k), b, c);
                    org.junit.jupiter.api.Assertions.assertArrayEquals(
                            java.util.Arrays.copyOfRange(batch, first * n, (first + m) * n), c,
                            k + " x " + n + ": rows " + first + ".." + (first + m) + " alone");
                }
            }
        }
    }
}
