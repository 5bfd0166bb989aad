package dev.regula.mlp;

/**
 * Training diverged — a loss or the weights became NaN or infinite — and there was no finite epoch to keep (no
 * early stopping, or none counted yet). The message names where it happened and the likely remedy. An
 * {@link IllegalStateException}, so that code catching that keeps working.
 */
public final class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message where training diverged and what to try.
     */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
