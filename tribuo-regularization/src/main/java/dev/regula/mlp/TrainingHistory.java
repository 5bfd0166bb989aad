package dev.regula.mlp;

import com.opencsv.CSVWriter;
import dev.regula.mlp.protos.EpochProto;
import dev.regula.mlp.protos.TrainingHistoryProto;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What happened while an {@link MLPModel} was trained: the metrics of every epoch, the early-stopping monitor
 * and its best epoch, and why training ended. Immutable; stored in the model and serialized with it.
 */
public final class TrainingHistory implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Column names of {@link #writeCsv(Path)}, in order. */
    public static final List<String> CSV_COLUMNS = List.of("epoch", "loss", "penalty", "accuracy", "val_loss",
            "val_accuracy", "monitor_value", "learning_rate", "seconds");

    /** The metrics of every epoch run, in order. */
    private final List<EpochRecord> epochs;
    /** The early-stopping monitor, or null without early stopping. */
    private final @Nullable String monitor;
    /** The best epoch by the monitor, or 0 without early stopping. */
    private final int bestEpoch;
    /** Why training ended. */
    private final StopReason stopReason;
    /** Why training ended, in words. */
    private final String stopMessage;
    /** Whether the weights of the best epoch were restored at the end. */
    private final boolean restoredBestWeights;
    /** The number of epochs the trainer was configured to run. */
    private final int epochsConfigured;

    /**
     * Creates a history.
     * @param epochs the epochs' records, in order.
     * @param monitor the early-stopping monitor name, or null if none.
     * @param bestEpoch the epoch (1-based) with the best monitored value, or 0 if there was no monitor.
     * @param stopReason why training ended.
     * @param stopMessage a human-readable explanation of the ending.
     * @param restoredBestWeights whether the model holds the weights of {@code bestEpoch} rather than the last epoch's.
     * @param epochsConfigured the configured maximum number of epochs.
     */
    public TrainingHistory(List<EpochRecord> epochs, @Nullable String monitor, int bestEpoch, StopReason stopReason,
                           String stopMessage, boolean restoredBestWeights, int epochsConfigured) {
        this.epochs = List.copyOf(epochs);
        this.monitor = monitor;
        this.bestEpoch = bestEpoch;
        this.stopReason = stopReason;
        this.stopMessage = stopMessage;
        this.restoredBestWeights = restoredBestWeights;
        this.epochsConfigured = epochsConfigured;
    }

    /** @return the per-epoch records, in order (unmodifiable). */
    public List<EpochRecord> getEpochs() {
        return epochs;
    }

    /** @return the number of epochs that ran. */
    public int getEpochsRun() {
        return epochs.size();
    }

    /** @return the configured maximum number of epochs. */
    public int getEpochsConfigured() {
        return epochsConfigured;
    }

    /** @return the early-stopping monitor, or null if training had none. */
    public @Nullable String getMonitor() {
        return monitor;
    }

    /** @return the 1-based epoch with the best monitored value, or 0 if there was no monitor. */
    public int getBestEpoch() {
        return bestEpoch;
    }

    /** @return why training ended. */
    public StopReason getStopReason() {
        return stopReason;
    }

    /** @return a human-readable explanation of why training ended. */
    public String getStopMessage() {
        return stopMessage;
    }

    /** @return true if the model holds the weights of the best epoch rather than of the last one. */
    public boolean isRestoredBestWeights() {
        return restoredBestWeights;
    }

    /**
     * The record of the epoch whose weights the model holds: the best epoch if they were restored, else the last.
     * @return the record, or null if no epoch ran.
     */
    public @Nullable EpochRecord getFinalEpoch() {
        if (epochs.isEmpty()) {
            return null;
        }
        return restoredBestWeights && bestEpoch > 0 ? epochs.get(bestEpoch - 1) : epochs.get(epochs.size() - 1);
    }

    /**
     * Writes the per-epoch records as CSV with the header {@link #CSV_COLUMNS}; NaN marks values not computed.
     * @param path the file to write (replaced if present).
     * @throws IOException if writing fails.
     */
    public void writeCsv(Path path) throws IOException {
        try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
             CSVWriter csv = new CSVWriter(w)) {
            csv.writeNext(CSV_COLUMNS.toArray(new String[0]), false);
            for (EpochRecord e : epochs) {
                csv.writeNext(new String[]{Integer.toString(e.epoch()), num(e.loss()), num(e.penalty()),
                        num(e.accuracy()), num(e.valLoss()), num(e.valAccuracy()), num(e.monitorValue()),
                        num(e.learningRate()), num(e.seconds())}, false);
        }
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6g", v);
    }

    TrainingHistoryProto toProto() {
        TrainingHistoryProto.Builder b = TrainingHistoryProto.newBuilder()
                .setMonitor(monitor == null ? "" : monitor)
                .setBestEpoch(bestEpoch)
                .setStopReason(stopReason.name())
                .setStopMessage(stopMessage)
                .setRestoredBestWeights(restoredBestWeights)
                .setEpochsConfigured(epochsConfigured);
        for (EpochRecord e : epochs) {
            b.addEpochs(EpochProto.newBuilder().setEpoch(e.epoch()).setLoss(e.loss()).setPenalty(e.penalty())
                    .setAccuracy(e.accuracy()).setValLoss(e.valLoss()).setValAccuracy(e.valAccuracy())
                    .setMonitorValue(e.monitorValue()).setLearningRate(e.learningRate()).setSeconds(e.seconds()));
        }
        return b.build();
    }

    static TrainingHistory fromProto(TrainingHistoryProto p) {
        List<EpochRecord> list = new ArrayList<>();
        for (EpochProto e : p.getEpochsList()) {
            list.add(new EpochRecord(e.getEpoch(), e.getLoss(), e.getPenalty(), e.getAccuracy(), e.getValLoss(),
                    e.getValAccuracy(), e.getMonitorValue(), e.getLearningRate(), e.getSeconds()));
        }
        return new TrainingHistory(list, p.getMonitor().isEmpty() ? null : p.getMonitor(), p.getBestEpoch(),
                StopReason.valueOf(p.getStopReason()), p.getStopMessage(), p.getRestoredBestWeights(),
                p.getEpochsConfigured());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TrainingHistory)) {
            return false;
        }
        TrainingHistory t = (TrainingHistory) o;
        return epochs.equals(t.epochs) && java.util.Objects.equals(monitor, t.monitor) && bestEpoch == t.bestEpoch
                && stopReason == t.stopReason && stopMessage.equals(t.stopMessage)
                && restoredBestWeights == t.restoredBestWeights && epochsConfigured == t.epochsConfigured;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(epochs, monitor, bestEpoch, stopReason, stopMessage, restoredBestWeights, epochsConfigured);
    }

    @Override
    public String toString() {
        return "TrainingHistory(epochsRun=" + epochs.size() + ", monitor=" + monitor + ", bestEpoch=" + bestEpoch
                + ", stopReason=" + stopReason + ")";
    }
}
