package dev.regula.experiment;

import java.util.List;

/**
 * Runs the trials of a sweep somewhere: {@link LocalTrialRunner} on this machine's threads, {@code SparkTrialRunner}
 * (module {@code regula-spark}) as Spark tasks. Same trials and thread counts give the same results whichever runs
 * them; a runner retries a failing trial up to its attempt limit and reports one that fails every time as a
 * failed {@link TrialResult}, while the other trials finish.
 */
public interface TrialRunner extends AutoCloseable {
    /**
     * Runs trials.
     * @param trials the trials (ids unique).
     * @param listener told of each result as it arrives, on the calling thread, one at a time.
     * @return one result per trial, in the order of {@code trials}.
     * @throws InterruptedException if the calling thread is interrupted while waiting; results already handed to
     *     the listener stay delivered.
     */
    List<TrialResult> run(List<Trial> trials, TrialListener listener) throws InterruptedException;

    /** @return what runs the trials, for the log (e.g. {@code local, 2 trials in parallel x 1 BLAS thread}). */
    String describe();

    /** Releases what the runner holds (threads, a Spark context); the default holds nothing. */
    @Override
    default void close() {}
}
