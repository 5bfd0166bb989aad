package dev.regula.augment;

import dev.regula.nn.Backends;
import dev.regula.nn.Blas;
import dev.regula.nn.SymmetricEigen;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandardizationTest {
    private static final Blas BLAS = Backends.get(1);

    /** n rows of rank-r signal (scaled per direction) plus isotropic noise, shifted by a per-feature offset. */
    static float[] lowRankData(int n, int d, int rank, double noise, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] basis = new double[rank * d];
        for (int i = 0; i < basis.length; i++) {
            basis[i] = r.nextGaussian();
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < rank; k++) {
                double z = r.nextGaussian() * (k + 1);
                for (int j = 0; j < d; j++) {
                    x[i * d + j] += (float) (z * basis[k * d + j]);
                }
            }
            for (int j = 0; j < d; j++) {
                x[i * d + j] += (float) (noise * r.nextGaussian() + 3 + 0.1 * j);
            }
        }
        return x;
    }

    static double[] covariance(float[] y, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += y[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] c = new double[d * d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                double va = y[i * d + a] - mean[a];
                for (int b = 0; b < d; b++) {
                    c[a * d + b] += va * (y[i * d + b] - mean[b]);
                }
            }
        }
        for (int k = 0; k < c.length; k++) {
            c[k] /= n;
        }
        return c;
    }

    @Test
    void zcaWhitensFullRankData() {
        int n = 4000;
        int d = 40;
        float[] x = lowRankData(n, d, 5, 0.3, 1);
        InputTransform f = Standardization.builder().zcaWhitening(true).build().fit(x, n, d, BLAS);
        float[] y = new float[n * d];
        f.apply(x, y, n, BLAS);
        double[] c = covariance(y, n, d);
        double err = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                err = Math.max(err, Math.abs(c[a * d + b] - (a == b ? 1 : 0)));
            }
        }
        assertTrue(err < 1e-3, "whitened covariance should be I, max error " + err);
        // W is symmetric (ZCA, not PCA whitening).
        float[] w = f.getWhitening();
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                assertEquals(w[a * d + b], w[b * d + a], 1e-6f * Math.abs(w[a * d + b]) + 1e-9f);
            }
        }
    }

    @Test
    void zcaOnRankDeficientDataWhitensTheNonDegenerateDirections() {
        // Exact rank 6 in 30 dimensions (no noise): 24 eigenvalues are ~0 ≪ ε, 6 are ≫ ε.
        int n = 3000;
        int d = 30;
        int rank = 6;
        float[] x = lowRankData(n, d, rank, 0.0, 2);
        InputTransform f = Standardization.builder().zcaWhitening(true).zcaEpsilon(1e-6).build().fit(x, n, d, BLAS);
        float[] y = x.clone();
        f.apply(y, y, n, BLAS); // in == out
        double[] cx = covariance(x, n, d);
        SymmetricEigen eig = SymmetricEigen.decompose(cx, d);
        double[] lam = eig.getEigenvalues();
        double[] ut = eig.getEigenvectorRows();
        double[] cy = covariance(y, n, d);
        int checked = 0;
        for (int p = 0; p < d; p++) {
            if (lam[p] < 1e3 * 1e-6) {
                continue;
            }
            for (int q = 0; q < d; q++) {
                if (lam[q] < 1e3 * 1e-6) {
                    continue;
                }
                double s = 0;
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        s += ut[p * d + a] * cy[a * d + b] * ut[q * d + b];
                    }
                }
                assertEquals(p == q ? 1.0 : 0.0, s, 2e-3, "u_" + p + "ᵀ Cov(XW) u_" + q);
            }
            checked++;
        }
        assertEquals(rank, checked);
    }

    @Test
    void featurewiseAndSamplewiseStatistics() {
        int n = 500;
        int d = 12;
        float[] x = lowRankData(n, d, 3, 1.0, 3);
        InputTransform fs = Standardization.builder().featurewiseStdNormalization(true).build().fit(x, n, d, BLAS);
        assertNull(fs.getWhitening());
        float[] y = new float[n * d];
        fs.apply(x, y, n, BLAS);
        double[] c = covariance(y, n, d);
        for (int j = 0; j < d; j++) {
            assertEquals(1.0, c[j * d + j], 1e-4, "unit variance per feature");
            double m = 0;
            for (int i = 0; i < n; i++) {
                m += y[i * d + j];
            }
            assertEquals(0.0, m / n, 1e-4);
        }
        InputTransform ss = Standardization.builder().samplewiseStdNormalization(true).build().fit(x, n, d, BLAS);
        assertTrue(ss.isSamplewiseCenter(), "std normalization implies centring");
        ss.apply(x, y, n, BLAS);
        for (int i = 0; i < n; i++) {
            double m = 0;
            double v = 0;
            for (int j = 0; j < d; j++) {
                m += y[i * d + j];
            }
            m /= d;
            for (int j = 0; j < d; j++) {
                v += (y[i * d + j] - m) * (y[i * d + j] - m);
            }
            assertEquals(0.0, m, 1e-5);
            assertEquals(1.0, Math.sqrt(v / d), 1e-4);
        }
    }

    @Test
    void affineFormMatchesApply() {
        int n = 50;
        int d = 16;
        float[] x = lowRankData(n, d, 4, 0.5, 4);
        InputTransform f = Standardization.builder().zcaWhitening(true).build().fit(x, 200 > n ? n : 200, d, BLAS);
        float[] y = new float[n * d];
        f.apply(x, y, n, BLAS);
        float[] w = f.getWhitening();
        float[] b = f.getAffineBias();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double s = b[j];
                for (int k = 0; k < d; k++) {
                    s += x[i * d + k] * (double) w[k * d + j];
                }
                assertEquals(s, y[i * d + j], 1e-3 * (1 + Math.abs(s)));
            }
        }
    }

    @Test
    void factoryHashAndValidation() {
        float[] mean = {1, 2, 3};
        float[] scale = {0.5f, 0.25f, 2};
        InputTransform a = InputTransform.of(false, false, mean, scale, null);
        InputTransform b = InputTransform.of(false, false, mean.clone(), scale.clone(), null);
        assertEquals(a, b);
        assertEquals(a.sha256(), b.sha256());
        assertEquals(64, a.sha256().length());
        assertNotEquals(a.sha256(), InputTransform.of(false, false, new float[]{1, 2, 3.0001f}, scale, null).sha256());
        assertNotEquals(a.sha256(), InputTransform.of(true, false, mean, scale, null).sha256());
        float[] in = {3, 4, 5};
        float[] out = new float[3];
        a.apply(in, out, 1, BLAS);
        assertArrayEquals(new float[]{1, 0.5f, 4}, out);
        mean[0] = 100; // defensive copy
        assertEquals(1f, a.getMean()[0]);
        assertThrows(IllegalArgumentException.class, () -> InputTransform.of(false, false, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> InputTransform.of(false, false, mean, new float[2], null));
        assertEquals(7, Standardization.builder().samplewiseCenter(true).build().fit(new float[14], 2, 7, BLAS).getDimension());
    }
}
