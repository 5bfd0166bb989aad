package dev.regula.mlp;

import dev.regula.nn.OutputLoss;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Output;
import org.tribuo.Prediction;

import java.util.List;

/**
 * What one Tribuo output type needs from the trainer core: the kernel-side head ({@link OutputLoss}), how an
 * example's output becomes a target row, the metrics validation reports, and how activated network outputs become
 * Tribuo predictions. One subclass per output type ({@link LabelHead} for classification); everything else — data
 * preparation, the epoch loop, early stopping, the model's prediction path — is shared.
 *
 * @param <T> the output type.
 */
abstract class OutputHead<T extends Output<T>> {
    /** The output domain of the training data, defining the output units' order. */
    final ImmutableOutputInfo<T> outputs;

    OutputHead(ImmutableOutputInfo<T> outputs) {
        this.outputs = outputs;
    }

    /** @return the loss and inference activation the kernels apply. */
    abstract OutputLoss loss();

    /** @return the number of output units. */
    abstract int units();

    /** @return the number of target values per example, {@code loss().targetWidth(units())}. */
    final int targetWidth() {
        return loss().targetWidth(units());
    }

    /**
     * Refuses training data this head cannot learn from, naming the problem.
     * @param examples the training data.
     * @throws IllegalArgumentException if the data cannot be trained on.
     */
    abstract void checkTrainable(Dataset<T> examples);

    /**
     * Fits what the target encoding needs on the training split only (regression's target standardization);
     * called once, before any target is encoded. Nothing by default.
     * @param training the training examples (never the validation ones).
     */
    void fitTargets(List<? extends Example<T>> training) {
    }

    /**
     * The weight of an output in training, multiplying the example's own weight (classification's label weights,
     * Keras {@code class_weight}). 1 by default.
     * @param output an example's output.
     * @return its weight.
     */
    float outputWeight(T output) {
        return 1f;
    }

    /** @return the number of strata a validation split is stratified by (1 for an unstratified split). */
    abstract int strata();

    /**
     * The stratum of a training example for the validation split.
     * @param example the example.
     * @return its stratum, in {@code [0, strata())}.
     */
    abstract int stratum(Example<T> example);

    /**
     * Writes an example's output as a target row.
     * @param example the example.
     * @param what a description for errors, e.g. "validation example".
     * @param index the example's index, for errors.
     * @param targets the target matrix.
     * @param offset where the row starts.
     * @throws IllegalArgumentException if the output is not in the training domain.
     */
    abstract void encode(Example<T> example, String what, int index, float[] targets, int offset);

    /** @return whether the output type has an accuracy (the training accuracy is reported only then). */
    boolean hasAccuracy() {
        return true;
    }

    /**
     * The share of rows predicted right (accuracy), or NaN where the output type has none.
     * @param predictions activated outputs, rows × units.
     * @param targets the targets.
     * @param rows the number of rows.
     * @return the accuracy, or NaN.
     */
    abstract double accuracy(float[] predictions, float[] targets, int rows);

    /**
     * A monitored validation metric other than the loss and accuracy (the Tribuo metrics), computed from the
     * predictions exactly as Tribuo's evaluator of this output type computes it.
     * @param monitor the monitor.
     * @param predictions the validation predictions.
     * @return the value.
     * @throws IllegalArgumentException if the monitor does not apply to this output type.
     */
    abstract double metric(Monitor monitor, List<Prediction<T>> predictions);

    /**
     * Wraps activated outputs as Tribuo predictions.
     * @param activated activated outputs, one row of {@link #units()} per example.
     * @param examples the examples.
     * @param active the number of known features of each example.
     * @return the predictions.
     */
    abstract List<Prediction<T>> predictions(float[] activated, List<? extends Example<T>> examples, int[] active);
}
