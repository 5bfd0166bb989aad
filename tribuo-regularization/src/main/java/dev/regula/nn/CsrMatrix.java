package dev.regula.nn;

/**
 * A float matrix in compressed sparse rows: row {@code r} holds the entries {@code k} in
 * {@code [rowPointers[r], rowPointers[r + 1])}, each the value {@code values[k]} in column {@code columns[k]}.
 * Within a row the columns are strictly increasing, which fixes the order in which every kernel of
 * {@link SparseProducts} sums a row's terms. Entries stored as 0 are allowed (they contribute nothing).
 * <p>
 * The arrays are taken as they are, not copied, and may be longer than the matrix needs (a minibatch buffer reused
 * from batch to batch): only {@code rowPointers[0 .. rows]} and the entries {@code [0, rowPointers[rows])} belong
 * to the matrix. The values may be changed in place (input dropout scales them); the structure is fixed.
 */
public final class CsrMatrix {
    private final int rows;
    private final int cols;
    private final float[] values;
    private final int[] columns;
    private final int[] rowPointers;

    /**
     * Wraps CSR arrays, checking their structure.
     * @param rows the number of rows, &gt;= 0.
     * @param cols the number of columns, &gt;= 1.
     * @param values the entries' values, at least {@code rowPointers[rows]} long.
     * @param columns the entries' columns, at least {@code rowPointers[rows]} long, each in {@code [0, cols)},
     *                strictly increasing within a row.
     * @param rowPointers the first entry of each row and one past the last of the last row: at least
     *                    {@code rows + 1} long, starting at 0, non-decreasing.
     * @throws IllegalArgumentException naming the first violation.
     */
    public CsrMatrix(int rows, int cols, float[] values, int[] columns, int[] rowPointers) {
        if (rows < 0 || cols < 1) {
            throw new IllegalArgumentException("A CSR matrix needs rows >= 0 and cols >= 1, found " + rows + " x " + cols);
        }
        if (rowPointers.length < rows + 1 || rowPointers[0] != 0) {
            throw new IllegalArgumentException("rowPointers must hold rows + 1 = " + (rows + 1)
                    + " entries starting at 0, found length " + rowPointers.length
                    + (rowPointers.length > 0 ? " starting at " + rowPointers[0] : ""));
        }
        for (int r = 0; r < rows; r++) {
            if (rowPointers[r + 1] < rowPointers[r]) {
                throw new IllegalArgumentException("rowPointers decrease at row " + r + ": " + rowPointers[r] + " then "
                        + rowPointers[r + 1]);
            }
        }
        int nnz = rowPointers[rows];
        if (values.length < nnz || columns.length < nnz) {
            throw new IllegalArgumentException("The rows hold " + nnz + " entries but values has " + values.length
                    + " and columns " + columns.length);
        }
        for (int r = 0; r < rows; r++) {
            int previous = -1;
            for (int k = rowPointers[r]; k < rowPointers[r + 1]; k++) {
                int c = columns[k];
                if (c <= previous || c >= cols) {
                    throw new IllegalArgumentException("Row " + r + " has column " + c + " after column " + previous
                            + ": columns must be strictly increasing within a row and in [0, " + cols + ")");
                }
                previous = c;
            }
        }
        this.rows = rows;
        this.cols = cols;
        this.values = values;
        this.columns = columns;
        this.rowPointers = rowPointers;
    }

    /**
     * The CSR form of a dense row-major matrix: every non-zero value, in row and column order.
     * @param dense the matrix, at least {@code rows × cols} values.
     * @param rows the number of rows.
     * @param cols the number of columns.
     * @return the sparse matrix.
     */
    public static CsrMatrix fromDense(float[] dense, int rows, int cols) {
        int nnz = 0;
        for (int i = 0; i < rows * cols; i++) {
            if (dense[i] != 0f) {
                nnz++;
            }
        }
        float[] v = new float[nnz];
        int[] c = new int[nnz];
        int[] p = new int[rows + 1];
        int k = 0;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                float x = dense[r * cols + j];
                if (x != 0f) {
                    v[k] = x;
                    c[k] = j;
                    k++;
                }
            }
            p[r + 1] = k;
        }
        return new CsrMatrix(rows, cols, v, c, p);
    }

    /**
     * The dense row-major form (for tests and small matrices).
     * @return rows × cols values.
     */
    public float[] toDense() {
        float[] out = new float[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            for (int k = rowPointers[r]; k < rowPointers[r + 1]; k++) {
                out[r * cols + columns[k]] = values[k];
            }
        }
        return out;
    }

    /** @return the number of rows. */
    public int rows() {
        return rows;
    }

    /** @return the number of columns. */
    public int cols() {
        return cols;
    }

    /** @return the number of stored entries. */
    public int nonZeros() {
        return rowPointers[rows];
    }

    /** @return the stored entries per cell, {@code nonZeros / (rows × cols)} (0 for no rows). */
    public double density() {
        return rows == 0 ? 0 : nonZeros() / ((double) rows * cols);
    }

    /** @return the values array itself (entries {@code [0, nonZeros())} belong to the matrix). */
    public float[] values() {
        return values;
    }

    /** @return the columns array itself. */
    public int[] columns() {
        return columns;
    }

    /** @return the row-pointer array itself ({@code [0, rows]} belongs to the matrix). */
    public int[] rowPointers() {
        return rowPointers;
    }
}
