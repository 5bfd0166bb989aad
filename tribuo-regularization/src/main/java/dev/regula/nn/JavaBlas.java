package dev.regula.nn;

/**
 * Pure-Java BLAS: correct on every platform, about 20–40× slower than OpenBLAS.
 * <p>
 * Products are computed as i-k-j loops (which the JIT vectorizes) over blocks of rows of C; transposed operands
 * are first copied into row-major scratch so the inner loop always runs over contiguous memory. Rows of C are
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
        // Work in float, on row-major op(A) (m×k) and op(B) (k×n).
        float[] aa = transA ? transpose(a, k, m, lda) : a;
        int aStride = transA ? k : lda;
        float[] bb = transB ? transpose(b, n, k, ldb) : b;
        int bStride = transB ? n : ldb;
        Rows body = (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int ci = i * ldc;
                if (beta == 0f) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] = 0f;
                    }
                } else if (beta != 1f) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] *= beta;
                    }
                }
                int ai = i * aStride;
                for (int p = 0; p < k; p++) {
                    float av = alpha * aa[ai + p];
                    if (av == 0f) {
                        continue;
                    }
                    int bp = p * bStride;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += av * bb[bp + j];
                    }
                }
            }
        };
        run(m, body);
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int lda,
                      double[] b, int ldb, double beta, double[] c, int ldc) {
        double[] aa = transA ? transpose(a, k, m, lda) : a;
        int aStride = transA ? k : lda;
        double[] bb = transB ? transpose(b, n, k, ldb) : b;
        int bStride = transB ? n : ldb;
        Rows body = (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int ci = i * ldc;
                if (beta == 0d) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] = 0d;
                    }
                } else if (beta != 1d) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] *= beta;
                    }
                }
                int ai = i * aStride;
                for (int p = 0; p < k; p++) {
                    double av = alpha * aa[ai + p];
                    if (av == 0d) {
                        continue;
                    }
                    int bp = p * bStride;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += av * bb[bp + j];
                    }
                }
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

    /** Transposes a rows×cols matrix with row stride ld into a dense cols×rows one. */
    private static float[] transpose(float[] x, int rows, int cols, int ld) {
        float[] t = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            int base = r * ld;
            for (int col = 0; col < cols; col++) {
                t[col * rows + r] = x[base + col];
            }
        }
        return t;
    }

    private static double[] transpose(double[] x, int rows, int cols, int ld) {
        double[] t = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            int base = r * ld;
            for (int col = 0; col < cols; col++) {
                t[col * rows + r] = x[base + col];
            }
        }
        return t;
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
