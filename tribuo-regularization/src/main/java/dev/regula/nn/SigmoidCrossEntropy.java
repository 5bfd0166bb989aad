package dev.regula.nn;

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
public final class SigmoidCrossEntropy extends ElementwiseLoss {
    private static final long serialVersionUID = 1L;

    /** Probability above which a label counts as predicted. */
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
    public void activate(float[] z, int rows, int units) {
        for (int i = 0; i < rows * units; i++) {
            z[i] = sigmoid(z[i]);
        }
    }

    @Override
    protected double elementLoss(float x, float y) {
        return Math.max(x, 0) - (double) x * y + Math.log1p(Math.exp(-Math.abs((double) x)));
    }

    @Override
    protected float elementGradient(float x, float y) {
        return sigmoid(x) - y;
    }

    @Override
    protected Boolean elementHit(float x, float y) {
        return (sigmoid(x) > threshold) == (y > 0.5f);
    }

    /** Binary cross-entropy of a probability clamped to {@code [Float.MIN_NORMAL, 1 − 2^−24]}, finite when saturated. */
    @Override
    protected double predictionLoss(float prediction, float y) {
        double p = Math.min(Math.max(prediction, Float.MIN_NORMAL), 1 - 0x1p-24);
        return y > 0.5f ? -Math.log(p) : -Math.log1p(-p);
    }

    @Override
    public String toString() {
        return "sigmoid_cross_entropy(threshold=" + threshold + ")";
    }

    private static float sigmoid(float x) {
        return x >= 0 ? (float) (1 / (1 + Math.exp(-x))) : (float) (Math.exp(x) / (1 + Math.exp(x)));
    }
}
