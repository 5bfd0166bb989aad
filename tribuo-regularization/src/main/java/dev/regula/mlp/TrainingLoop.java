package dev.regula.mlp;

import dev.regula.data.Splits;
import dev.regula.nn.Network;
import dev.regula.nn.NetworkTrainer;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.logging.Logger;

/**
 * The epoch loop of one training run: shuffle, step through the minibatches, evaluate, tell the listeners and
 * consult early stopping; stop on divergence; restore the best weights. It knows neither the output type nor the
 * input kind: minibatches come from a {@link BatchSource} and {@link Targets}, epochs are scored by an
 * {@link EpochEvaluator}.
 */
final class TrainingLoop {
    private final Network net;
    private final NetworkTrainer steps;
    private final BatchSource inputs;
    private final Targets targets;
    private final EpochEvaluator<?> evaluator;
    private final @Nullable EarlyStopping earlyStopping;
    private final @Nullable ReduceLROnPlateau reduceLROnPlateau;
    private final Listeners listeners;
    private final int epochs;
    private final int batchSize;
    private final boolean shuffle;
    private final SplittableRandom shuffleRng;
    private final Logger logger;
    private final double inputMagnitude;
    private boolean warnedGrowing;
    private @Nullable TrainingBackup backup;

    /** Epochs of growing training loss that draw a warning. */
    static final int GROWING_EPOCHS = 3;
    /** Input magnitudes above this make float32 overflow the likely cause of a divergence. */
    private static final double LARGE_INPUT = 1e6;

    TrainingLoop(Network net, NetworkTrainer steps, BatchSource inputs, Targets targets, EpochEvaluator<?> evaluator,
                 @Nullable EarlyStopping earlyStopping, Listeners listeners, int epochs, int batchSize, boolean shuffle,
                 SplittableRandom shuffleRng, double inputMagnitude, Logger logger) {
        this(net, steps, inputs, targets, evaluator, earlyStopping, null, listeners, epochs, batchSize, shuffle,
                shuffleRng, inputMagnitude, logger);
    }

    /** A loop that also reduces the learning rate on a plateau of {@code reduceLROnPlateau}'s monitor. */
    TrainingLoop(Network net, NetworkTrainer steps, BatchSource inputs, Targets targets, EpochEvaluator<?> evaluator,
                 @Nullable EarlyStopping earlyStopping, @Nullable ReduceLROnPlateau reduceLROnPlateau, Listeners listeners,
                 int epochs, int batchSize, boolean shuffle, SplittableRandom shuffleRng, double inputMagnitude,
                 Logger logger) {
        this.reduceLROnPlateau = reduceLROnPlateau;
        this.net = net;
        this.steps = steps;
        this.inputs = inputs;
        this.targets = targets;
        this.evaluator = evaluator;
        this.earlyStopping = earlyStopping;
        this.listeners = listeners;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.shuffleRng = shuffleRng;
        this.logger = logger;
        this.inputMagnitude = inputMagnitude;
    }

    /**
     * Resumes from the backup's state if it holds one, saves the state after every epoch that training goes on
     * from, and deletes the backup when training ends normally ({@link BackupAndRestore}).
     * @param runBackup the run's backup.
     * @return this loop.
     */
    TrainingLoop withBackup(TrainingBackup runBackup) {
        this.backup = runBackup;
        return this;
    }

