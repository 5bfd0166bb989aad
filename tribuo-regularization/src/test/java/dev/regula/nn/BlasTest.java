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
}
