package dev.regula.mlp;

import dev.regula.augment.InputTransform;
import dev.regula.nn.Blas;
import dev.regula.nn.Network;
import dev.regula.nn.NetworkTrainer;
import dev.regula.nn.OutputLoss;
import org.jspecify.annotations.Nullable;
import org.tribuo.Example;
import org.tribuo.Feature;

import java.util.List;

/**
 * The dense input kind: examples converted once into one dense row-major float matrix in feature-id order.
 * Unknown features are ignored (as everywhere in Tribuo); non-finite values and examples with no known feature
 * are rejected with an error naming the example. As a {@link BatchSource} it copies rows unchanged into a dense
 * minibatch.
 */
final class DenseRows implements InputRows {
    /** The rows, {@code rows × cols} row-major. */
    final float[] x;
    /** The number of rows. */
    final int rows;
    /** The number of columns. */
    final int cols;
    /** The minibatch buffer, allocated at the first step. */
    private float[] batch = new float[0];

    private DenseRows(float[] x, int rows, int cols) {
        this.x = x;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * Converts examples.
     * @param examples the examples.
     * @param what a description for error messages, e.g. "training example".
     * @param features the feature index defining the columns.
     * @return the dense rows.
     */
    static DenseRows of(List<? extends Example<?>> examples, String what, FeatureIndex features) {
        int n = examples.size();
        int d = features.size();
        if ((long) n * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(n + " examples x " + d + " features exceed the 2^31 values one dense matrix can hold");
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            fill(examples.get(i), i, what, features, x, i * d);
        }
        return new DenseRows(x, n, d);
    }

    /**
     * Writes one example's known features into a dense row.
     * @return the number of known features.
     */
    static int fill(Example<?> ex, int index, String what, FeatureIndex features, float[] x, int offset) {
        int known = 0;
        for (Feature f : ex) {
            int id = features.id(f.getName());
            if (id < 0) {
                continue;
            }
            double v = f.getValue();
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(what + " " + index + " has non-finite value " + v
                        + " for feature '" + f.getName() + "'");
            }
            if (!Float.isFinite((float) v)) {
                throw new IllegalArgumentException(what + " " + index + " has value " + v + " for feature '"
                        + f.getName() + "', beyond float32's range (±" + Float.MAX_VALUE + ") the network computes in");
            }
            x[offset + id] = (float) v;
            known++;
        }
        if (known == 0) {
            throw new IllegalArgumentException(what + " " + index + " has no features known to the model ("
                    + ex.size() + " features, none in the " + features.size() + "-feature domain)");
        }
        return known;
    }

    @Override
    public double maxAbs() {
        double m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Override
    public int maxAbsColumn() {
        int worst = -1;
        float largest = 0;
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) > largest) {
                largest = Math.abs(x[i]);
                worst = i % cols;
            }
        }
        return worst;
    }

    @Override
    public void transform(InputTransform transform, Blas blas) {
        transform.apply(x, x, rows, blas);
    }

    @Override
    public void requireFinite(String what, String[] features, String stage) {
        requireFinite(what, x, rows, features, stage);
    }

    @Override
    public void predict(Network net, float[] out, Blas blas, OutputLoss head) {
        net.predict(x, rows, out, blas, head);
    }

    /**
     * Refuses rows holding a non-finite value (after an input transform overflowed), naming the example and the
     * feature.
     * @param what a description for errors, e.g. "example".
     * @param x the rows.
     * @param rows the number of rows.
     * @param features the feature names by column.
     * @param stage where the values come from, e.g. "after the model's input transform".
     */
    static void requireFinite(String what, float[] x, int rows, String[] features, String stage) {
        int d = features.length;
        for (int i = 0; i < rows * d; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException(what + " " + (i / d) + " has value " + x[i] + " for feature '"
                        + features[i % d] + "' " + stage + ": its values are too large for float32");
            }
        }
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public double step(NetworkTrainer steps, int[] order, int start, int count, float[] y, float @Nullable [] weights) {
        if (batch.length < count * cols) {
            batch = new float[count * cols];
        }
        gather(order, start, count, batch);
        return steps.step(batch, y, weights, count);
    }

    /**
     * Copies the rows {@code order[start .. start + count)} into a dense minibatch.
     * @param order the epoch's row order.
     * @param start the first position in {@code order}.
     * @param count the number of rows.
     * @param batch the minibatch, at least {@code count × cols} values.
     */
    void gather(int[] order, int start, int count, float[] batch) {
        for (int r = 0; r < count; r++) {
            System.arraycopy(x, order[start + r] * cols, batch, r * cols, cols);
        }
    }
}
