package dev.regula.mlp;

/**
 * Called by {@link MLPTrainer} after every epoch with that epoch's metrics. Listeners observe only: they cannot
 * change the result of training. Usable as a Java or Kotlin lambda.
 */
@FunctionalInterface
public interface EpochListener {
    /**
     * Receives the metrics of a finished epoch.
     * @param record the epoch's metrics.
     */
    void onEpochEnd(EpochRecord record);
}
