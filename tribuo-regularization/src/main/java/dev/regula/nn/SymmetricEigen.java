package dev.regula.nn;

import java.util.Arrays;

/**
 * Eigendecomposition {@code A = U · diag(λ) · Uᵀ} of a dense real symmetric matrix, in double precision.
 * <p>
 * Two classical phases, both O(n³):
 * <ol>
 *   <li>Householder reduction to tridiagonal form {@code A = Q T Qᵀ}: step k reflects row/column k below the
 *   diagonal onto a multiple of the first unit vector, {@code H = I - β v vᵀ}, and applies it to the trailing
 *   block as the symmetric rank-2 update {@code A' ← A' - v wᵀ - w vᵀ} with {@code p = β A' v},
 *   {@code w = p - (β pᵀv / 2) v}. {@code Qᵀ} is then accumulated backwards from the stored reflectors.</li>
 *   <li>Implicit QL iterations with Wilkinson-type shifts on {@code T}, chasing the bulge with Givens rotations
 *   that are also applied to {@code Qᵀ}, until every off-diagonal element is negligible relative to its
 *   diagonal neighbours.</li>
 * </ol>
 * Eigenvectors are stored as the <em>rows</em> of a row-major array so that every inner loop (reflector
 * application, Givens rotation) runs over contiguous memory. A 784×784 matrix takes about a second.
 * Reference: Golub &amp; Van Loan, <i>Matrix Computations</i>, §8.3 (tridiagonalization) and the QL variant of
 * the symmetric QR algorithm (§8.3.4).
 */
public final class SymmetricEigen {
    private static final double EPS = Math.ulp(1.0);
    private static final int MAX_SWEEPS = 64;

    private final int n;
    private final double[] values;
    private final double[] vectors;

    private SymmetricEigen(int n, double[] values, double[] vectors) {
        this.n = n;
        this.values = values;
        this.vectors = vectors;
    }

    /**
     * Decomposes a symmetric matrix. Only symmetric input is meaningful; symmetrize first if round-off may
     * have made it slightly asymmetric.
     * @param a the matrix, n×n row-major; not modified.
     * @param n the order, at least 1.
     * @return the decomposition, eigenvalues ascending.
     * @throws ArithmeticException if the QL iteration does not converge (non-finite input).
     */
    public static SymmetricEigen decompose(double[] a, int n) {
        if (n < 1 || a.length < (long) n * n) {
            throw new IllegalArgumentException("Need an n×n matrix with n >= 1, found n=" + n + ", length " + a.length);
        }
        for (int i = 0; i < n * n; i++) {
            if (!Double.isFinite(a[i])) {
                throw new ArithmeticException("Matrix has a non-finite entry at " + i);
            }
        }
        double[] work = Arrays.copyOf(a, n * n);
        double[] d = new double[n];
        double[] e = new double[n];
        double[] beta = new double[n];
        tridiagonalize(work, n, d, e, beta);
        double[] zt = accumulate(work, n, beta);
        ql(d, e, zt, n);
        sortAscending(d, zt, n);
        return new SymmetricEigen(n, d, zt);
    }

    /** Householder reduction; reflector k is left in row k, columns k+1..n-1 of {@code w}. */
    private static void tridiagonalize(double[] w, int n, double[] d, double[] e, double[] beta) {
        double[] p = new double[n];
        for (int k = 0; k < n - 2; k++) {
            int m = k + 1;
            int rowK = k * n;
            d[k] = w[rowK + k];
            double scale = 0;
            for (int j = m; j < n; j++) {
                scale = Math.max(scale, Math.abs(w[rowK + j]));
            }
            if (scale == 0) {
                e[k] = 0;
                beta[k] = 0;
                continue;
            }
            double ss = 0;
            for (int j = m; j < n; j++) {
                double t = w[rowK + j] / scale;
                ss += t * t;
            }
            double x0 = w[rowK + m];
            double sigma = -Math.copySign(scale * Math.sqrt(ss), x0);
            w[rowK + m] = x0 - sigma; // v = x - σ e1, stored in place
            double b = 1.0 / (sigma * (sigma - x0));
            e[k] = sigma;
            beta[k] = b;
            // p = β A' v over the trailing block.
            double pv = 0;
            for (int i = m; i < n; i++) {
                int ri = i * n;
                double s = 0;
                for (int j = m; j < n; j++) {
                    s += w[ri + j] * w[rowK + j];
                }
                p[i] = b * s;
                pv += p[i] * w[rowK + i];
            }
            double kk = 0.5 * b * pv;
            for (int i = m; i < n; i++) {
                p[i] -= kk * w[rowK + i]; // p becomes w = p - K v
            }
            for (int i = m; i < n; i++) {
                int ri = i * n;
                double vi = w[rowK + i];
                double wi = p[i];
                for (int j = m; j < n; j++) {
                    w[ri + j] -= vi * p[j] + wi * w[rowK + j];
                }
            }
        }
        if (n >= 2) {
            d[n - 2] = w[(n - 2) * n + n - 2];
            e[n - 2] = w[(n - 2) * n + n - 1];
        }
        d[n - 1] = w[n * n - 1];
        e[n - 1] = 0;
    }

