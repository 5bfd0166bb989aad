package dev.regula.nn;

/**
 * The columns of a {@link CsrMatrix} that hold entries, ascending, each with its entries in increasing row order:
 * the transpose of a minibatch, built once per step for the first layer's kernel gradient
 * {@link SparseProducts#transposedTimes}. A counting sort: the touched columns are marked in a bit set and read
 * back in ascending order a 64-bit word at a time, O(entries + columns / 64) with no comparison sort; the
 * per-column counters and the marks are cleared entry by entry. Reused from batch to batch; not thread-safe.
 */
public final class SparseColumns {
    private final int cols;
    private final int[] count;
    private final long[] marked;
    private int[] touched = new int[0];
    private int[] start = new int[1];
    private int[] entryRow = new int[0];
    private float[] entryValue = new float[0];
    private int size;

    /**
     * @param cols the number of columns of the matrices to transpose.
     */
    public SparseColumns(int cols) {
        this.cols = cols;
        this.count = new int[cols];
        this.marked = new long[(cols + 63) >>> 6];
    }

    /**
     * Rebuilds the index from a matrix.
     * @param x the matrix, of {@code cols} columns.
     */
    public void index(CsrMatrix x) {
        if (x.cols() != cols) {
            throw new IllegalArgumentException("This index is for " + cols + " columns, the matrix has " + x.cols());
        }
        int nnz = x.nonZeros();
        int[] colOf = x.columns();
        int[] rowPtr = x.rowPointers();
        float[] val = x.values();
        if (touched.length < nnz) {
            touched = new int[nnz];
            start = new int[nnz + 1];
            entryRow = new int[nnz];
            entryValue = new float[nnz];
        }
        for (int k = 0; k < nnz; k++) {
            int c = colOf[k];
            count[c]++;
            marked[c >>> 6] |= 1L << c; // the shift uses the low 6 bits of c
        }
        int m = 0;
        for (int word = 0; word < marked.length; word++) {
            long bits = marked[word];
            while (bits != 0) {
                touched[m++] = (word << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
            }
            marked[word] = 0;
        }
        // count[c] becomes the next free slot of column c, start[t] the first slot of the t-th touched column
        int next = 0;
        for (int t = 0; t < m; t++) {
            int c = touched[t];
            start[t] = next;
            next += count[c];
            count[c] = start[t];
        }
        start[m] = next;
        for (int r = 0; r < x.rows(); r++) {
            for (int k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
                int slot = count[colOf[k]]++;
                entryRow[slot] = r;
                entryValue[slot] = val[k];
            }
        }
        for (int t = 0; t < m; t++) {
            count[touched[t]] = 0;
        }
        size = m;
    }

    /** @return the number of columns holding entries. */
    public int size() {
        return size;
    }

    /**
     * @param t the position among the touched columns, in {@code [0, size())}.
     * @return the t-th touched column (ascending in t).
     */
    public int column(int t) {
        return touched[t];
    }

    /**
     * @param column a column.
     * @return the position of the first touched column at least {@code column} ({@link #size()} if none is).
     */
    public int firstAtLeast(int column) {
        int i = java.util.Arrays.binarySearch(touched, 0, size, column);
        return i >= 0 ? i : -i - 1;
    }

    /**
     * @param t a touched-column position, in {@code [0, end)}.
     * @param end a position bounding the run, at most {@link #size()}.
     * @return one past the last position of the run of consecutive columns starting at {@code t}, at most {@code end}.
     */
    public int runEnd(int t, int end) {
        int r = t + 1;
        while (r < end && touched[r] == touched[r - 1] + 1) {
            r++;
        }
        return r;
    }

    /** @return the touched columns array itself ({@code [0, size())} is valid). */
    int[] touchedColumns() {
        return touched;
    }

    /** @return the first entry slot of each touched column and the end of the last ({@code [0, size()]}). */
    int[] starts() {
        return start;
    }

    /** @return the row of each entry slot. */
    int[] rows() {
        return entryRow;
    }

    /** @return the value of each entry slot. */
    float[] values() {
        return entryValue;
    }
}
