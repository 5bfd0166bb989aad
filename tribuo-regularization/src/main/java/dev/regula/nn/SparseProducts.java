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
     * @param scratch scratch rows from {@link #scratch(int)} for at least {@code units}.
     */
    public static void multiply(CsrMatrix x, int r0, int r1, float[] w, int units, float[] out, int firstOut,
                                float[][] scratch) {
        int[] ptr = x.rowPointers();
        int[] col = x.columns();
        float[] val = x.values();
        for (int r = r0; r < r1; r++) {
            accumulate(val, col, ptr[r], ptr[r + 1], w, units, scratch);
            System.arraycopy(scratch[0], 0, out, (firstOut + r - r0) * units, units);
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
     * @param scratch scratch rows from {@link #scratch(int)} for at least {@code units}.
     */
    public static void transposedTimes(SparseColumns xt, int t0, int t1, float[] delta, int units, float[] grad,
                                       float[][] scratch) {
        int[] touched = xt.touchedColumns();
        int[] start = xt.starts();
        int[] rowOf = xt.rows();
        float[] val = xt.values();
        for (int t = t0; t < t1; t++) {
            accumulate(val, rowOf, start[t], start[t + 1], delta, units, scratch);
            System.arraycopy(scratch[0], 0, grad, touched[t] * units, units);
        }
    }

    /**
     * Scratch rows for the products of a layer of up to {@code units} units: one accumulator and
     * {@value #SOURCES} source rows. One set per thread.
     * @param units the widest layer the scratch serves.
     * @return the scratch rows.
     */
    public static float[][] scratch(int units) {
        return new float[1 + SOURCES][units];
    }

    /** Source rows added per pass over the accumulator. */
    private static final int SOURCES = 4;

    /**
     * {@code scratch[0][0, n) = Σ_e value[e] · src[index[e] · n, index[e] · n + n)} over {@code e ∈ [from, to)},
     * summed in the order of e: every element is {@code (((acc + a₀s₀) + a₁s₁) + a₂s₂) + a₃s₃} four terms per pass,
     * which rounds exactly as four passes of {@code acc += aᵢsᵢ} (Java never contracts a multiply and an add into
     * one rounding), so the result does not depend on the grouping. Each source row is first copied to a scratch
     * row indexed like the accumulator, so the loop indexes every array alike and vectorizes: with run-time
     * offsets in the loop it ran about half as fast on JDK 17 (the same effect as in {@link Updaters}), and four
     * rows per pass cut the accumulator's loads and stores by four (1.3–1.4× faster than one row per pass for
     * 12,800 entries × 100 units).
     */
    private static void accumulate(float[] value, int[] index,
                                   int from, int to, float[] src, int n, float[][] scratch) {
        float[] acc = scratch[0];
        float[] s0 = scratch[1];
        float[] s1 = scratch[2];
        float[] s2 = scratch[3];
        float[] s3 = scratch[4];
        java.util.Arrays.fill(acc, 0, n, 0f);
        int e = from;
        for (; e + SOURCES <= to; e += SOURCES) {
            float a0 = value[e];
            float a1 = value[e + 1];
            float a2 = value[e + 2];
            float a3 = value[e + 3];
            System.arraycopy(src, index[e] * n, s0, 0, n);
            System.arraycopy(src, index[e + 1] * n, s1, 0, n);
            System.arraycopy(src, index[e + 2] * n, s2, 0, n);
            System.arraycopy(src, index[e + 3] * n, s3, 0, n);
            for (int j = 0; j < n; j++) {
                acc[j] = (((acc[j] + a0 * s0[j]) + a1 * s1[j]) + a2 * s2[j]) + a3 * s3[j];
            }
        }
        for (; e < to; e++) {
            float a = value[e];
            System.arraycopy(src, index[e] * n, s0, 0, n);
            for (int j = 0; j < n; j++) {
                acc[j] += a * s0[j];
            }
        }
    }
}
