package dev.regula.nn;

/**
 * Dense matrix products on row-major arrays, the only BLAS routines the engine needs.
 * <p>
 * Every matrix argument starts at index 0 of its array (native bindings cannot take an offset into a Java array).
 * Implementations are deterministic: the same inputs and thread count give bit-identical outputs.
 * Obtain one with {@link Backends#get()}.
 */
public interface Blas {

    /**
     * The backend's name as recorded in provenance, e.g. {@code openblas-0.3.30} or {@code java}.
     * @return the name.
     */
    String name();

    /**
     * The number of threads the backend uses for one product.
     * @return the thread count.
     */
    int threads();

    /**
     * The threads this backend splits its products over; callers split their element-wise work over the same
     * team rather than starting threads of their own.
     * @return the team, of {@link #threads()} threads.
     */
    ThreadTeam team();

    /**
     * Single-precision {@code C = alpha · op(A) · op(B) + beta · C}, all row-major.
     * @param transA whether op(A) = Aᵀ (A is stored k×m) or A (stored m×k).
     * @param transB whether op(B) = Bᵀ (B is stored n×k) or B (stored k×n).
     * @param m rows of op(A) and C.
     * @param n columns of op(B) and C.
     * @param k columns of op(A), rows of op(B).
     * @param alpha scale of the product.
     * @param a matrix A.
     * @param lda row stride of A as stored.
     * @param b matrix B.
     * @param ldb row stride of B as stored.
     * @param beta scale of the existing C (0 ignores its contents, including NaN).
     * @param c matrix C, overwritten.
     * @param ldc row stride of C.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
               float[] b, int ldb, float beta, float[] c, int ldc);

    /**
     * Allocates a buffer for {@link #sgemm(boolean, boolean, int, int, int, float, DeviceBuffer, int, DeviceBuffer,
     * int, float, DeviceBuffer, int)}.
     * @param size the capacity in floats.
     * @return a zero-filled buffer.
     */
    DeviceBuffer allocate(int size);

    /**
     * {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, float[], int, float, float[], int)} on
     * buffers from {@link #allocate(int)} of this backend: no copies.
     * @param transA whether op(A) = Aᵀ.
     * @param transB whether op(B) = Bᵀ.
     * @param m rows of op(A) and C.
     * @param n columns of op(B) and C.
     * @param k columns of op(A), rows of op(B).
     * @param alpha scale of the product.
     * @param a matrix A.
     * @param lda row stride of A as stored.
     * @param b matrix B.
     * @param ldb row stride of B as stored.
     * @param beta scale of the existing C (0 ignores its contents).
     * @param c matrix C, overwritten.
     * @param ldc row stride of C.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceBuffer a, int lda,
               DeviceBuffer b, int ldb, float beta, DeviceBuffer c, int ldc);

    /** Rows of A in every product of {@link #sgemmRowwise}: callers pad A and C to a multiple of this. */
    int ROWWISE_ROWS = 4;
    /** Columns of C in every product of {@link #sgemmRowwise} (the last block of a layer keeps the remainder). */
    int ROWWISE_COLUMNS = 128;

    /**
     * The inference product {@code C = A · B} (A m × k, B k × n, C m × n, row-major, no transposes) computed so that
     * each row of C is a function of the same row of A alone: never of the other rows, their number or order, nor of
     * the thread count. A model's prediction of an example is then the same bits alone or in any batch.
     * <p>
     * How: A is cut into tiles of exactly {@value #ROWWISE_ROWS} rows and C's columns into blocks of
     * {@value #ROWWISE_COLUMNS}, and every tile × block is one single-threaded product of those fixed dimensions, so a
     * given layer's products all take the same kernel path (OpenBLAS switches kernels — and summation orders — by
     * product size; one product over a whole batch would sum a row differently from a one-row product). The team's
     * parts share out the tile × block pairs. A row's result does not depend on its position in a tile either: the
     * tests check both. A backend may compute a last tile of fewer real rows as a shorter product where that gives
     * those rows the same bits as the full tile (OpenBLAS: verified once per shape on this machine's kernel), which
     * saves the padding rows' arithmetic — most of the cost of predicting one example.
     * @param m rows of A and C; A and C must hold {@link #rowwisePadded(int) rowwisePadded(m)} rows (the padding
     *          rows of A may hold anything finite, zeros by convention, and need not be read; those of C are
     *          overwritten or left as they were).
     * @param n columns of B and C.
     * @param k columns of A, rows of B.
     * @param a matrix A.
     * @param b matrix B.
     * @param c matrix C, overwritten.
     */
    void sgemmRowwise(int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c);

    /**
     * {@link #sgemmRowwise(int, int, int, DeviceBuffer, DeviceBuffer, DeviceBuffer)} on Java arrays, which need no
     * padding (the copies to the backend add it).
     * @param m rows of A and C.
     * @param n columns of B and C.
     * @param k columns of A, rows of B.
     * @param a matrix A, at least m × k.
     * @param b matrix B, k × n.
     * @param c matrix C, at least m × n, overwritten.
     */
    default void sgemmRowwise(int m, int n, int k, float[] a, float[] b, float[] c) {
        if (m == 0 || n == 0) {
            return;
        }
        int padded = rowwisePadded(m);
        DeviceBuffer da = allocate(padded * k);
        da.write(0, a, 0, m * k);
        da.write(m * k, new float[(padded - m) * k], 0, (padded - m) * k);
        DeviceBuffer db = allocate(k * n);
        db.write(0, b, 0, k * n);
        DeviceBuffer dc = allocate(padded * n);
        sgemmRowwise(m, n, k, da, db, dc);
        dc.read(0, c, 0, m * n);
    }

    /**
     * The rows {@link #sgemmRowwise} needs in A and C for m rows: m rounded up to a multiple of
     * {@value #ROWWISE_ROWS}.
     * @param m the rows.
     * @return the padded row count.
     */
    static int rowwisePadded(int m) {
        return (m + ROWWISE_ROWS - 1) / ROWWISE_ROWS * ROWWISE_ROWS;
    }

    /**
     * Double-precision {@code C = alpha · op(A) · op(B) + beta · C}, all row-major; same contract as
     * {@link #sgemm}. Used for statistics (covariances) where float32 accumulation is not accurate enough.
     * @param transA whether op(A) = Aᵀ.
     * @param transB whether op(B) = Bᵀ.
     * @param m rows of op(A) and C.
     * @param n columns of op(B) and C.
     * @param k columns of op(A), rows of op(B).
     * @param alpha scale of the product.
     * @param a matrix A.
     * @param lda row stride of A as stored.
     * @param b matrix B.
     * @param ldb row stride of B as stored.
     * @param beta scale of the existing C (0 ignores its contents).
     * @param c matrix C, overwritten.
     * @param ldc row stride of C.
     */
    void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int lda,
               double[] b, int ldb, double beta, double[] c, int ldc);
}
