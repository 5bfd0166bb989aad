package dev.regula.experiment;

/** Told of each trial's result as it arrives (to write it, or to print progress). */
@FunctionalInterface
public interface TrialListener {
    /** A listener that does nothing. */
    TrialListener NONE = result -> { };

    /**
     * A trial finished, successfully or after its last failed attempt.
     * @param result the result.
     */
    void finished(TrialResult result);
}