    /** Trains the network in place and returns what happened. */
    TrainingHistory run() {
        EarlyStopping.Tracker tracker = earlyStopping == null ? null : earlyStopping.newTracker();
        ReduceLROnPlateau.Tracker plateau = reduceLROnPlateau == null ? null : reduceLROnPlateau.newTracker();
        Network best = null;
        List<EpochRecord> records = new ArrayList<>();
        StopReason reason = StopReason.COMPLETED;
        String message = "completed all " + epochs + " epochs";
        int n = inputs.rows();
        int[] order = identity(n);
        float[] batchY = new float[batchSize * targets.width];
        float[] batchW = new float[batchSize];
        int batches = (n + batchSize - 1) / batchSize;
        Network initial = net.copy(); // to notice a first epoch that changed nothing
        TrainingState saved = backup == null ? null : backup.load();
        if (saved != null) {
            best = resume(saved, tracker, records, order);
        }
        for (int epoch = saved == null ? 1 : saved.epoch() + 1; epoch <= epochs && reason == StopReason.COMPLETED; epoch++) {
            long start = System.nanoTime();
            if (shuffle) {
                Splits.shuffle(order, shuffleRng);
            }
            steps.resetEpochStatistics();
            for (int b = 0; b < batches && reason == StopReason.COMPLETED; b++) {
                int rows = Math.min(batchSize, n - b * batchSize);
                targets.gather(order, b * batchSize, rows, batchY);
                double loss = inputs.step(steps, order, b * batchSize, rows, batchY,
                        targets.gatherWeights(order, b * batchSize, rows, batchW));
                if (!Double.isFinite(loss)) {
                    reason = StopReason.DIVERGED;
                    message = "loss became " + loss + " at epoch " + epoch + ", batch " + (b + 1) + " of " + batches;
                } else {
                    listeners.batchEnd(epoch, b + 1, batches, steps.epochLoss() + steps.epochPenalty());
                }
            }
            if (reason == StopReason.DIVERGED) {
                break;
            }
            if (epoch == 1) {
                warnIfUnchanged(initial);
            }
            EpochRecord record = evaluator.evaluate(epoch, (System.nanoTime() - start) / 1e9);
            records.add(record);
            listeners.epochEnd(record, epochs, logger);
            warnIfGrowing(records);
            EarlyStopping.Decision decision = tracker == null || nonFinite(record) != null ? null
                    : tracker.update(epoch, record.monitorValue());
            if (decision == EarlyStopping.Decision.IMPROVED) {
                best = net.copy();
            } else if (decision == EarlyStopping.Decision.STOP) {
                reason = StopReason.EARLY_STOPPED;
                message = "early stopping at epoch " + epoch + ": " + earlyStopping.getMonitor().getKey()
                        + " did not improve for " + tracker.getWait() + " epoch(s); best epoch " + tracker.getBestEpoch();
            }
            if (plateau != null && reason == StopReason.COMPLETED) { // the same epoch's values; the next epoch's rate
                reduceOnPlateau(plateau, epoch);
            }
            if (backup != null && reason == StopReason.COMPLETED && epoch < epochs) {
                backup.save(state(epoch, order, records, tracker, best));
            }
        }
        String broken = records.isEmpty() ? null : nonFinite(records.get(records.size() - 1));
        if (reason != StopReason.DIVERGED && broken != null) { // the last epoch left nothing finite to keep
            reason = StopReason.DIVERGED;
            message = broken + " at the end of epoch " + records.size();
        }
        boolean restored = restore(reason, message, best, tracker);
        logger.info(logger.getName().substring(logger.getName().lastIndexOf('.') + 1) + ": " + message
                + (saved == null ? "" : " (resumed from the training backup after epoch " + saved.epoch() + ")"));
        if (backup != null) {
            backup.finish();
        }
        return new TrainingHistory(records, earlyStopping == null ? null : earlyStopping.getMonitor().getKey(),
                tracker == null ? 0 : tracker.getBestEpoch(), reason, message, restored, epochs);
    }

    /** The state after an epoch, for the backup. */
    private TrainingState state(int epoch, int[] order, List<EpochRecord> records, EarlyStopping.@Nullable Tracker tracker,
                                @Nullable Network best) {
        List<List<float[]>> now = TrainingState.parameters(net);
        List<List<float[]>> kept = best == null ? null : TrainingState.parameters(best);
        return new TrainingState(epoch, now.get(0), now.get(1), steps.updaterState(), steps.dropoutDraws(),
                inputs.randomDraws(), order.clone(), records, tracker == null ? Double.NaN : tracker.getBest(),
                tracker == null ? 0 : tracker.getBestEpoch(), tracker == null ? 0 : tracker.getWait(),
                kept == null ? null : kept.get(0), kept == null ? null : kept.get(1), warnedGrowing);
    }

    /**
     * Puts the loop where the saved run was after its epoch: weights, optimiser, random streams (dropout and
     * augmentation advanced by their counts, shuffling by replaying the epochs' shuffles, which must reproduce
     * the saved order), history and early stopping.
     * @return the best weights kept so far, or null.
     */
    private @Nullable Network resume(TrainingState s, EarlyStopping.@Nullable Tracker tracker, List<EpochRecord> records,
                                     int[] order) {
        try {
            net.restoreFrom(s.network(net));
            steps.resume(s.updater(), s.dropoutDraws());
            inputs.skipRandomDraws(s.inputDraws());
        } catch (IllegalArgumentException e) {
            throw new BackupException("The training backup " + backup.file() + " does not fit this run: " + e.getMessage(), e);
        }
        for (int e = 1; shuffle && e <= s.epoch(); e++) {
            Splits.shuffle(order, shuffleRng);
        }
        if (!Arrays.equals(order, s.order())) {
            throw new BackupException("The training backup " + backup.file() + " does not fit this run: replaying "
                    + s.epoch() + " epochs of shuffling does not give its row order");
        }
        records.addAll(s.records());
        if (tracker != null) {
            tracker.restore(s.bestValue(), s.bestEpoch(), s.waited());
        }
        warnedGrowing = s.warnedGrowing();
        return s.bestNetwork(net);
    }

