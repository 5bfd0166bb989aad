package dev.regula.mlp;

import dev.regula.augment.InputTransform;
import dev.regula.nn.Blas;
import dev.regula.nn.CsrMatrix;
import dev.regula.nn.Network;
import dev.regula.nn.NetworkTrainer;
import dev.regula.nn.OutputLoss;
import org.jspecify.annotations.Nullable;
import org.tribuo.Example;
import org.tribuo.Feature;

import java.util.Arrays;
import java.util.List;

/**
 * The sparse input kind: examples converted once into compressed sparse rows in feature-id order, never densified
 * — memory is proportional to the stored features. Unknown features are ignored, non-finite values and examples
 * with no known feature are rejected with the same errors as {@link DenseRows}, a feature named twice in an example
 * keeps its last value (as the dense rows do), and zero values are not stored. As a {@link BatchSource} it copies
 * a minibatch's entries — only that batch's rows — into a CSR minibatch for {@link NetworkTrainer}.
 */
final class SparseRows implements InputRows {
    /** The rows. */
    final CsrMatrix x;
    private float[] batchValues = new float[0];
    private int[] batchColumns = new int[0];
    private int[] batchPointers = new int[1];

    private SparseRows(CsrMatrix x) {
        this.x = x;
    }

    /**
     * Converts examples.
     * @param examples the examples.
     * @param what a description for error messages, e.g. "training example".
     * @param features the feature index defining the columns.
     * @return the sparse rows.
     */
    static SparseRows of(List<? extends Example<?>> examples, String what, FeatureIndex features) {
        return new SparseRows(convert(examples, what, features, new int[examples.size()]));
    }

    /**
     * Converts examples into compressed sparse rows.
     * @param examples the examples.
     * @param what a description for error messages.
     * @param features the feature index defining the columns.
     * @param active filled with each example's number of features the index knows.
     * @return the rows.
     */
    static CsrMatrix convert(List<? extends Example<?>> examples, String what, FeatureIndex features, int[] active) {
        int n = examples.size();
        long total = 0;
        for (Example<?> ex : examples) {
            total += ex.size();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(n + " examples hold " + total + " features, more than the 2^31 entries "
                    + "one sparse matrix can hold");
        }
        float[] values = new float[(int) total];
        int[] columns = new int[(int) total];
        int[] pointers = new int[n + 1];
        int next = 0;
        for (int i = 0; i < n; i++) {
            Example<?> ex = examples.get(i);
            int begin = next;
            boolean ordered = true;
            for (Feature f : ex) {
                int id = features.id(f.getName());
                if (id < 0) {
                    continue;
                }
                values[next] = checked(f, i, what);
                columns[next] = id;
                ordered &= next == begin || id > columns[next - 1];
                next++;
            }
            active[i] = next - begin;
            if (active[i] == 0) {
                throw new IllegalArgumentException(what + " " + i + " has no features known to the model ("
                        + ex.size() + " features, none in the " + features.size() + "-feature domain)");
            }
            int end = ordered ? next : sortKeepingLast(values, columns, begin, next);
            next = dropZeros(values, columns, begin, end);
            pointers[i + 1] = next;
        }
        return new CsrMatrix(n, features.size(), values, columns, pointers);
    }

