package dev.regula.nn;

import org.jspecify.annotations.Nullable;

/**
 * A loss that is a sum of independent per-unit terms, one target per output unit (squared error, binary
 * cross-entropy): a row's loss is the mean of its units' terms and a batch's the (weighted) mean over its rows.
 * Subclasses define one element's loss and gradient; this class runs them over a batch.
 */
public abstract class ElementwiseLoss implements OutputLoss {
    private static final long serialVersionUID = 1L;

    /** For subclasses. */
    protected ElementwiseLoss() {}

    /**
     * One element's loss at the linear output.
     * @param z the linear output.
     * @param y the target.
     * @return the loss.
     */
    protected abstract double elementLoss(float z, float y);

    /**
     * One element's gradient with respect to the linear output.
     * @param z the linear output.
     * @param y the target.
     * @return the gradient.
     */
    protected abstract float elementGradient(float z, float y);

    /**
     * One element's loss at the activated prediction (the output of {@link #activate}), for validation.
     * @param prediction the prediction.
     * @param y the target.
     * @return the loss.
     */
    protected abstract double predictionLoss(float prediction, float y);

    /**
     * Whether one element's decision is right, for losses that count hits (a row is a hit when all its elements
     * are); null when the loss defines no hits.
     * @param z the linear output.
     * @param y the target.
     * @return the decision's correctness, or null.
     */
    protected @Nullable Boolean elementHit(float z, float y) {
        return null;
    }

    @Override
    public int targetWidth(int units) {
        return units;
    }

    @Override
    public double gradient(float[] z, float[] targets, float @Nullable [] weights, int rows, int units, int[] hits) {
        float[] scale = OutputLoss.rowScales(weights, rows);
        float all = 1f / (rows * units);
        double[] rowLoss = new double[rows];
        for (int r = 0; r < rows; r++) {
            float s = scale == null ? all : scale[r] / units;
            boolean hit = true;
            boolean counted = false;
            double l = 0;
            for (int i = r * units; i < (r + 1) * units; i++) {
                float x = z[i];
                float y = targets[i];
                l += elementLoss(x, y);
                Boolean h = elementHit(x, y);
                if (h != null) {
                    counted = true;
                    hit &= h;
                }
                z[i] = s * elementGradient(x, y);
            }
            rowLoss[r] = l / units;
            if (counted && hit) {
                hits[0]++;
            }
        }
        return OutputLoss.mean(rowLoss, weights, rows);
    }

    @Override
    public double meanLoss(float[] predictions, float[] targets, float @Nullable [] weights, int rows, int units) {
        double[] rowLoss = new double[rows];
        for (int r = 0; r < rows; r++) {
            double l = 0;
            for (int i = r * units; i < (r + 1) * units; i++) {
                l += predictionLoss(predictions[i], targets[i]);
            }
            rowLoss[r] = l / units;
        }
        return OutputLoss.mean(rowLoss, weights, rows);
    }
}
