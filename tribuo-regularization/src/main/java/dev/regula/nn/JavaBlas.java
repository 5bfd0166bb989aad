package dev.regula.nn;

/**
 * Pure-Java BLAS: correct on every platform, about 3× slower than OpenBLAS on the reference network's products.
 * <p>
 * Products are computed as i-k-j loops over blocks of rows of C, accumulating each row of C in a scratch row
 * against rows of op(B) held as separate arrays (op(A) is held the same way), so the inner loop runs over
 * contiguous memory with one index and the JIT vectorizes it. Rows of C are
 * split among the threads of a {@link ThreadTeam}, and every element of C is accumulated by one thread in a fixed
 * order, so results do not depend on the thread count.
 */
public final class JavaBlas implements Blas {
    private static final int ROWS_PER_TASK = 16;

    private final ThreadTeam team;

    /**
     * Creates a pure-Java backend.
     * @param threads the number of threads, at least 1.
     */
    public JavaBlas(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
        this.team = new ThreadTeam(threads);
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public int threads() {
        return team.size();
    }

    @Override
    public ThreadTeam team() {
        return team;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                      float[] b, int ldb, float beta, float[] c, int ldc) {
        // Work in float, on op(A) (m×k) and op(B) (k×n) with each of their rows an array of its own.
        float[][] aRows = rowsOf(a, transA, m, k, lda);
        float[][] bRows = rowsOf(b, transB, k, n, ldb);
        Rows body = (lo, hi) -> {
            float[] acc = new float[n];
            for (int i = lo; i < hi; i++) {
                int ci = i * ldc;
                if (beta == 0f) {
                    java.util.Arrays.fill(acc, 0f);
                } else {
                    System.arraycopy(c, ci, acc, 0, n);
                    if (beta != 1f) {
                        for (int j = 0; j < n; j++) {
                            acc[j] *= beta;
                        }
                    }
                }
                float[] ai = aRows[i];
                for (int p = 0; p < k; p++) {
                    float av = alpha * ai[p];
                    if (av == 0f) {
                        continue;
                    }
                    float[] bp = bRows[p];
                    for (int j = 0; j < n; j++) {
                        acc[j] += av * bp[j];
                    }
                }
                System.arraycopy(acc, 0, c, ci, n);
            }
        };
        run(m, body);
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int lda,
                      double[] b, int ldb, double beta, double[] c, int ldc) {
        double[][] aRows = rowsOf(a, transA, m, k, lda);
        double[][] bRows = rowsOf(b, transB, k, n, ldb);
        Rows body = (lo, hi) -> {
            double[] acc = new double[n];
            for (int i = lo; i < hi; i++) {
                int ci = i * ldc;
                if (beta == 0d) {
                    java.util.Arrays.fill(acc, 0d);
                } else {
                    System.arraycopy(c, ci, acc, 0, n);
                    if (beta != 1d) {
                        for (int j = 0; j < n; j++) {
                            acc[j] *= beta;
                        }
                    }
                }
                double[] ai = aRows[i];
                for (int p = 0; p < k; p++) {
                    double av = alpha * ai[p];
                    if (av == 0d) {
                        continue;
                    }
                    double[] bp = bRows[p];
                    for (int j = 0; j < n; j++) {
                        acc[j] += av * bp[j];
                    }
                }
                System.arraycopy(acc, 0, c, ci, n);
            }
        };
        run(m, body);
    }

    @Override
    public DeviceBuffer allocate(int size) {
        return new HeapBuffer(size);
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceBuffer a, int lda,
                      DeviceBuffer b, int ldb, float beta, DeviceBuffer c, int ldc) {
        sgemm(transA, transB, m, n, k, alpha, ((HeapBuffer) a).values, lda, ((HeapBuffer) b).values, ldb, beta,
                ((HeapBuffer) c).values, ldc);
    }

    /** Every row of C is accumulated alone in a fixed order here, whatever the split, so this is {@code sgemm}. */
    @Override
    public void sgemmRowwise(int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c) {
        sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
    }

    /** A buffer on the Java heap. */
    private static final class HeapBuffer implements DeviceBuffer {
        final float[] values;

        HeapBuffer(int size) {
            values = new float[size];
        }

        @Override
        public void write(int index, float[] src, int offset, int length) {
            System.arraycopy(src, offset, values, index, length);
        }

        @Override
        public void read(int index, float[] dst, int offset, int length) {
            System.arraycopy(values, index, dst, offset, length);
        }
    }

    /**
     * The rows of op(X) (rows × cols) as separate arrays; X is stored rows × cols, or cols × rows when transposed,
     * with row stride ld. The inner loop then indexes the accumulator and the B row with the same index: on JDK 17
     * the JIT does not vectorize {@code c[ci + j] += av * b[bp + j]}, whose arrays carry different offsets (see
     * {@link Activation#forwardRow}; figures in {@code docs/performance.md}).
     */
    private static float[][] rowsOf(float[] x, boolean trans, int rows, int cols, int ld) {
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            if (trans) {
                for (int j = 0; j < cols; j++) {
                    out[r][j] = x[j * ld + r];
                }
            } else {
                System.arraycopy(x, r * ld, out[r], 0, cols);
            }
        }
        return out;
    }

    private static double[][] rowsOf(double[] x, boolean trans, int rows, int cols, int ld) {
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            if (trans) {
                for (int j = 0; j < cols; j++) {
                    out[r][j] = x[j * ld + r];
                }
            } else {
                System.arraycopy(x, r * ld, out[r], 0, cols);
            }
        }
        return out;
    }

    @FunctionalInterface
    private interface Rows {
        void compute(int lo, int hi);
    }

    private void run(int m, Rows body) {
        int parts = team.size();
        if (parts == 1 || m <= ROWS_PER_TASK) {
            body.compute(0, m);
            return;
        }
        team.run(part -> body.compute(ThreadTeam.start(part, parts, m, 1), ThreadTeam.start(part + 1, parts, m, 1)));
    }
}
