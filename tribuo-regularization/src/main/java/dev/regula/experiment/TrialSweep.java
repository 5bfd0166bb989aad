package dev.regula.experiment;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a sweep's trials through a {@link TrialRunner}, the way a driver does: every trial is checked before any
 * runs (its trainer configuration must pass {@code postConfig}, its data configuration must parse), when resuming
 * the trials already finished in the {@link TrialStore} are taken from it instead of running again, and each new
 * successful result is stored (atomically) as it arrives.
 */
public final class TrialSweep {
    private TrialSweep() {}

    /**
     * The results of a sweep, in the order of its trials.
     * @param results one per trial.
     * @param resumed how many were taken from the store.
     */
    public record Outcome(List<TrialResult> results, int resumed) {
        /**
         * Copies the results.
         * @param results one per trial.
         * @param resumed how many were taken from the store.
         */
        public Outcome {
            results = List.copyOf(results);
        }

        /** @return the failed trials' results. */
        public List<TrialResult> failures() {
            return results.stream().filter(r -> !r.succeeded()).toList();
        }
    }

    /**
     * Runs a sweep.
     * @param trials the trials, ids unique.
     * @param runner what runs them.
     * @param store where finished trials are kept, or null to keep nothing.
     * @param resume true to take the trials the store holds as finished instead of running them again.
     * @param listener told of each result as it arrives (stored ones first, in trial order).
     * @return the results and how many were resumed.
     * @throws IllegalArgumentException if an id repeats or a trial's configuration is refused, before any trial runs.
     * @throws InterruptedException if interrupted while waiting for the runner.
     * @throws UncheckedIOException if a result cannot be stored.
     */
    public static Outcome run(List<Trial> trials, TrialRunner runner, @Nullable TrialStore store, boolean resume,
                              TrialListener listener)
            throws InterruptedException {
        Set<String> ids = new HashSet<>();
        for (Trial t : trials) {
            if (!ids.add(t.id())) {
                throw new IllegalArgumentException("trial id " + t.id() + " appears twice in the sweep");
            }
            TrialExecution.check(t);
        }
        Map<String, TrialResult> byId = new LinkedHashMap<>();
        List<Trial> pending = new ArrayList<>();
        for (Trial t : trials) {
            Optional<TrialResult> done = store == null || !resume ? Optional.empty() : store.finished(t);
            if (done.isPresent()) {
                byId.put(t.id(), done.get());
                listener.finished(done.get());
            } else {
                pending.add(t);
            }
        }
        int resumed = byId.size();
        runner.run(pending, r -> {
            if (store != null && r.succeeded()) {
                try {
                    store.save(r);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot store the result of trial " + r.id() + " in "
                            + store.getDirectory(), e);
                }
            }
            byId.put(r.id(), r);
            listener.finished(r);
        });
        List<TrialResult> ordered = new ArrayList<>();
        for (Trial t : trials) {
            ordered.add(byId.get(t.id()));
        }
        return new Outcome(ordered, resumed);
    }
}
