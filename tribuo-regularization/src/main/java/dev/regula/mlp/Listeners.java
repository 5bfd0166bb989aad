package dev.regula.mlp;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The epoch and batch listeners of a trainer and how they are told about progress. Each epoch is also logged, at
 * {@code FINE}: a library stays quiet at the default level and leaves progress display to the application (an
 * {@link EpochListener}, as Regula's CLI installs), the way Keras leaves it to {@code verbose} and its callbacks.
 * Listeners observe only; they are not configuration and cannot change the result.
 */
final class Listeners {
    private record BatchEntry(int every, BatchListener listener) {}

    private final List<EpochListener> epoch = new CopyOnWriteArrayList<>();
    private final List<BatchEntry> batch = new CopyOnWriteArrayList<>();

    /** @return a new set holding the same listeners. */
    Listeners copy() {
        Listeners c = new Listeners();
        c.epoch.addAll(epoch);
        c.batch.addAll(batch);
        return c;
    }

    void addEpochListener(EpochListener listener) {
        epoch.add(listener);
    }

    void addBatchListener(int everyBatches, BatchListener listener) {
        if (everyBatches < 1) {
            throw new IllegalArgumentException("everyBatches must be >= 1, found " + everyBatches);
        }
        batch.add(new BatchEntry(everyBatches, listener));
    }

    /** Tells batch listeners whose interval has come (and all of them at an epoch's last batch). */
    void batchEnd(int epochNumber, int done, int batches, double runningLoss) {
        for (BatchEntry e : batch) {
            if (done % e.every() == 0 || done == batches) {
                e.listener().onBatchEnd(epochNumber, done, batches, runningLoss);
            }
        }
    }

    /** Logs the epoch at {@code FINE} and tells the epoch listeners. */
    void epochEnd(EpochRecord r, int epochs, Logger logger) {
        if (logger.isLoggable(Level.FINE)) {
            logger.fine(describe(r, epochs));
        }
        for (EpochListener l : epoch) {
            l.onEpochEnd(r);
        }
    }

    /**
     * One epoch as a log line, Keras' progress-bar style: {@code epoch 3/10: loss=0.4210 accuracy=0.8512
     * val_loss=0.4533 val_accuracy=0.8390 (0.21 s)}. A metric that does not exist for the run (validation metrics
     * without validation data, accuracy for a regression) is NaN in the record and left out of the line; the
     * training loss is always shown (a divergence also draws its own warning from the loop).
     */
    static String describe(EpochRecord r, int epochs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d: loss=%.4f", r.epoch(), epochs,
                r.loss()));
        metric(sb, "accuracy", r.accuracy());
        metric(sb, "val_loss", r.valLoss());
        metric(sb, "val_accuracy", r.valAccuracy());
        return sb.append(String.format(Locale.ROOT, " (%.2f s)", r.seconds())).toString();
    }

    /** Appends {@code name=value} unless the value is NaN (not computed). */
    private static void metric(StringBuilder sb, String name, double value) {
        if (!Double.isNaN(value)) {
            sb.append(String.format(Locale.ROOT, " %s=%.4f", name, value));
        }
    }
}
