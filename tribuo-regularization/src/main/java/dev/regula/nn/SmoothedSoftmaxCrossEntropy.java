package dev.regula.nn;

import org.jspecify.annotations.Nullable;

/**
 * Softmax cross-entropy against label-smoothed targets: Keras
 * {@code CategoricalCrossentropy(from_logits=True, label_smoothing=ε)} on one-hot targets, PyTorch
 * {@code CrossEntropyLoss(label_smoothing=ε)}. With K classes and the true class y of a row, the target
 * distribution is
 * <pre>
 * ỹ_j = (1 − ε)·[j = y] + ε / K
 * </pre>
 * and the row's loss and its gradient with respect to the logits z are
 * <pre>
 * ℓ = −Σ_j ỹ_j · log softmax(z)_j = logΣ_j exp z_j − Σ_j ỹ_j z_j
 * ∂ℓ/∂z_j = softmax(z)_j − ỹ_j
 * </pre>
 * (ε = 0 is {@link SoftmaxCrossEntropy}). The loss does not reach 0 even for a perfect prediction: its minimum,
 * at softmax(z) = ỹ, is the entropy of ỹ. As in Keras, the same smoothed loss is reported for the validation data
 * ({@code val_loss}), computed on probabilities clamped below at {@code Float.MIN_NORMAL}; the accuracy counts the
 * arg-max against the true class. A target row is one value, the class index, as for {@link SoftmaxCrossEntropy}.
 * <p>
 * Inference is plain softmax: label smoothing changes training only.
 */
public final class SmoothedSoftmaxCrossEntropy implements OutputLoss {
    private static final long serialVersionUID = 1L;

    /** The smoothing ε, in [0, 1). */
    private final double smoothing;

    private SmoothedSoftmaxCrossEntropy(double smoothing) {
        Ranges.require(Ranges.rate("labelSmoothing", smoothing));
        this.smoothing = smoothing;
    }

    /**
     * The softmax cross-entropy with smoothing ε.
     * @param smoothing ε in [0, 1): the share of each target's probability spread evenly over the K classes.
     * @return the loss.
     * @throws IllegalArgumentException if ε is outside [0, 1).
     */
    public static SmoothedSoftmaxCrossEntropy of(double smoothing) {
        return new SmoothedSoftmaxCrossEntropy(smoothing);
    }

    /** @return the smoothing ε. */
    public double smoothing() {
        return smoothing;
    }

    @Override
    public int targetWidth(int units) {
        return 1;
    }

    @Override
    public void activate(float[] z, int rows, int units) {
        SoftmaxCrossEntropy.inPlace(z, rows, units);
    }

    @Override
    public double gradient(float[] z, float[] targets, float @Nullable [] weights, int rows, int units, int[] hits) {
        float[] scale = OutputLoss.rowScales(weights, rows);
        double[] rowLoss = new double[rows];
        double onTrue = 1 - smoothing;
        double spread = smoothing / units;
        for (int r = 0; r < rows; r++) {
            int o = r * units;
            int label = (int) targets[r];
            float max = Float.NEGATIVE_INFINITY;
            int arg = 0;
            for (int j = 0; j < units; j++) {
                if (z[o + j] > max) {
                    max = z[o + j];
                    arg = j;
                }
            }
            if (arg == label) {
                hits[0]++;
            }
            // ℓ = log Σ exp(z − max) − Σ_j ỹ_j (z_j − max), as Σ_j ỹ_j = 1
            double shiftedLabel = z[o + label] - max;
            double shiftedSum = 0;
            double sum = 0;
            for (int j = 0; j < units; j++) {
                double shifted = z[o + j] - max;
                shiftedSum += shifted;
                float e = (float) Math.exp(shifted);
                z[o + j] = e;
                sum += e;
            }
            rowLoss[r] = Math.log(sum) - onTrue * shiftedLabel - spread * shiftedSum;
            float s = scale == null ? 1f / rows : scale[r];
            float inv = (float) (1.0 / sum);
            float spreadScaled = (float) (spread * s);
            for (int j = 0; j < units; j++) {
                z[o + j] = z[o + j] * inv * s - spreadScaled;
            }
            z[o + label] -= (float) (onTrue * s);
        }
        return OutputLoss.mean(rowLoss, weights, rows);
    }

