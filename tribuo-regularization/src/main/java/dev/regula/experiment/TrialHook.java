package dev.regula.experiment;

import java.io.Serializable;

/**
 * Called where a trial runs, just before each attempt; an exception it throws fails that attempt as if training
 * had failed. Serializable, since a Spark runner ships it to the executors. Used to inject faults in tests and to
 * log attempts.
 */
@FunctionalInterface
public interface TrialHook extends Serializable {
    /** A hook that does nothing. */
    TrialHook NONE = (trial, attempt) -> { };

    /**
     * Before an attempt.
     * @param trial the trial.
     * @param attempt the attempt, 0 for the first.
     * @throws Exception to fail the attempt.
     */
    void beforeAttempt(Trial trial, int attempt) throws Exception;
}
