package dev.regula.mlp;

import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;

import java.util.List;

/**
 * Examples converted once into one dense row-major float matrix in feature-id order, plus label ids.
 * Unknown features are ignored (as everywhere in Tribuo); non-finite values and examples with no known feature
 * are rejected with an error naming the example.
 */
final class DenseData {
    final float[] x;
    final int[] y;
    final int rows;
    final int cols;

    private DenseData(float[] x, int[] y, int rows, int cols) {
        this.x = x;
        this.y = y;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * Converts examples.
     * @param examples the examples.
     * @param what a description for error messages, e.g. "training example".
     * @param features the feature index defining the columns.
     * @param outputs the label ids.
     * @param labelled whether to convert the labels too (else {@link #y} is empty).
     * @return the dense data.
     */
    static DenseData of(List<? extends Example<Label>> examples, String what, FeatureIndex features,
                        ImmutableOutputInfo<Label> outputs, boolean labelled) {
        int n = examples.size();
        int d = features.size();
        if ((long) n * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(n + " examples x " + d + " features exceed the 2^31 values one dense matrix can hold");
        }
        float[] x = new float[n * d];
        int[] y = labelled ? new int[n] : new int[0];
        for (int i = 0; i < n; i++) {
            Example<Label> ex = examples.get(i);
            fill(ex, i, what, features, x, i * d);
            if (labelled) {
                int id = outputs.getID(ex.getOutput());
                if (id < 0) {
                    throw new IllegalArgumentException(what + " " + i + " has label '" + ex.getOutput().getLabel()
                            + "', which is not among the training labels " + outputs.getDomain());
                }
                y[i] = id;
            }
        }
        return new DenseData(x, y, n, d);
    }

    /**
     * Writes one example's known features into a dense row.
     * @return the number of known features.
     */
    static int fill(Example<Label> ex, int index, String what, FeatureIndex features, float[] x, int offset) {
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
            x[offset + id] = (float) v;
            known++;
        }
        if (known == 0) {
            throw new IllegalArgumentException(what + " " + index + " has no features known to the model ("
                    + ex.size() + " features, none in the " + features.size() + "-feature domain)");
        }
        return known;
    }
}
