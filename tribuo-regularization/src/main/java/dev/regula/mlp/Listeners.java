package dev.regula.mlp;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The epoch and batch listeners of a trainer and how they are told about progress (each epoch is also logged at
 * INFO). Listeners observe only; they are not configuration and cannot change the result.
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

    /** Logs the epoch and tells the epoch listeners. */
    void epochEnd(EpochRecord r, int epochs, Logger logger) {
        if (logger.isLoggable(Level.INFO)) {
            logger.info(String.format(Locale.ROOT,
                    "epoch %d/%d: loss=%.4f accuracy=%.4f val_loss=%.4f val_accuracy=%.4f (%.2f s)",
                    r.epoch(), epochs, r.loss(), r.accuracy(), r.valLoss(), r.valAccuracy(), r.seconds()));
        }
        for (EpochListener l : epoch) {
            l.onEpochEnd(r);
        }
    }
}
