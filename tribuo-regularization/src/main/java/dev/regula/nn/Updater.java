package dev.regula.nn;

/**
 * The state and update rule of an optimiser over a fixed list of parameter tensors.
 * <p>
 * Gradients are those of the loss to <em>minimise</em> (descent convention, as in Keras and PyTorch), already
 * including any L1/L2 penalty terms. One optimisation step is {@link #beginStep()} followed by
 * {@link #update(int, float[], float[], int, int)} over every element of every tensor exactly once, in ranges of
 * any size and any tensor order: the rules are element-wise, so a trainer can update each slice of a tensor while
 * it is still in cache, right after fetching its gradient.
 */
public interface Updater {
    /** Starts an optimisation step (advances the step count that bias corrections use); a no-op for rules without one. */
    default void beginStep() {
    }

    /**
     * Updates the elements {@code [from, to)} of one tensor for the current step.
     * @param tensor the tensor's index in the sizes the updater was created for.
     * @param param the tensor's values, updated in place.
     * @param grad its gradient, same length and indexing.
     * @param from the first element to update.
     * @param to one past the last element to update.
     */
    void update(int tensor, float[] param, float[] grad, int from, int to);

    /**
     * Whether an element whose gradient is exactly zero keeps its value and its optimiser state bit for bit (plain
     * SGD, AdaGrad). A trainer may then skip such elements ({@link #update} over only the others), which a sparse
     * first layer uses to update only the kernel rows its batch touched. False for rules whose state or step keeps
     * moving without a gradient (momentum, Adam's moments, RMSProp's decaying average).
     * @return true if skipping zero-gradient elements gives the same result as updating them.
     */
    default boolean skipsZeroGradients() {
        return false;
    }

    /**
     * Whether, on a sparse first layer, the kernel rows of features absent from the batch are left as they are —
     * weights and optimiser state — although this rule would move them: the lazy semantics of TensorFlow Addons'
     * {@code LazyAdam} and PyTorch's {@code SparseAdam}. Unlike {@link #skipsZeroGradients()} this changes the result;
     * the dense path and every other tensor are updated in full.
     * @return true for a lazy rule.
     */
    default boolean lazyOnSparseInputs() {
        return false;
    }

    /**
     * Updates elements whose gradient is exactly zero for the current step: the same bits as
     * {@link #update(int, float[], float[], int, int) update} with {@code zeros} as the gradient, which holds zeros
     * over {@code [from, to)}. The default does exactly that; a rule may override it to skip reading the zeros (a
     * sparse first layer's untouched kernel rows, for rules whose state keeps moving without a gradient).
     * @param tensor the tensor's index in the sizes the updater was created for.
     * @param param the tensor's values, updated in place.
     * @param zeros an array holding zeros over {@code [from, to)}, same indexing as {@code param}.
     * @param from the first element to update.
     * @param to one past the last element to update.
     */
    default void updateWithoutGradient(int tensor, float[] param, float[] zeros, int from, int to) {
        update(tensor, param, zeros, from, to);
    }

    /**
     * The learning rate: the one the last step used, which is also the next step's unless it is changed.
     * @return the learning rate.
     */
    double learningRate();

    /**
     * A copy of the state between two steps (step count and slot tensors), for a backup.
     * @return the state.
     */
    UpdaterState saveState();

    /**
     * Replaces the state by a saved one, so that the next step is the one the saving updater would have taken.
     * @param state a state saved by an updater of the same rule and tensor sizes.
     * @throws IllegalArgumentException if the state's tensors do not match this updater's.
     */
    void restoreState(UpdaterState state);

    /**
     * Changes the learning rate from the next step on (a schedule, or ReduceLROnPlateau); the optimiser's state
     * (moments, accumulators, step count) is kept, as when Keras assigns {@code optimizer.learning_rate}.
     * @param rate the new learning rate, finite and &gt;= 0 (a schedule may end at 0).
     * @throws IllegalArgumentException if the rate is negative or not finite.
     */
    void setLearningRate(double rate);

}
