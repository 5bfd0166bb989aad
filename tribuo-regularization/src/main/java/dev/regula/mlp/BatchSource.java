package dev.regula.mlp;

import dev.regula.nn.NetworkTrainer;
import org.jspecify.annotations.Nullable;

/**
 * Where the epoch loop gets the inputs of a minibatch: the input kind's side of the trainer core. Dense rows
 * ({@link DenseRows}) copy stored rows into a dense minibatch; augmented rows ({@link AugmentedRows}) transform
 * them afresh every time; sparse rows ({@link SparseRows}) copy the batch's stored entries into a CSR minibatch.
 * Each source hands its own kind of minibatch to the matching {@link NetworkTrainer} step.
 */
interface BatchSource {
    /** @return the number of training rows. */
    int rows();

    /** @return the number of input columns. */
    int cols();

    /**
     * Gathers the rows {@code order[start .. start + count)} into this source's minibatch and runs one training
     * step on it.
     * @param steps the trainer.
     * @param order the epoch's row order.
     * @param start the first position in {@code order}.
     * @param count the number of rows.
     * @param y the minibatch's targets.
     * @param weights the minibatch's row weights, or null for all 1.
     * @return the batch objective ({@link NetworkTrainer#step(float[], float[], float[], int)}).
     */
    double step(NetworkTrainer steps, int[] order, int start, int count, float[] y, float @Nullable [] weights);

    /**
     * How many random draws this source has made, for a backup ({@link TrainingBackup}).
     * @return the count, in the source's own unit; 0 for a source that draws nothing.
     */
    default long randomDraws() {
        return 0;
    }

    /**
     * Advances the random stream of a fresh source as far as a saved run's had advanced.
     * @param draws a count from {@link #randomDraws()}.
     * @throws IllegalArgumentException if the count does not fit this source.
     */
    default void skipRandomDraws(long draws) {
        if (draws != 0) {
            throw new IllegalArgumentException("The backup's input stream made " + draws
                    + " random draws but this run's inputs draw none (is augmentation configured alike?)");
        }
    }
}
