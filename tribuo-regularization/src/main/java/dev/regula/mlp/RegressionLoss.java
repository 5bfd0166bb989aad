package dev.regula.mlp;

/**
 * The training loss of {@link MLPRegressionTrainer}; the exact definitions are those of
 * {@link dev.regula.nn.SquaredError}.
 */
public enum RegressionLoss {
    /** Mean squared error (Keras {@code mse}, PyTorch {@code MSELoss}). */
    MSE,
    /** Huber loss with the trainer's {@code huberDelta} (Keras {@code Huber(delta)}, PyTorch {@code HuberLoss}). */
    HUBER
}
