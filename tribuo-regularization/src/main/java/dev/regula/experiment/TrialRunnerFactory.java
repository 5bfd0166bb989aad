package dev.regula.experiment;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Creates {@link TrialRunner}s of a kind that lives in another module (Spark, in {@code regula-spark}), found with
 * {@link ServiceLoader} so that the library and the plain CLI carry no dependency on it: a module registers its
 * factory in {@code META-INF/services/dev.regula.experiment.TrialRunnerFactory}.
 */
public interface TrialRunnerFactory {
    /** @return the kind of runner, e.g. {@code spark}. */
    String kind();

    /**
     * Creates a runner, checking what can be checked before any trial runs (e.g. that the master answers).
     * @param master where to run, in the kind's own terms (a Spark master URL such as {@code local[2]} or
     *               {@code spark://host:7077}).
     * @param maxAttempts the attempts a trial gets before it is reported as failed, at least 1.
     * @return the runner; close it when the sweep is done.
     * @throws IllegalArgumentException if the master is malformed or cannot be reached.
     */
    TrialRunner create(String master, int maxAttempts);

    /**
     * The factory of a kind on the class path.
     * @param kind the kind, e.g. {@code spark}.
     * @return the first factory of that kind, or empty if no module providing it is on the class path.
     */
    static Optional<TrialRunnerFactory> find(String kind) {
        for (TrialRunnerFactory f : ServiceLoader.load(TrialRunnerFactory.class)) {
            if (f.kind().equals(kind)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
