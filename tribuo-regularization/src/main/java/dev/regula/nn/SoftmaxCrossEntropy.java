package dev.regula.nn;

import org.jspecify.annotations.Nullable;

/**
 * The classification head: row-wise softmax over the output units and softmax cross-entropy against class
 * indices (Keras {@code sparse_categorical_crossentropy} on logits, PyTorch {@code CrossEntropyLoss}). A target
 * row is one value, the class index in {@code [0, units)} stored as a float (exact for every index a float32
 * output layer can have).
 */
public enum SoftmaxCrossEntropy implements OutputLoss {
    /** The only instance. */
    INSTANCE;

    @Override
    public int targetWidth(int units) {
        return 1;
    }

    @Override
    public void activate(float[] z, int rows, int units) {
        inPlace(z, rows, units);
    }

    @Override
    public double gradient(float[] z, float[] targets, float @Nullable [] weights, int rows, int units, int[] hits) {
        if (weights == null) {
            return crossEntropyGradient(z, targets, rows, units, hits, null, null) / rows;
        }
        double[] rowLoss = new double[rows];
        crossEntropyGradient(z, targets, rows, units, hits, OutputLoss.rowScales(weights, rows), rowLoss);
        return OutputLoss.mean(rowLoss, weights, rows);
    }

    @Override
    public double mixedGradient(float[] z, float[] targets, int[] partner, float[] lambda, float @Nullable [] weights,
                                int rows, int units, int[] hits) {
        return SmoothedSoftmaxCrossEntropy.mixedCrossEntropy(z, targets, partner, lambda, 0, weights, rows, units, hits);
    }

    /**
     * The mean cross-entropy {@code −(1/rows) Σ_r log p_r[y_r]} of probabilities, each clamped below at
     * {@code Float.MIN_NORMAL} so that a probability that underflowed to 0 gives a large finite loss.
     */
    @Override
    public double meanLoss(float[] predictions, float[] targets, float @Nullable [] weights, int rows, int units) {
        if (weights == null) {
            double ce = 0;
            for (int i = 0; i < rows; i++) {
                ce -= Math.log(Math.max(predictions[i * units + (int) targets[i]], Float.MIN_NORMAL));
            }
            return ce / rows;
        }
        double[] rowLoss = new double[rows];
        for (int i = 0; i < rows; i++) {
            rowLoss[i] = -Math.log(Math.max(predictions[i * units + (int) targets[i]], Float.MIN_NORMAL));
        }
        return OutputLoss.mean(rowLoss, weights, rows);
    }

    /**
     * Replaces each row of logits by its softmax, computed stably (shifted by the row maximum).
     * @param z the logits, rows × cols, overwritten.
     * @param rows the number of rows.
     * @param cols the number of columns.
     */
    public static void inPlace(float[] z, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, z[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(z[o + j] - max);
                z[o + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) {
                z[o + j] *= inv;
            }
        }
    }

    /**
     * Softmax cross-entropy of a batch: replaces the logits by the gradient of the <em>mean</em> loss,
     * {@code (softmax(z) − onehot(y)) · s_r} with {@code s_r = 1 / rows} (or the given row scales, for a weighted
     * mean), and returns the summed (not averaged) loss {@code Σ_r −log softmax(z_r)[y_r]}. Also counts rows whose
     * arg-max equals the label.
     * @param z the logits, rows × cols, overwritten with the gradient.
     * @param y the class indices, in [0, cols), one per row.
     * @param rows the number of rows.
     * @param cols the number of columns.
     * @param correct out-parameter: {@code correct[0]} is incremented by the number of correctly classified rows.
     * @param scale each row's gradient factor, or null for {@code 1 / rows}.
     * @param rowLoss out-parameter receiving each row's loss, or null.
     * @return the summed cross-entropy.
     */
    static double crossEntropyGradient(float[] z, float[] y, int rows, int cols, int[] correct, float @Nullable [] scale,
                                       double @Nullable [] rowLoss) {
        double loss = 0;
        float invRowsAll = 1f / rows;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int label = (int) y[r];
            float max = Float.NEGATIVE_INFINITY;
            int arg = 0;
            for (int j = 0; j < cols; j++) {
                if (z[o + j] > max) {
                    max = z[o + j];
                    arg = j;
                }
            }
            if (arg == label) {
                correct[0]++;
            }
            double shiftedLabelLogit = z[o + label] - max;
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(z[o + j] - max);
                z[o + j] = e;
                sum += e;
            }
            double l = Math.log(sum) - shiftedLabelLogit;
            loss += l;
            if (rowLoss != null) {
                rowLoss[r] = l;
            }
            float invRows = scale == null ? invRowsAll : scale[r];
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) {
                z[o + j] *= inv * invRows;
            }
            z[o + label] -= invRows;
        }
        return loss;
    }
}