    @Override
    public double mixedGradient(float[] z, float[] targets, int[] partner, float[] lambda, float @Nullable [] weights,
                                int rows, int units, int[] hits) {
        return mixedCrossEntropy(z, targets, partner, lambda, smoothing, weights, rows, units, hits);
    }

    /**
     * Softmax cross-entropy against mixed, smoothed targets: row r of class a = y_r mixed with class
     * b = y_partner(r) by λ = λ_r has the target
     * <pre>
     * t_j = (1 − ε)·(λ·[j = a] + (1 − λ)·[j = b]) + ε/K
     * </pre>
     * (MixUp of smoothed one-hot targets, Σ_j t_j = 1), loss {@code logΣ exp z − Σ_j t_j z_j} and gradient
     * {@code softmax(z) − t}, scaled for the (weighted) mean. A row counts as a hit when its arg-max is a for
     * λ ≥ ½, b otherwise (the arg-max of t).
     * @param z the logits, overwritten with the gradient.
     * @param targets the class indices.
     * @param partner each row's partner.
     * @param lambda each row's share λ.
     * @param smoothing ε.
     * @param weights the row weights, or null.
     * @param rows the number of rows.
     * @param units K.
     * @param hits out-parameter for the hits.
     * @return the (weighted) mean loss.
     */
    static double mixedCrossEntropy(float[] z, float[] targets, int[] partner, float[] lambda, double smoothing,
                                    float @Nullable [] weights, int rows, int units, int[] hits) {
        float[] scale = OutputLoss.rowScales(weights, rows);
        double[] rowLoss = new double[rows];
        double spread = smoothing / units;
        for (int r = 0; r < rows; r++) {
            int o = r * units;
            int a = (int) targets[r];
            int b = (int) targets[partner[r]];
            double l = lambda[r];
            double onA = (1 - smoothing) * l;
            double onB = (1 - smoothing) * (1 - l);
            float max = Float.NEGATIVE_INFINITY;
            int arg = 0;
            for (int j = 0; j < units; j++) {
                if (z[o + j] > max) {
                    max = z[o + j];
                    arg = j;
                }
            }
            if (arg == (l >= 0.5 ? a : b)) {
                hits[0]++;
            }
            double shiftedA = z[o + a] - max;
            double shiftedB = z[o + b] - max;
            double shiftedSum = 0;
            double sum = 0;
            for (int j = 0; j < units; j++) {
                double shifted = z[o + j] - max;
                shiftedSum += shifted;
                float e = (float) Math.exp(shifted);
                z[o + j] = e;
                sum += e;
            }
            rowLoss[r] = Math.log(sum) - onA * shiftedA - onB * shiftedB - spread * shiftedSum;
            float s = scale == null ? 1f / rows : scale[r];
            float inv = (float) (1.0 / sum);
            float spreadScaled = (float) (spread * s);
            for (int j = 0; j < units; j++) {
                z[o + j] = z[o + j] * inv * s - spreadScaled;
            }
            z[o + a] -= (float) (onA * s);
            z[o + b] -= (float) (onB * s);
        }
        return OutputLoss.mean(rowLoss, weights, rows);
    }

    /**
     * The (weighted) mean smoothed cross-entropy {@code −Σ_j ỹ_j log p_j} of probabilities, each clamped below at
     * {@code Float.MIN_NORMAL} so that a probability that underflowed to 0 gives a large finite loss.
     */
    @Override
    public double meanLoss(float[] predictions, float[] targets, float @Nullable [] weights, int rows, int units) {
        double[] rowLoss = new double[rows];
        double onTrue = 1 - smoothing;
        double spread = smoothing / units;
        for (int r = 0; r < rows; r++) {
            int o = r * units;
            double l = 0;
            for (int j = 0; j < units; j++) {
                l -= spread * Math.log(Math.max(predictions[o + j], Float.MIN_NORMAL));
            }
            l -= onTrue * Math.log(Math.max(predictions[o + (int) targets[r]], Float.MIN_NORMAL));
            rowLoss[r] = l;
        }
        return OutputLoss.mean(rowLoss, weights, rows);
    }

    @Override
    public String toString() {
        return "SmoothedSoftmaxCrossEntropy(" + smoothing + ")";
    }
}