    /** A feature's value as float32, refused (naming example and feature) if not finite there. */
    private static float checked(Feature f, int index, String what) {
        double v = f.getValue();
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " " + index + " has non-finite value " + v + " for feature '"
                    + f.getName() + "'");
        }
        if (!Float.isFinite((float) v)) {
            throw new IllegalArgumentException(what + " " + index + " has value " + v + " for feature '" + f.getName()
                    + "', beyond float32's range (±" + Float.MAX_VALUE + ") the network computes in");
        }
        return (float) v;
    }

    /**
     * Sorts the entries {@code [from, to)} by column, keeping for a repeated column the entry that came last.
     * @return the new end of the entries.
     */
    private static int sortKeepingLast(float[] values, int[] columns, int from, int to) {
        int m = to - from;
        long[] keys = new long[m];
        for (int k = 0; k < m; k++) {
            keys[k] = ((long) columns[from + k] << 32) | k;
        }
        Arrays.sort(keys);
        float[] v = Arrays.copyOfRange(values, from, to);
        int out = from;
        for (int k = 0; k < m; k++) {
            int column = (int) (keys[k] >>> 32);
            if (k + 1 < m && (int) (keys[k + 1] >>> 32) == column) {
                continue; // a later entry of the same column follows
            }
            values[out] = v[(int) keys[k]];
            columns[out] = column;
            out++;
        }
        return out;
    }

    /** Removes the entries of value 0 from {@code [from, to)}; returns the new end. */
    private static int dropZeros(float[] values, int[] columns, int from, int to) {
        int out = from;
        for (int k = from; k < to; k++) {
            if (values[k] != 0f) {
                values[out] = values[k];
                columns[out] = columns[k];
                out++;
            }
        }
        return out;
    }

    @Override
    public int rows() {
        return x.rows();
    }

    @Override
    public int cols() {
        return x.cols();
    }

    @Override
    public double step(NetworkTrainer steps, int[] order, int start, int count, float[] y, float @Nullable [] weights) {
        int[] ptr = x.rowPointers();
        int nnz = 0;
        for (int r = 0; r < count; r++) {
            int row = order[start + r];
            nnz += ptr[row + 1] - ptr[row];
        }
        if (batchValues.length < nnz) {
            batchValues = new float[nnz];
            batchColumns = new int[nnz];
        }
        if (batchPointers.length < count + 1) {
            batchPointers = new int[count + 1];
        }
        int next = 0;
        for (int r = 0; r < count; r++) {
            int row = order[start + r];
            int length = ptr[row + 1] - ptr[row];
            System.arraycopy(x.values(), ptr[row], batchValues, next, length);
            System.arraycopy(x.columns(), ptr[row], batchColumns, next, length);
            next += length;
            batchPointers[r + 1] = next;
        }
        return steps.step(new CsrMatrix(count, x.cols(), batchValues, batchColumns, batchPointers), y, weights, count);
    }

    @Override
    public double maxAbs() {
        double m = 0;
        float[] v = x.values();
        for (int k = 0; k < x.nonZeros(); k++) {
            m = Math.max(m, Math.abs(v[k]));
        }
        return m;
    }

    @Override
    public int maxAbsColumn() {
        int worst = -1;
        float largest = 0;
        float[] v = x.values();
        for (int k = 0; k < x.nonZeros(); k++) {
            if (Math.abs(v[k]) > largest) {
                largest = Math.abs(v[k]);
                worst = x.columns()[k];
            }
        }
        return worst;
    }

    @Override
    public void transform(InputTransform transform, Blas blas) {
        transform.applyToEntries(x.values(), x.columns(), 0, x.nonZeros());
    }

    @Override
    public void requireFinite(String what, String[] features, String stage) {
        requireFinite(x, what, features, stage);
    }

    /**
     * Whether every stored value is finite.
     * @param x the rows.
     * @return true if no stored value is NaN or infinite.
     */
    static boolean allFinite(CsrMatrix x) {
        float[] v = x.values();
        for (int k = 0; k < x.nonZeros(); k++) {
            if (!Float.isFinite(v[k])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Refuses sparse rows holding a non-finite value, naming the example and the feature.
     * @param x the rows.
     * @param what a description for errors.
     * @param features the feature names by column.
     * @param stage where the values come from.
     */
    static void requireFinite(CsrMatrix x, String what, String[] features, String stage) {
        int[] ptr = x.rowPointers();
        for (int r = 0; r < x.rows(); r++) {
            for (int k = ptr[r]; k < ptr[r + 1]; k++) {
                if (!Float.isFinite(x.values()[k])) {
                    throw new IllegalArgumentException(what + " " + r + " has value " + x.values()[k] + " for feature '"
                            + features[x.columns()[k]] + "' " + stage + ": its values are too large for float32");
                }
            }
        }
    }

    @Override
    public void predict(Network net, float[] out, Blas blas, OutputLoss head) {
        net.predict(x, out, blas, head);
    }
}