    /** Lets ReduceLROnPlateau see the epoch's value of its monitor and lowers the rate if it says so. */
    private void reduceOnPlateau(ReduceLROnPlateau.Tracker plateau, int epoch) {
        double rate = steps.learningRate();
        double next = plateau.update(evaluator.plateauValue(), rate);
        if (next != rate) {
            steps.setLearningRate(next);
            logger.fine(String.format(Locale.ROOT, "epoch %d: ReduceLROnPlateau reducing the learning rate to %.4g (%s did "
                    + "not improve)", epoch, next, reduceLROnPlateau.getMonitor().getKey()));
        }
    }

    /**
     * Keeps the best weights after divergence (failing if there are none) or when early stopping restores them.
     * @return whether the weights were restored.
     */
    private boolean restore(StopReason reason, String message, @Nullable Network best,
                            EarlyStopping.@Nullable Tracker tracker) {
        if (reason == StopReason.DIVERGED) {
            if (best == null) {
                String why = earlyStopping == null
                        ? "enable early stopping to keep the best weights"
                        : "early stopping had not yet counted an epoch (it counts epochs after startFromEpoch = "
                                + earlyStopping.getStartFromEpoch() + ")";
                throw new TrainingDivergedException("Training diverged: " + message + ". No finite model to keep ("
                        + why + "); " + advice() + ".");
            }
            logger.warning("Training diverged (" + message + "); keeping the weights of epoch " + tracker.getBestEpoch());
            net.restoreFrom(best);
            return true;
        }
        if (best != null && earlyStopping.isRestoreBestWeights()) {
            net.restoreFrom(best);
            return true;
        }
        return false;
    }

    /**
     * What went non-finite at the end of an epoch — the weights, the training loss, the validation loss — or null
     * if all is finite. Such an epoch never counts as the best (nor does one whose monitored metric alone is
     * undefined, such as an F1 without positives), and if training ends on one it has diverged.
     */
    private @Nullable String nonFinite(EpochRecord r) {
        if (!net.isFinite()) {
            return "a weight became non-finite";
        }
        if (!Double.isFinite(r.loss())) {
            return "the training loss became " + r.loss();
        }
        if (evaluator.validates() && !Double.isFinite(r.valLoss())) {
            return "the validation loss became " + r.valLoss();
        }
        return null;
    }

    /** The likely remedy: inputs of a large magnitude overflow float32 products; otherwise the step is too large. */
    private String advice() {
        if (inputMagnitude > LARGE_INPUT) {
            return String.format(Locale.ROOT, "the training inputs reach |x| = %.3g, which float32 products overflow: "
                    + "standardize them (standardization(Standardization...)) or rescale them", inputMagnitude);
        }
        return "try a lower learning rate or smaller penalties";
    }

    /** Warns once when the training loss has grown for {@value #GROWING_EPOCHS} epochs in a row. */
    private void warnIfGrowing(List<EpochRecord> records) {
        int n = records.size();
        if (warnedGrowing || n <= GROWING_EPOCHS) {
            return;
        }
        for (int i = n - GROWING_EPOCHS; i < n; i++) {
            if (!(records.get(i).loss() > records.get(i - 1).loss())) {
                return;
            }
        }
        warnedGrowing = true;
        logger.warning(String.format(Locale.ROOT, "the training loss has grown for %d epochs in a row (%.4g -> %.4g): "
                + "training is diverging; %s", GROWING_EPOCHS, records.get(n - GROWING_EPOCHS - 1).loss(),
                records.get(n - 1).loss(), advice()));
    }

    /**
     * Logs a warning when a whole epoch left every kernel weight as it was: a step size below float32's resolution
     * of the weights (a learning rate such as 1e-20) or gradients that are all zero train nothing, silently
     * otherwise. (Biases start at 0, where any step is representable, so they do not tell.)
     */
    private void warnIfUnchanged(Network before) {
        for (int l = 0; l < net.getLayers().size(); l++) {
            if (!Arrays.equals(before.getKernel(l), net.getKernel(l))) {
                return;
            }
        }
        logger.warning("MLPTrainer: the first epoch changed no kernel weight; the learning rate " + steps.learningRate()
                + " may be too small to move float32 weights, or every gradient was zero");
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
