package dev.regula.mlp;

/**
 * Where the epoch loop gets the inputs of a minibatch: the input kind's side of the trainer core. Dense rows
 * ({@link DenseRows}) copy stored rows; augmented rows ({@link AugmentedRows}) transform them afresh every time.
 * Whatever the storage, a batch reaches the kernels as a dense row-major float matrix.
 */
interface BatchSource {
    /** @return the number of training rows. */
    int rows();

    /** @return the number of input columns. */
    int cols();

    /**
     * Writes the rows {@code order[start .. start + count)} into a dense minibatch.
     * @param order the epoch's row order.
     * @param start the first position in {@code order}.
     * @param count the number of rows.
     * @param batch the minibatch, at least {@code count × cols()} values.
     */
    void gather(int[] order, int start, int count, float[] batch);

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
