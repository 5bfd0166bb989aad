package dev.regula.mlp;

/**
 * Called by {@link MLPTrainer} every N minibatches (N set when the listener is added). Observes only.
 * Usable as a Java or Kotlin lambda.
 */
@FunctionalInterface
public interface BatchListener {
    /**
     * Receives the progress within an epoch.
     * @param epoch the epoch number, starting at 1.
     * @param batch the number of batches done in this epoch.
     * @param batches the number of batches in an epoch.
     * @param runningLoss the mean training objective over this epoch's batches so far.
     */
    void onBatchEnd(int epoch, int batch, int batches, double runningLoss);
}
