package dev.regula.nn;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;

import java.nio.FloatBuffer;

/**
 * Native OpenBLAS through JavaCPP's bundled binaries ({@code org.bytedeco:openblas}); no system library needed.
 * <p>
 * OpenBLAS runs single-threaded ({@code blas_set_num_threads(1)}, a process-wide setting that other users of the
 * same JavaCPP OpenBLAS in the process also see); this backend splits each product itself over
 * its {@link ThreadTeam}: the larger of C's two dimensions is cut into one contiguous block per thread, and every
 * block is an independent single-threaded {@code cblas_sgemm} over the whole inner dimension. Results are therefore
 * bit-identical for a fixed thread count, and the same team runs the training step's element-wise work, so no
 * idle BLAS worker spins against it (OpenBLAS' own pool busy-waits between calls, which measurably slowed the
 * element-wise passes that run between products).
 */
public final class OpenBlas implements Blas {
    /** Products smaller than this many multiply-adds run on the calling thread alone. */
    private static final long SPLIT_MIN_WORK = 1L << 18;
    /**
     * {@link #sgemmRowwise} calls of fewer multiply-adds than this (padded rows × columns × inner dimension) run on
     * the calling thread alone: waking the team costs more than such a product.
     */
    private static final long ROWWISE_SPLIT_MIN_WORK = 1L << 15;
    /** Column blocks start on multiples of this (a cache line of floats). */
    private static final int COLUMN_ALIGN = 16;

    private final ThreadTeam team;
    private final String name;
    /** {@link #shortTilesExact} verdicts by tile shape. */
    private final java.util.concurrent.ConcurrentHashMap<TileShape, Boolean> shortTileVerdicts =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Loads the native library.
     * @param threads the number of threads products are split over, at least 1.
     * @throws UnsatisfiedLinkError (or another {@link LinkageError}) if the natives cannot be loaded on this platform.
     */
    public OpenBlas(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
        Loader.load(openblas.class);
        openblas.blas_set_num_threads(1);
        this.team = new ThreadTeam(threads);
        String version = openblas.class.getPackage().getImplementationVersion();
        this.name = version == null ? "openblas" : "openblas-" + version;
    }

