package dev.regula.examples.cli;

import dev.regula.experiment.LocalTrialRunner;
import dev.regula.experiment.TrialRunner;
import dev.regula.experiment.TrialRunnerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The runner options shared by {@code regula grid} and {@code regula study} ({@code --parallel-trials},
 * {@code --spark}, {@code --attempts}): their checks, made before any data is read, and the runner they choose.
 */
final class TrialRunners {
    /** Largest --parallel-trials. */
    static final int MAX_PARALLEL_TRIALS = 256;
    /** Largest --attempts. */
    static final int MAX_ATTEMPTS = 10;

    private TrialRunners() {}

    /**
     * Checks the options and, for {@code --spark}, finds the Spark module.
     * @param parallelTrials {@code --parallel-trials}.
     * @param spark {@code --spark}, or null.
     * @param attempts {@code --attempts}.
     * @return the Spark runner factory, or null without {@code --spark}.
     * @throws UserException naming the option, its value and the allowed range, or saying the module is missing.
     */
    static @Nullable TrialRunnerFactory check(int parallelTrials, @Nullable String spark, int attempts) {
        if (parallelTrials < 1 || parallelTrials > MAX_PARALLEL_TRIALS) {
            throw new UserException("--parallel-trials must be in [1, " + MAX_PARALLEL_TRIALS + "], found " + parallelTrials);
        }
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new UserException("--attempts must be in [1, " + MAX_ATTEMPTS + "], found " + attempts);
        }
        if (spark == null) {
            return null;
        }
        if (spark.isBlank()) {
            throw new UserException("--spark needs a master: local[2], spark://host:7077, yarn, k8s://..., or submit");
        }
        if (parallelTrials != 1) {
            throw new UserException("--parallel-trials is for local runs; with --spark the master's cores set how many "
                    + "trials run at once (e.g. local[2])");
        }
        return TrialRunnerFactory.find("spark").orElseThrow(() -> new UserException("--spark needs the "
                + "regula-spark module on the class path (examples/spark; see docs/distributed.md); this is the plain CLI"));
    }

    /**
     * Creates the runner the options chose: Spark when a factory was found, else the local runner.
     * @param factory the Spark factory from {@link #check}, or null.
     * @param spark the master, when {@code factory} is not null.
     * @param parallelTrials the trials run at once on this machine.
     * @param attempts the attempts a trial gets.
     * @return the runner; close it when done.
     * @throws UserException if the Spark master is malformed or does not answer.
     */
    static TrialRunner create(@Nullable TrialRunnerFactory factory, @Nullable String spark, int parallelTrials, int attempts) {
        if (factory == null) {
            return LocalTrialRunner.builder().parallelTrials(parallelTrials).maxAttempts(attempts).build();
        }
        String master = java.util.Objects.requireNonNull(spark, "spark");
        try {
            return factory.create(master, attempts);
        } catch (IllegalArgumentException e) {
            throw new UserException("--spark " + master + ": " + e.getMessage());
        }
    }
}
