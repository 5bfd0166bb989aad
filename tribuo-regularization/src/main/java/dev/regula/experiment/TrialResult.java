package dev.regula.experiment;

import org.jspecify.annotations.Nullable;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one trial produced: its scores, the epochs it ran, the trained model's provenance as JSON and, when asked
 * for, the model itself; or, for a trial that failed on every attempt, the error. Only strings, numbers and bytes,
 * so it travels back from a Spark executor as it is.
 * @param trial the trial this is the result of.
 * @param error the error of the last attempt ({@code Class: message}, with the causes), or null on success.
 * @param score the trial's score: the validation accuracy of the kept epoch (validation split) or the accuracy on
 *              the held-out fold; NaN when the trial failed.
 * @param scores the named figures, in a fixed order: {@code score}, and for the validation split
 *               {@code val_accuracy} and {@code val_loss}, for a fold {@code accuracy} and {@code fold_size}.
 * @param epochs the epochs trained (0 when the trial failed).
 * @param provenanceJson the model provenance as OLCUT JSON ({@code ""} when the trial failed).
 * @param model the model as Tribuo protobuf bytes, or null when not kept (or failed).
 * @param attempts how many attempts the trial took (1 when it succeeded the first time).
 * @param seconds the wall time of the successful (or last) attempt's training and scoring (reading the data,
 *                once per JVM, is not counted).
 * @param worker where it ran: the host and thread or executor, for the record only.
 * @serial exclude
 */
public record TrialResult(Trial trial, @Nullable String error, double score, Map<String, Double> scores, int epochs,
                          String provenanceJson, byte @Nullable [] model, int attempts, double seconds, String worker)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Copies the scores into an unmodifiable map of the same order.
     * @param trial the trial (see the record).
     * @param error the error (see the record).
     * @param score the score (see the record).
     * @param scores the scores (see the record).
     * @param epochs the epochs (see the record).
     * @param provenanceJson the provenanceJson (see the record).
     * @param model the model (see the record).
     * @param attempts the attempts (see the record).
     * @param seconds the seconds (see the record).
     * @param worker the worker (see the record).
     * @throws IllegalArgumentException if attempts is below 1.
     */
    public TrialResult {
        Objects.requireNonNull(trial, "trial");
        scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, found " + attempts);
        }
    }

    /**
     * A failed trial.
     * @param trial the trial.
     * @param error the error of its last attempt.
     * @param attempts the attempts made.
     * @param seconds the wall time of the last attempt.
     * @param worker where it ran.
     * @return the result.
     */
    public static TrialResult failure(Trial trial, String error, int attempts, double seconds, String worker) {
        return new TrialResult(trial, error, Double.NaN, Map.of(), 0, "", null, attempts, seconds, worker);
    }

    /** @return true if the trial trained and was scored. */
    public boolean succeeded() {
        return error == null;
    }

    /**
     * This result with another attempt count (set by the runner that retried the trial).
     * @param count the attempts, at least 1.
     * @return the result, changed only in {@code attempts}.
     */
    public TrialResult withAttempts(int count) {
        return new TrialResult(trial, error, score, scores, epochs, provenanceJson, model, count, seconds, worker);
    }

    /** @return the id of the trial. */
    public String id() {
        return trial.id();
    }
}