    /** Builds Qᵀ = H_{n-3} ··· H_0 (row-major), accumulating backwards so each step touches a shrinking block. */
    private static double[] accumulate(double[] w, int n, double[] beta) {
        double[] y = new double[n * n];
        for (int i = 0; i < n; i++) {
            y[i * n + i] = 1;
        }
        for (int k = n - 3; k >= 0; k--) {
            double b = beta[k];
            if (b == 0) {
                continue;
            }
            int m = k + 1;
            int rowK = k * n;
            // Y ← Y · H_k; rows < m of Y are unit rows with zeros in columns >= m.
            for (int i = m; i < n; i++) {
                int ri = i * n;
                double s = 0;
                for (int j = m; j < n; j++) {
                    s += y[ri + j] * w[rowK + j];
                }
                if (s == 0) {
                    continue;
                }
                s *= b;
                for (int j = m; j < n; j++) {
                    y[ri + j] -= s * w[rowK + j];
                }
            }
        }
        return y;
    }

    /** Implicit QL on the tridiagonal (d, e), e[i] coupling i and i+1; rotations applied to rows of zt. */
    private static void ql(double[] d, double[] e, double[] zt, int n) {
        // Largest |d| + |e| seen so far: an off-diagonal element negligible against it is treated as zero. Without
        // this absolute test, blocks of (numerically) zero eigenvalues — a covariance of fewer rows than columns —
        // never deflate, because round-off in e is not small relative to eigenvalues that are themselves round-off.
        // The scale is taken over the whole tridiagonal up front: grown row by row, it is still ~0 while the leading
        // rows are those of (almost) constant features — e.g. the black border pixels of real images — and the zero
        // block found first then never deflates.
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(d[i]) + Math.abs(e[i]));
        }
        for (int l = 0; l < n; l++) {
            int iterations = 0;
            while (true) {
                int m = l;
                while (m < n - 1) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= EPS * dd || Math.abs(e[m]) <= EPS * scale) {
                        break;
                    }
                    m++;
                }
                if (m == l) {
                    break;
                }
                if (++iterations > MAX_SWEEPS) {
                    throw new ArithmeticException("QL iteration did not converge for eigenvalue " + l);
                }
                // Shift from the leading 2×2 block.
                double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
                double r = Math.hypot(g, 1.0);
                g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                double s = 1;
                double c = 1;
                double p = 0;
                boolean deflated = false;
                for (int i = m - 1; i >= l; i--) {
                    double f = s * e[i];
                    double b = c * e[i];
                    r = Math.hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0) {
                        d[i + 1] -= p;
                        e[m] = 0;
                        deflated = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2.0 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    rotate(zt, n, i, c, s);
                }
                if (deflated) {
                    continue;
                }
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }
    }

    /** Rows i and i+1 of zt: (zi, zj) ← (c·zi - s·zj, s·zi + c·zj). */
    private static void rotate(double[] zt, int n, int i, double c, double s) {
        int ri = i * n;
        int rj = ri + n;
        for (int k = 0; k < n; k++) {
            double zi = zt[ri + k];
            double zj = zt[rj + k];
            zt[ri + k] = c * zi - s * zj;
            zt[rj + k] = s * zi + c * zj;
        }
    }

    private static void sortAscending(double[] d, double[] zt, int n) {
        double[] tmp = new double[n];
        for (int i = 0; i < n - 1; i++) {
            int min = i;
            for (int j = i + 1; j < n; j++) {
                if (d[j] < d[min]) {
                    min = j;
                }
            }
            if (min != i) {
                double t = d[i];
                d[i] = d[min];
                d[min] = t;
                System.arraycopy(zt, i * n, tmp, 0, n);
                System.arraycopy(zt, min * n, zt, i * n, n);
                System.arraycopy(tmp, 0, zt, min * n, n);
            }
        }
    }

    /** @return the order n. */
    public int getDimension() {
        return n;
    }

    /** @return a copy of the eigenvalues, ascending. */
    public double[] getEigenvalues() {
        return values.clone();
    }

    /**
     * The eigenvectors as rows: row i (elements {@code [i*n, (i+1)*n)}) is the unit eigenvector of
     * eigenvalue i, i.e. this is {@code Uᵀ} in row-major order.
     * @return a copy of the eigenvector matrix.
     */
    public double[] getEigenvectorRows() {
        return vectors.clone();
    }

    /**
     * The eigenvectors as rows, like {@link #getEigenvectorRows()} but without the copy, for callers that only
     * read them (the ZCA matrix of a large covariance would otherwise hold the d×d matrix twice).
     * @return the internal eigenvector matrix; must not be modified.
     */
    public double[] vectorRows() {
        return vectors;
    }

    /**
     * The eigenvalues, ascending, like {@link #getEigenvalues()} but without the copy, for callers that only read them.
     * @return the internal eigenvalue array; must not be modified.
     */
    public double[] eigenvalues() {
        return values;
    }
}
