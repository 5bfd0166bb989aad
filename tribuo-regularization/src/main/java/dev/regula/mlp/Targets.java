package dev.regula.mlp;

import org.jspecify.annotations.Nullable;
import org.tribuo.Example;
import org.tribuo.Output;

import java.util.List;

/**
 * The training targets of a set of examples as a dense float matrix, {@code width} values per row, encoded by the
 * output head ({@link OutputHead#encode}), and the rows' weights (Tribuo's example weights, times the head's
 * output weights for training rows).
 */
final class Targets {
    final float[] values;
    final int width;
    /** The row weights, or null when every row weighs 1. */
    final float @Nullable [] weights;

    private Targets(float[] values, int width, float @Nullable [] weights) {
        this.values = values;
        this.width = width;
        this.weights = weights;
    }

    /**
     * Encodes the examples' outputs and weights.
     * @param examples the examples.
     * @param what a description for errors, e.g. "training example".
     * @param head the output head.
     * @param classWeights whether the head's output weights apply (training rows: Keras applies {@code class_weight}
     *                     to training data only) or only the examples' own weights (validation rows).
     * @param <T> the output type.
     * @return the targets.
     * @throws IllegalArgumentException if a weight is negative or not finite.
     */
    static <T extends Output<T>> Targets of(List<? extends Example<T>> examples, String what, OutputHead<T> head,
                                            boolean classWeights) {
        int w = head.targetWidth();
        float[] values = new float[examples.size() * w];
        float[] weights = new float[examples.size()];
        boolean weighted = false;
        for (int i = 0; i < examples.size(); i++) {
            Example<T> ex = examples.get(i);
            head.encode(ex, what, i, values, i * w);
            float weight = ex.getWeight();
            if (!(weight >= 0) || !Float.isFinite(weight)) {
                throw new IllegalArgumentException(what + " " + i + " has weight " + weight
                        + "; example weights must be finite and >= 0");
            }
            if (classWeights) {
                weight *= head.outputWeight(ex.getOutput());
            }
            weights[i] = weight;
            weighted |= weight != 1f;
        }
        return new Targets(values, w, weighted ? weights : null);
    }

    /** @return the sum of the row weights. */
    double totalWeight() {
        if (weights == null) {
            return values.length / Math.max(width, 1);
        }
        double total = 0;
        for (float v : weights) {
            total += v;
        }
        return total;
    }

    /**
     * Copies the row weights {@code order[start .. start + count)} into a minibatch.
     * @param order the epoch's row order.
     * @param start the first position.
     * @param count the number of rows.
     * @param batch the minibatch weights.
     * @return the batch weights, or null when every row weighs 1.
     */
    float @Nullable [] gatherWeights(int[] order, int start, int count, float[] batch) {
        if (weights == null) {
            return null;
        }
        for (int r = 0; r < count; r++) {
            batch[r] = weights[order[start + r]];
        }
        return batch;
    }

    /**
     * Copies the target rows {@code order[start .. start + count)} into a minibatch.
     * @param order the epoch's row order.
     * @param start the first position.
     * @param count the number of rows.
     * @param batch the minibatch targets.
     */
    void gather(int[] order, int start, int count, float[] batch) {
        for (int r = 0; r < count; r++) {
            System.arraycopy(values, order[start + r] * width, batch, r * width, width);
        }
    }
}
