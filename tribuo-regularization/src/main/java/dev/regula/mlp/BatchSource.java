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
}
