package dev.regula.nn;

import org.jspecify.annotations.Nullable;

import java.io.Serializable;

/**
 * The output head of a network as the kernels see it: the activation applied to the last layer's linear outputs
 * at inference, and the training loss with its gradient with respect to those linear outputs.
 * <p>
 * Targets are a dense float matrix of {@code rows × }{@link #targetWidth(int)} values whose meaning the loss
 * defines (a class index for softmax cross-entropy). The loss is averaged over the rows of a batch, as Keras and
 * PyTorch average it.
 */
public interface OutputLoss extends Serializable {
    /**
     * The number of target values per row.
     * @param units the output layer's units.
     * @return the target width.
     */
    int targetWidth(int units);

    /**
     * The inference activation, in place (softmax probabilities, for instance).
     * @param z the last layer's linear outputs, rows × units row-major; overwritten with the predictions.
     * @param rows the number of rows.
     * @param units the number of units.
     */
    void activate(float[] z, int rows, int units);

    /**
     * Replaces the last layer's linear outputs by the gradient of the batch's (weighted) mean loss with respect to
     * them, and returns that mean loss. Unweighted, the mean is {@code Σ_r ℓ_r / rows}; with row weights it is
     * {@code Σ_r w_r·ℓ_r / Σ_r w_r}, so scaling every weight by one factor changes nothing and a row of weight 2
     * counts as the same row twice. A batch whose weights sum to 0 has loss and gradient 0.
     * @param z the linear outputs, rows × units, overwritten with the gradient.
     * @param targets the targets, rows × {@link #targetWidth(int)}.
     * @param weights the row weights (finite, &gt;= 0), or null for all 1.
     * @param rows the number of rows.
     * @param units the number of units.
     * @param hits out-parameter: {@code hits[0]} is incremented by the rows predicted right, for losses that
     *             define it (classification); others leave it unchanged.
     * @return the batch's mean loss.
     */
    double gradient(float[] z, float[] targets, float @Nullable [] weights, int rows, int units, int[] hits);

    /**
     * As {@link #gradient}, for a MixUp batch ({@link MixUp}): row r's target is the mixture
     * {@code λ_r·target(r) + (1 − λ_r)·target(partner_r)} of its own and its partner's target rows. Only losses
     * linear in a soft target support it (the softmax cross-entropies).
     * @param z the linear outputs, rows × units, overwritten with the gradient.
     * @param targets the (unmixed) targets, rows × {@link #targetWidth(int)}.
     * @param partner the row each row is mixed with.
     * @param lambda each row's own share λ in [0, 1].
     * @param weights the row weights, or null for all 1.
     * @param rows the number of rows.
     * @param units the number of units.
     * @param hits out-parameter: incremented by the rows whose arg-max is the label of the larger share.
     * @return the batch's mean loss.
     * @throws UnsupportedOperationException if the loss has no mixed form.
     */
    default double mixedGradient(float[] z, float[] targets, int[] partner, float[] lambda, float @Nullable [] weights,
                                 int rows, int units, int[] hits) {
        throw new UnsupportedOperationException(this + " does not support MixUp");
    }

    /**
     * The (weighted) mean loss of activated predictions (the output of {@link #activate}), as reported for
     * validation data: {@code Σ_r w_r·ℓ_r / Σ_r w_r}, or the plain mean without weights.
     * @param predictions the activated outputs, rows × units.
     * @param targets the targets, rows × {@link #targetWidth(int)}.
     * @param weights the row weights, or null for all 1.
     * @param rows the number of rows.
     * @param units the number of units.
     * @return the mean loss.
     */
    double meanLoss(float[] predictions, float[] targets, float @Nullable [] weights, int rows, int units);

    /**
     * The factor each row's gradient gets: {@code 1 / rows} unweighted, {@code w_r / Σ w} weighted.
     * @param weights the row weights, or null.
     * @param rows the number of rows.
     * @return the factors, or null when every row gets {@code 1 / rows}.
     */
    static float @Nullable [] rowScales(float @Nullable [] weights, int rows) {
        if (weights == null) {
            return null;
        }
        double total = 0;
        for (int r = 0; r < rows; r++) {
            total += weights[r];
        }
        float[] scale = new float[rows];
        for (int r = 0; r < rows; r++) {
            scale[r] = total == 0 ? 0f : (float) (weights[r] / total);
        }
        return scale;
    }

    /**
     * Averages per-row losses: {@code Σ ℓ_r / rows}, or {@code Σ w_r·ℓ_r / Σ w_r} (0 when the weights sum to 0).
     * @param rowLoss the loss of each row.
     * @param weights the row weights, or null.
     * @param rows the number of rows.
     * @return the mean.
     */
    static double mean(double[] rowLoss, float @Nullable [] weights, int rows) {
        double sum = 0;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double w = weights == null ? 1 : weights[r];
            sum += w * rowLoss[r];
            total += w;
        }
        return total == 0 ? 0 : sum / total;
    }
}
