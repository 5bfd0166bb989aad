package dev.regula.nn;

/**
 * The two products of a dense layer whose input is sparse ({@link CsrMatrix} X, kernel W stored
 * {@code inputs × units} row-major): the forward product {@code Z = X·W} and the kernel gradient {@code G = Xᵀ·Δ},
 * each summing over the stored entries only, so their cost is {@code nonZeros × units} instead of
 * {@code rows × inputs × units}. The layer's input gradient {@code Δ·Wᵀ} is never needed (the inputs are data).
 * <p>
 * Summation order is fixed by the data alone: row r of Z adds {@code x_rk · W[k, :]} over the row's entries in
 * column order; row k of G adds {@code x_rk · Δ[r, :]} over the column's entries in row order. Work is split
 * over rows (Z) or touched columns (G) and no sum is ever split, so results are bit-identical for any thread
 * count and any split — and a row of Z depends on that row of X alone (a model's prediction of an example does not
 * depend on its batch). Each term is one float32 multiply-add into a float32 accumulator, as in a dense product.
 */
public final class SparseProducts {
    private SparseProducts() {}

    /**
     * {@code out[r, :] = Σ_k x[r, k] · w[k, :]} for the rows {@code [r0, r1)}; row r is written at
     * {@code out[(firstOut + r − r0) · units]}, and the rest of {@code out} is left alone.
     * @param x the sparse inputs.
     * @param r0 the first row.
     * @param r1 one past the last row.
     * @param w the kernel, {@code x.cols() × units} row-major.
     * @param units the kernel's columns.
     * @param out the output.
     * @param firstOut the output row of row {@code r0}.
     * @param acc a scratch row of at least {@code units} values.
     * @param row a second scratch row of at least {@code units} values.
     */
    public static void multiply(CsrMatrix x, int r0, int r1, float[] w, int units, float[] out, int firstOut,
                                float[] acc, float[] row) {
        int[] ptr = x.rowPointers();
        int[] col = x.columns();
        float[] val = x.values();
        for (int r = r0; r < r1; r++) {
            java.util.Arrays.fill(acc, 0, units, 0f);
            for (int k = ptr[r]; k < ptr[r + 1]; k++) {
                axpy(val[k], w, col[k] * units, acc, row, units);
            }
            System.arraycopy(acc, 0, out, (firstOut + r - r0) * units, units);
        }
    }

    /**
     * {@code grad[k, :] = Σ_r x[r, k] · delta[r, :]} for the touched columns {@code k = xt.column(t)},
     * {@code t ∈ [t0, t1)}; every other row of {@code grad} is left alone (a caller keeping the untouched rows at 0
     * gets the whole {@code Xᵀ·Δ}).
     * @param xt the transposed batch ({@link SparseColumns#index}).
     * @param t0 the first touched-column position.
     * @param t1 one past the last.
     * @param delta the gradient with respect to the layer's pre-activations, {@code rows × units} row-major.
     * @param units the layer's units.
     * @param grad the kernel gradient, {@code cols × units} row-major.
     * @param acc a scratch row of at least {@code units} values.
     * @param row a second scratch row of at least {@code units} values.
     */
    public static void transposedTimes(SparseColumns xt, int t0, int t1, float[] delta, int units, float[] grad,
                                       float[] acc, float[] row) {
        int[] touched = xt.touchedColumns();
        int[] start = xt.starts();
        int[] rowOf = xt.rows();
        float[] val = xt.values();
        for (int t = t0; t < t1; t++) {
            java.util.Arrays.fill(acc, 0, units, 0f);
            for (int e = start[t]; e < start[t + 1]; e++) {
                axpy(val[e], delta, rowOf[e] * units, acc, row, units);
            }
            System.arraycopy(acc, 0, grad, touched[t] * units, units);
        }
    }

    /**
     * {@code acc[0, n) += a · src[offset, offset + n)}. The source row is first copied to a scratch row indexed like
     * {@code acc}, so that the loop indexes both arrays alike and vectorizes: with the run-time offset in the loop
     * it ran about half as fast on JDK 17 (the same effect as in {@link Updaters}).
     */
    private static void axpy(float a, float[] src, int offset, float[] acc, float[] row, int n) {
        System.arraycopy(src, offset, row, 0, n);
        for (int j = 0; j < n; j++) {
            acc[j] += a * row[j];
        }
    }
}
