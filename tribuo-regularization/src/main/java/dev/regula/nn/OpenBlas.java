package dev.regula.nn;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * Native OpenBLAS through JavaCPP's bundled binaries ({@code org.bytedeco:openblas}); no system library needed.
 * <p>
 * OpenBLAS keeps one process-wide thread pool: the thread count given here is applied with
 * {@code blas_set_num_threads} when the backend is created. OpenBLAS' level-3 routines split the output among
 * threads without splitting the inner dimension, so a fixed thread count gives bit-identical results.
 */
public final class OpenBlas implements Blas {
    private final int threads;
    private final String name;

    /**
     * Loads the native library and sets its thread count.
     * @param threads the number of threads, at least 1.
     * @throws UnsatisfiedLinkError (or another {@link LinkageError}) if the natives cannot be loaded on this platform.
     */
    public OpenBlas(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
        Loader.load(openblas.class);
        openblas.blas_set_num_threads(threads);
        this.threads = threads;
        String version = openblas.class.getPackage().getImplementationVersion();
        this.name = version == null ? "openblas" : "openblas-" + version;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                      float[] b, int ldb, float beta, float[] c, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        openblas.cblas_sgemm(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public DeviceBuffer allocate(int size) {
        return new NativeBuffer(size);
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceBuffer a, int lda,
                      DeviceBuffer b, int ldb, float beta, DeviceBuffer c, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        openblas.cblas_sgemm(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, alpha, ((NativeBuffer) a).pointer, lda,
                ((NativeBuffer) b).pointer, ldb, beta, ((NativeBuffer) c).pointer, ldc);
    }

    /** Off-heap memory owned by JavaCPP (released when the buffer is garbage collected). */
    private static final class NativeBuffer implements DeviceBuffer {
        final FloatPointer pointer;
        final int size;

        NativeBuffer(int size) {
            this.pointer = new FloatPointer(Math.max(size, 1));
            this.pointer.zero();
            this.size = size;
        }

        @Override
        public void write(float[] src, int n) {
            pointer.position(0).put(src, 0, n);
        }

        @Override
        public void read(float[] dst, int n) {
            pointer.position(0).get(dst, 0, n);
        }

        @Override
        public int size() {
            return size;
        }
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int lda,
                      double[] b, int ldb, double beta, double[] c, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        openblas.cblas_dgemm(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
