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

    /**
     * The inference product of a few rows on device buffers, {@code C = A · B} (A m × k, B k × n, C m × n, row-major,
     * no transposes): as {@link #sgemm(boolean, boolean, int, int, int, float, DeviceBuffer, int, DeviceBuffer, int,
     * float, DeviceBuffer, int)}, but a backend may split smaller products between its threads than {@code sgemm}
     * does, because a one-example product is bound by reading B and halving that read beats the cost of waking a
     * thread. Its results may differ from {@code sgemm}'s in the last bits, so training never calls it.
     * @param m rows of A and C (a few).
     * @param n columns of B and C.
     * @param k columns of A, rows of B.
     * @param a matrix A.
     * @param b matrix B.
     * @param c matrix C, overwritten.
     */
    default void sgemmFewRows(int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c) {
        sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
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