    @Override
    public String name() {
        return name;
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
    public DeviceBuffer allocate(int size) {
        return new NativeBuffer(size, team.size());
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, DeviceBuffer a, int lda,
                      DeviceBuffer b, int ldb, float beta, DeviceBuffer c, int ldc) {
        NativeBuffer na = (NativeBuffer) a;
        NativeBuffer nb = (NativeBuffer) b;
        NativeBuffer nc = (NativeBuffer) c;
        split(transA, transB, m, n, k, lda, ldb, ldc, (part, offA, offB, offC, mm, nn) ->
                openblas.cblas_sgemm(openblas.CblasRowMajor, op(transA), op(transB), mm, nn, k, alpha,
                        na.view(0, part, offA), lda, nb.view(1, part, offB), ldb, beta, nc.view(2, part, offC), ldc));
    }

    @Override
    public void sgemmRowwise(int m, int n, int k, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c) {
        if (m == 0 || n == 0) {
            return;
        }
        NativeBuffer na = (NativeBuffer) a;
        NativeBuffer nb = (NativeBuffer) b;
        NativeBuffer nc = (NativeBuffer) c;
        int tiles = Blas.rowwisePadded(m) / ROWWISE_ROWS;
        int tasks = tiles * ((n + ROWWISE_COLUMNS - 1) / ROWWISE_COLUMNS);
        int lastRows = shortTilesExact(m - (tiles - 1) * ROWWISE_ROWS, n, k) ? m - (tiles - 1) * ROWWISE_ROWS
                : ROWWISE_ROWS;
        if (team.size() == 1 || tasks == 1 || (long) tasks * ROWWISE_ROWS * ROWWISE_COLUMNS * k < ROWWISE_SPLIT_MIN_WORK) {
            rowwiseTasks(0, tasks, tiles, lastRows, 0, n, k, na, nb, nc);
            return;
        }
        int parts = team.size();
        team.run(part -> rowwiseTasks(ThreadTeam.start(part, parts, tasks, 1), ThreadTeam.start(part + 1, parts, tasks, 1),
                tiles, lastRows, part, n, k, na, nb, nc));
    }

    /**
     * Whether a last tile of {@code rows} real rows may be computed as a product of that many rows instead of a padded
     * one of {@value #ROWWISE_ROWS}: true when it is full, or when this machine's OpenBLAS kernel gives such a short
     * product's rows the same bits as the same rows of a full tile for every column block of the layer ({@code n}
     * columns, inner dimension {@code k}). A short tile costs a quarter to three quarters of the arithmetic (one example
     * alone: one row instead of four). The verdict comes from a product of both sizes on random data, computed once
     * per shape and kept: a kernel that sums in another order for fewer rows differs in almost every element, and
     * then the tile is padded as before, so a row's bits never depend on its batch either way.
     */
    private boolean shortTilesExact(int rows, int n, int k) {
        if (rows == ROWWISE_ROWS) {
            return true;
        }
        int rest = n % ROWWISE_COLUMNS;
        return exact(rows, Math.min(n, ROWWISE_COLUMNS), k) && (rest == 0 || n < ROWWISE_COLUMNS || exact(rows, rest, k));
    }

    /** {@link #sameRows} for one tile shape, computed on first use and kept. */
    private boolean exact(int rows, int cols, int k) {
        return shortTileVerdicts.computeIfAbsent(new TileShape(rows, cols, k), s -> sameRows(s.rows(), s.cols(), s.k()));
    }

    /** A short tile's shape: its rows, its columns and the inner dimension. */
    private record TileShape(int rows, int cols, int k) {}

    /** Whether a product of {@code rows} rows equals the first rows of a {@value #ROWWISE_ROWS}-row one, bit for bit. */
    private static boolean sameRows(int rows, int cols, int k) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(0x5EED ^ ((long) rows << 32) ^ ((long) cols << 16) ^ k);
        try (FloatPointer a = new FloatPointer((long) ROWWISE_ROWS * k); FloatPointer b = new FloatPointer((long) k * cols);
             FloatPointer full = new FloatPointer((long) ROWWISE_ROWS * cols);
             FloatPointer part = new FloatPointer((long) rows * cols)) {
            for (long i = 0; i < (long) ROWWISE_ROWS * k; i++) {
                a.put(i, (float) rng.nextGaussian());
            }
            for (long i = 0; i < (long) k * cols; i++) {
                b.put(i, (float) rng.nextGaussian());
            }
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, ROWWISE_ROWS, cols,
                    k, 1f, a, k, b, cols, 0f, full, cols);
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, rows, cols, k, 1f,
                    a, k, b, cols, 0f, part, cols);
            for (long i = 0; i < (long) rows * cols; i++) {
                if (Float.floatToRawIntBits(full.get(i)) != Float.floatToRawIntBits(part.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Tasks {@code [from, to)} of {@link #sgemmRowwise}, in block-major order (task t is row tile {@code t % tiles}
     * of column block {@code t / tiles}), so that consecutive tasks reuse one block of B across row tiles.
     */
    private static void rowwiseTasks(int from, int to, int tiles, int lastRows, int part, int n, int k, NativeBuffer a,
                                     NativeBuffer b, NativeBuffer c) {
        for (int t = from; t < to; t++) {
            int col = t / tiles * ROWWISE_COLUMNS;
            long row = (long) (t % tiles) * ROWWISE_ROWS;
            int rows = t % tiles == tiles - 1 ? lastRows : ROWWISE_ROWS;
            openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, rows,
                    Math.min(ROWWISE_COLUMNS, n - col), k, 1f, a.view(0, part, row * k), k, b.view(1, part, col), n, 0f,
                    c.view(2, part, row * n + col), n);
        }
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                      float[] b, int ldb, float beta, float[] c, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        // A native call on Java arrays copies them in and out anyway; copying once here lets the team split it.
        try (FloatPointer pa = new FloatPointer(a); FloatPointer pb = new FloatPointer(b); FloatPointer pc = new FloatPointer(c)) {
            split(transA, transB, m, n, k, lda, ldb, ldc, (part, offA, offB, offC, mm, nn) ->
                    openblas.cblas_sgemm(openblas.CblasRowMajor, op(transA), op(transB), mm, nn, k, alpha,
                            new FloatPointer(pa).position(offA), lda, new FloatPointer(pb).position(offB), ldb, beta,
                            new FloatPointer(pc).position(offC), ldc));
            pc.get(c);
        }
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int lda,
                      double[] b, int ldb, double beta, double[] c, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        try (DoublePointer pa = new DoublePointer(a); DoublePointer pb = new DoublePointer(b); DoublePointer pc = new DoublePointer(c)) {
            split(transA, transB, m, n, k, lda, ldb, ldc, (part, offA, offB, offC, mm, nn) ->
                    openblas.cblas_dgemm(openblas.CblasRowMajor, op(transA), op(transB), mm, nn, k, alpha,
                            new DoublePointer(pa).position(offA), lda, new DoublePointer(pb).position(offB), ldb, beta,
                            new DoublePointer(pc).position(offC), ldc));
            pc.get(c);
        }
    }

    private static int op(boolean trans) {
        return trans ? openblas.CblasTrans : openblas.CblasNoTrans;
    }

    /** One block of a split product: rows {@code mm} × columns {@code nn} of C, operands offset by these amounts. */
    @FunctionalInterface
    private interface Block {
        void compute(int part, long offA, long offB, long offC, int mm, int nn);
    }

    /**
     * Splits C (m × n) into one block per team thread along its larger dimension and computes the blocks
     * together. Row blocks take the matching rows of op(A), column blocks the matching columns of op(B).
     */
    private void split(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc, Block block) {
        split(transA, transB, m, n, k, lda, ldb, ldc, SPLIT_MIN_WORK, block);
    }

    /** {@link #split(boolean, boolean, int, int, int, int, int, int, Block)} with its own smallest split product. */
    private void split(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc, long minWork,
                       Block block) {
        if (m == 0 || n == 0) {
            return;
        }
        int parts = team.size();
        if (parts == 1 || (long) m * n * k < minWork) {
            block.compute(0, 0, 0, 0, m, n);
            return;
        }
        boolean byRows = m >= n;
        int extent = byRows ? m : n;
        int align = byRows ? 1 : COLUMN_ALIGN;
        team.run(part -> {
            int from = ThreadTeam.start(part, parts, extent, align);
            int to = ThreadTeam.start(part + 1, parts, extent, align);
            if (from >= to) {
                return;
            }
            if (byRows) {
                block.compute(part, transA ? from : (long) from * lda, 0, (long) from * ldc, to - from, n);
            } else {
                block.compute(part, 0, transB ? (long) from * ldb : from, from, m, to - from);
            }
        });
    }

    /**
     * Off-heap memory owned by JavaCPP (released when the buffer is garbage collected). Heap copies go through a
     * direct {@link FloatBuffer} view with absolute bulk operations (thread-safe, no JNI call); products address
     * the memory through one cached pointer view per operand role and team part, so parts never share a
     * pointer's mutable position.
     */
    private static final class NativeBuffer implements DeviceBuffer {
        private final FloatPointer pointer;
        private final FloatBuffer floats;
        private final FloatPointer[] views;
        private final int parts;

        NativeBuffer(int size, int parts) {
            this.pointer = new FloatPointer(Math.max(size, 1));
            this.pointer.zero();
            this.floats = pointer.asBuffer();
            this.parts = parts;
            this.views = new FloatPointer[3 * parts];
            for (int i = 0; i < views.length; i++) {
                views[i] = new FloatPointer((Pointer) pointer);
            }
        }

        /** The pointer for operand {@code role} (0 A, 1 B, 2 C) of part {@code part}, at {@code offset} floats. */
        FloatPointer view(int role, int part, long offset) {
            return views[role * parts + part].position(offset);
        }

        @Override
        public void write(int index, float[] src, int offset, int length) {
            floats.put(index, src, offset, length);
        }

        @Override
        public void read(int index, float[] dst, int offset, int length) {
            floats.get(index, dst, offset, length);
        }
    }
}
