package dev.regula.nn;

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
     * Replaces the last layer's linear outputs by the gradient of the <em>mean</em> batch loss with respect to
     * them, and returns the <em>summed</em> loss of the batch.
     * @param z the linear outputs, rows × units, overwritten with the gradient.
     * @param targets the targets, rows × {@link #targetWidth(int)}.
     * @param rows the number of rows.
     * @param units the number of units.
     * @param hits out-parameter: {@code hits[0]} is incremented by the rows predicted right, for losses that
     *             define it (classification); others leave it unchanged.
     * @return the summed loss.
     */
    double gradient(float[] z, float[] targets, int rows, int units, int[] hits);

    /**
     * The mean loss of activated predictions (the output of {@link #activate}), as reported for validation data.
     * @param predictions the activated outputs, rows × units.
     * @param targets the targets, rows × {@link #targetWidth(int)}.
     * @param rows the number of rows.
     * @param units the number of units.
     * @return the mean loss.
     */
    double meanLoss(float[] predictions, float[] targets, int rows, int units);
}
