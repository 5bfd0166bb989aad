package dev.regula.mlp;

import org.tribuo.Example;
import org.tribuo.Output;

import java.util.List;

/**
 * The training targets of a set of examples as a dense float matrix, {@code width} values per row, encoded by the
 * output head ({@link OutputHead#encode}).
 */
final class Targets {
    final float[] values;
    final int width;

    private Targets(float[] values, int width) {
        this.values = values;
        this.width = width;
    }

    /**
     * Encodes the examples' outputs.
     * @param examples the examples.
     * @param what a description for errors, e.g. "training example".
     * @param head the output head.
     * @param <T> the output type.
     * @return the targets.
     */
    static <T extends Output<T>> Targets of(List<? extends Example<T>> examples, String what, OutputHead<T> head) {
        int w = head.targetWidth();
        float[] values = new float[examples.size() * w];
        for (int i = 0; i < examples.size(); i++) {
            head.encode(examples.get(i), what, i, values, i * w);
        }
        return new Targets(values, w);
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
