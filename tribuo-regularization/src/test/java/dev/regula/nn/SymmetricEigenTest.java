package dev.regula.nn;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SymmetricEigenTest {

    /** max |A - U Λ Uᵀ| and max |UᵀU - I|, checked relative to the matrix scale. */
    static void checkDecomposition(double[] a, int n, double tol) {
        SymmetricEigen eig = SymmetricEigen.decompose(a, n);
        double[] lam = eig.getEigenvalues();
        double[] ut = eig.getEigenvectorRows();
        for (int i = 1; i < n; i++) {
            assertTrue(lam[i - 1] <= lam[i], "eigenvalues ascending");
        }
        double scale = 0;
        for (double v : a) {
            scale = Math.max(scale, Math.abs(v));
        }
        // Reconstruction: A_ij = Σ_k λ_k u_k[i] u_k[j]
        double[] rec = new double[n * n];
        for (int k = 0; k < n; k++) {
            int rk = k * n;
            for (int i = 0; i < n; i++) {
                double li = lam[k] * ut[rk + i];
                int ri = i * n;
                for (int j = 0; j < n; j++) {
                    rec[ri + j] += li * ut[rk + j];
                }
            }
        }
        double recErr = 0;
        for (int i = 0; i < n * n; i++) {
            recErr = Math.max(recErr, Math.abs(rec[i] - a[i]));
        }
        assertTrue(recErr <= tol * Math.max(scale, 1e-300), "reconstruction error " + recErr + " for scale " + scale);
        // Orthonormality: rows of Uᵀ.
        double orthErr = 0;
        for (int p = 0; p < n; p++) {
            for (int q = p; q < n; q++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += ut[p * n + i] * ut[q * n + i];
                }
                orthErr = Math.max(orthErr, Math.abs(s - (p == q ? 1 : 0)));
            }
        }
        assertTrue(orthErr <= tol, "orthogonality error " + orthErr);
    }

    @Test
    void oneByOne() {
        SymmetricEigen e = SymmetricEigen.decompose(new double[]{-3.5}, 1);
        assertArrayEquals(new double[]{-3.5}, e.getEigenvalues());
        assertArrayEquals(new double[]{1.0}, e.getEigenvectorRows());
    }

    @Test
    void twoByTwoKnown() {
        // [[2,1],[1,2]] has eigenvalues 1 and 3 with vectors (1,-1)/√2 and (1,1)/√2.
        double[] a = {2, 1, 1, 2};
        SymmetricEigen e = SymmetricEigen.decompose(a, 2);
        assertArrayEquals(new double[]{1, 3}, e.getEigenvalues(), 1e-14);
        double[] u = e.getEigenvectorRows();
        assertEquals(1.0 / Math.sqrt(2), Math.abs(u[0]), 1e-14);
        assertEquals(-u[0], u[1], 1e-14);
        assertEquals(u[2], u[3], 1e-14);
        checkDecomposition(a, 2, 1e-14);
    }

    @Test
    void diagonalAndTridiagonalKnown() {
        double[] diag = {5, -1, 3, 0, 2};
        double[] a = new double[25];
        for (int i = 0; i < 5; i++) {
            a[i * 5 + i] = diag[i];
        }
        assertArrayEquals(new double[]{-1, 0, 2, 3, 5}, SymmetricEigen.decompose(a, 5).getEigenvalues(), 1e-15);
        // The n×n second-difference matrix tridiag(-1, 2, -1) has λ_k = 2 - 2cos(kπ/(n+1)).
        int n = 40;
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            t[i * n + i] = 2;
            if (i + 1 < n) {
                t[i * n + i + 1] = -1;
                t[(i + 1) * n + i] = -1;
            }
        }
        double[] lam = SymmetricEigen.decompose(t, n).getEigenvalues();
        for (int k = 1; k <= n; k++) {
            assertEquals(2 - 2 * Math.cos(k * Math.PI / (n + 1)), lam[k - 1], 1e-13);
        }
        checkDecomposition(t, n, 1e-13);
    }

    @Test
    void repeatedEigenvaluesAndRankDeficient() {
        // A = v vᵀ + w wᵀ in 30 dimensions: eigenvalue 0 with multiplicity 28.
        int n = 30;
        SplittableRandom rng = new SplittableRandom(3);
        double[] v = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
            w[i] = rng.nextGaussian();
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = v[i] * v[j] + w[i] * w[j];
            }
        }
        double[] lam = SymmetricEigen.decompose(a, n).getEigenvalues();
        for (int i = 0; i < n - 2; i++) {
            assertEquals(0.0, lam[i], 1e-12);
        }
        checkDecomposition(a, n, 1e-12);
    }

    @Test
    void randomSpd784() {
        int n = 784;
        int k = 900;
        SplittableRandom rng = new SplittableRandom(42);
        double[] g = new double[k * n];
        for (int i = 0; i < g.length; i++) {
            g[i] = rng.nextGaussian();
        }
        double[] a = new double[n * n];
        dev.regula.nn.Backends.get(1).dgemm(true, false, n, n, k, 1.0 / k, g, n, g, n, 0.0, a, n);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0.5 * (a[i * n + j] + a[j * n + i]);
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
        }
        SymmetricEigen e = SymmetricEigen.decompose(a, n);
        assertTrue(e.getEigenvalues()[0] > 0, "SPD matrix has positive eigenvalues");
        checkDecomposition(a, n, 1e-11);
    }

    /** The symmetrised covariance XcᵀXc / k of k rows of n values, centred per column as ZCA centres them. */
    private static double[] covariance(double[] x, int k, int n) {
        for (int j = 0; j < n; j++) {
            double mean = 0;
            for (int i = 0; i < k; i++) {
                mean += x[i * n + j];
            }
            mean /= k;
            for (int i = 0; i < k; i++) {
                x[i * n + j] -= mean;
            }
        }
        double[] a = new double[n * n];
        dev.regula.nn.Backends.get(1).dgemm(true, false, n, n, k, 1.0 / k, x, n, x, n, 0.0, a, n);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0.5 * (a[i * n + j] + a[j * n + i]);
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
        }
        return a;
    }

    @Test
    void covarianceOfFewerRowsThanColumns() {
        // 200 centred rows in 784 dimensions: rank 199, so 585 eigenvalues are zero up to round-off. Such blocks
        // once never deflated ("QL iteration did not converge"), which broke ZCA on small training sets.
        int n = 784;
        int k = 200;
        SplittableRandom rng = new SplittableRandom(7);
        double[] x = new double[k * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < 0.5 ? 0 : rng.nextDouble();
        }
        double[] a = covariance(x, k, n);
        SymmetricEigen e = SymmetricEigen.decompose(a, n);
        double[] values = e.getEigenvalues();
        int positive = 0;
        for (double v : values) {
            if (v > 1e-10) {
                positive++;
            }
        }
        assertEquals(k - 1, positive);
        checkDecomposition(a, n, 1e-11);
    }

    @Test
    void covarianceOfFewerRowsThanColumnsWithNearlyConstantLeadingFeatures() {
        // As above, but the first 30 features are almost constant, like the black border pixels of real images
        // (ZCA on 500 embedded Fashion-MNIST images failed this way): the deflation scale must not be taken from
        // the leading rows of the tridiagonal alone.
        int n = 784;
        int k = 200;
        int border = 30;
        SplittableRandom rng = new SplittableRandom(11);
        double[] x = new double[k * n];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                if (j < border) {
                    x[i * n + j] = rng.nextDouble() < 0.01 ? rng.nextDouble() * 0.01 : 0;
                } else {
                    x[i * n + j] = rng.nextDouble() < 0.5 ? 0 : rng.nextDouble();
                }
            }
        }
        double[] a = covariance(x, k, n);
        SymmetricEigen.decompose(a, n);
        checkDecomposition(a, n, 1e-11);
    }

    @Test
    void rejectsNonFinite() {
        assertThrows(ArithmeticException.class, () -> SymmetricEigen.decompose(new double[]{1, Double.NaN, Double.NaN, 1}, 2));
        assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.decompose(new double[3], 2));
    }
}
