package dev.regula.spark;

import dev.regula.experiment.Trial;
import dev.regula.experiment.TrialExecution;
import dev.regula.experiment.TrialHook;
import dev.regula.experiment.TrialResult;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The function a Spark task applies to one trial, on an executor. It holds only numbers and the hook, and the
 * trial is configuration text, so nothing holding data crosses the wire; the data set is re-created from the
 * trial's data configuration once per executor JVM ({@link TrialExecution}'s cache).
 * <p>
 * Retries are Spark's: a failed attempt that is not the last rethrows, so the scheduler runs the task again
 * (attempt numbers come from {@link TaskContext#attemptNumber()}); the last attempt returns a failed
 * {@link TrialResult} instead, so a trial that always fails is reported and does not abort the sweep.
 */
final class TrialTask implements Function<Trial, TrialResult> {
    private static final long serialVersionUID = 1L;

    /** The attempts Spark makes of a task ({@code spark.task.maxFailures}, or F of {@code local[N,F]}). */
    private final int maxAttempts;
    /** The BLAS threads of a trial that names none: the cores of one task ({@code spark.task.cpus}). */
    private final int threads;
    /** Called before every attempt. */
    private final TrialHook hook;

    /**
     * A task function.
     * @param maxAttempts the attempts Spark makes of a task, at least 1.
     * @param threads the BLAS threads of a trial that names none, at least 1.
     * @param hook called before every attempt.
     */
    TrialTask(int maxAttempts, int threads, TrialHook hook) {
        this.maxAttempts = maxAttempts;
        this.threads = threads;
        this.hook = hook;
    }

    @Override
    public TrialResult call(Trial trial) throws Exception {
        TaskContext task = TaskContext.get();
        int attempt = task == null ? 0 : task.attemptNumber();
        String worker = worker();
        long start = System.nanoTime();
        try {
            hook.beforeAttempt(trial, attempt);
            return TrialExecution.run(trial, threads, worker).withAttempts(attempt + 1);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            if (attempt + 1 < maxAttempts) {
                throw new TrialAttemptException(trial.describe() + " failed on attempt " + (attempt + 1) + " of "
                        + maxAttempts + ": " + TrialExecution.describe(e), e);
            }
            return TrialResult.failure(trial, TrialExecution.describe(e), attempt + 1, (System.nanoTime() - start) / 1e9, worker);
        }
    }

    /** @return the executor's host and id, e.g. {@code host/executor 1} ({@code driver} in local mode). */
    private static String worker() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        SparkEnv env = SparkEnv.get();
        return host + "/executor " + (env == null ? "?" : env.executorId());
    }

    /** A failed attempt that Spark is to retry. */
    static final class TrialAttemptException extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * A failed attempt.
         * @param message the trial and the attempt.
         * @param cause the error.
         */
        TrialAttemptException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
