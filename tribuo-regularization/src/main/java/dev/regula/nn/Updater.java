package dev.regula.nn;

/**
 * The state and update rule of an optimiser over a fixed list of parameter tensors.
 * <p>
 * Gradients are those of the loss to <em>minimise</em> (descent convention, as in Keras and PyTorch), already
 * including any L1/L2 penalty terms. Each call of {@link #update} is one optimisation step.
 */
public interface Updater {
    /**
     * Applies one step to every tensor.
     * @param params the parameter tensors, updated in place.
     * @param grads the gradients, one per tensor, same lengths; may be used as scratch.
     */
    void update(float[][] params, float[][] grads);

    /**
     * The learning rate of the next step (for the training history).
     * @return the learning rate.
     */
    double learningRate();
}
