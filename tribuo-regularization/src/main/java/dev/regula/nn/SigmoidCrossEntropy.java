package dev.regula.nn;

import org.jspecify.annotations.Nullable;

/**
 * The multi-label head: an independent sigmoid per output unit and the binary cross-entropy against 0/1 targets,
 * one per unit (Keras {@code binary_crossentropy(from_logits=True)}, PyTorch {@code BCEWithLogitsLoss}).
 * <p>
 * Per element, computed stably from the logit {@code z}:
 * <pre>
 *   ℓ(z, y) = max(z, 0) − z·y + log(1 + e^(−|z|))        ∂ℓ/∂z = σ(z) − y
 * </pre>
 * A row's loss is the mean over its units (labels) and a batch's the mean over its rows, as Keras computes it;
 * PyTorch's mean reduction agrees (it averages over every element). A prediction counts as a hit when every
 * label's decision {@code σ(z) > threshold} matches its target (subset accuracy).
 */
public final class SigmoidCrossEntropy implements OutputLoss {
    private static final long serialVersionUID = 1L;

    private final double threshold;

    private SigmoidCrossEntropy(double threshold) {
        this.threshold = threshold;
    }

    /**
     * The loss, counting hits at a decision threshold.
     * @param threshold a label is predicted when its probability exceeds this, in (0, 1).
     * @return the loss.
     */
    public static SigmoidCrossEntropy withThreshold(double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), found " + threshold);
        }
        return new SigmoidCrossEntropy(threshold);
    }

    /** @return the decision threshold. */
    public double getThreshold() {
        return threshold;
    }

    @Override
    public int targetWidth(int units) {
        return units;
    }

    @Override
    public void activate(float[] z, int rows, int units) {
        for (int i = 0; i < rows * units; i++) {
            z[i] = sigmoid(z[i]);
        }
    }

    @Override
    public double gradient(float[] z, float[] targets, float @Nullable [] weights, int rows, int units, int[] hits) {
        float[] scale = OutputLoss.rowScales(weights, rows);
        float all = 1f / (rows * units);
        double[] rowLoss = new double[rows];
        for (int r = 0; r < rows; r++) {
            float s = scale == null ? all : scale[r] / units;
            boolean hit = true;
            double l = 0;
            for (int j = r * units; j < (r + 1) * units; j++) {
                float x = z[j];
                float y = targets[j];
                l += Math.max(x, 0) - (double) x * y + Math.log1p(Math.exp(-Math.abs((double) x)));
                float p = sigmoid(x);
                hit &= (p > threshold) == (y > 0.5f);
                z[j] = s * (p - y);
            }
            rowLoss[r] = l / units;
            if (hit) {
                hits[0]++;
            }
        }
        return OutputLoss.mean(rowLoss, weights, rows);
    }

    /**
     * The mean binary cross-entropy of probabilities, each clamped to {@code [Float.MIN_NORMAL, 1 − 2^−24]}
     * so that a saturated probability gives a large finite loss.
     */
    @Override
    public double meanLoss(float[] predictions, float[] targets, float @Nullable [] weights, int rows, int units) {
        double[] rowLoss = new double[rows];
        for (int r = 0; r < rows; r++) {
            double l = 0;
            for (int i = r * units; i < (r + 1) * units; i++) {
                double p = Math.min(Math.max(predictions[i], Float.MIN_NORMAL), 1 - 0x1p-24);
                l -= targets[i] > 0.5f ? Math.log(p) : Math.log1p(-p);
            }
            rowLoss[r] = l / units;
        }
        return OutputLoss.mean(rowLoss, weights, rows);
    }

    @Override
    public String toString() {
        return "sigmoid_cross_entropy(threshold=" + threshold + ")";
    }

    private static float sigmoid(float x) {
        return x >= 0 ? (float) (1 / (1 + Math.exp(-x))) : (float) (Math.exp(x) / (1 + Math.exp(x)));
    }
}
