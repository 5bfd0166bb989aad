package dev.regula.experiment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs trials on this machine, K at a time, each with its share of the BLAS threads ({@code threads / K}, at
 * least 1) unless the trial names its own count. A trial whose attempt throws is tried again, up to
 * {@code maxAttempts} in all; one that fails every attempt comes back as a failed {@link TrialResult} naming its
 * configuration and last error, and the others go on.
 * <p>
 * On two cores, two trials in parallel with one BLAS thread each keep both cores busy through the parts of a
 * training step that one trial runs on a single thread (docs/distributed.md has the measured ratio). Trials that run
 * together with the same thread count share the process-wide BLAS team of that size; a team busy with one
 * trial's product runs another's parts on its caller's thread, so results stay bit-identical, only slower.
 */
public final class LocalTrialRunner implements TrialRunner {
    private final int parallelTrials;
    private final int threads;
    private final int maxAttempts;
    private final TrialHook hook;

    private LocalTrialRunner(Builder b) {
        this.parallelTrials = b.parallelTrials;
        this.threads = b.threads;
        this.maxAttempts = b.maxAttempts;
        this.hook = b.hook;
    }

    /** @return a builder: 1 trial at a time, every processor, 2 attempts, no hook. */
    public static Builder builder() {
        return new Builder();
    }

    /** @return how many trials run at once. */
    public int getParallelTrials() {
        return parallelTrials;
    }

    /** @return the BLAS threads a trial without its own count gets. */
    public int threadsPerTrial() {
        return Math.max(1, threads / parallelTrials);
    }

    /** @return the attempts a trial gets before it is reported as failed. */
    public int getMaxAttempts() {
        return maxAttempts;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "local, %d trial(s) in parallel x %d BLAS thread(s), up to %d attempt(s)",
                parallelTrials, threadsPerTrial(), maxAttempts);
    }

    @Override
    public List<TrialResult> run(List<Trial> trials, TrialListener listener) throws InterruptedException {
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < trials.size(); i++) {
            if (order.put(trials.get(i).id(), i) != null) {
                throw new IllegalArgumentException("trial id " + trials.get(i).id() + " appears twice");
            }
        }
        TrialResult[] results = new TrialResult[trials.size()];
        if (trials.isEmpty()) {
            return List.of();
        }
        AtomicInteger counter = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelTrials, trials.size()), r -> {
            Thread t = new Thread(r, "regula-trial-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            CompletionService<TrialResult> done = new ExecutorCompletionService<>(pool);
            List<Future<TrialResult>> futures = new ArrayList<>();
            for (Trial trial : trials) {
                futures.add(done.submit(() -> attempt(trial)));
            }
            for (int n = 0; n < trials.size(); n++) {
                TrialResult r;
                try {
                    r = done.take().get();
                } catch (ExecutionException e) { // attempt() catches everything a trial throws: this is a runner bug
                    throw new IllegalStateException("a trial's task failed outside the trial", e.getCause());
                }
                results[order.get(r.id())] = r;
                listener.finished(r);
            }
        } finally {
            pool.shutdownNow();
        }
        return List.of(results);
    }

    /** Runs a trial with retries; never throws for a failure of the trial itself. */
    private TrialResult attempt(Trial trial) {
        int share = threadsPerTrial();
        String error = "";
        double seconds = 0;
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            long start = System.nanoTime();
            try {
                hook.beforeAttempt(trial, attempt);
                return TrialExecution.run(trial, share, TrialExecution.localWorker()).withAttempts(attempt + 1);
            } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                error = TrialExecution.describe(e);
                seconds = (System.nanoTime() - start) / 1e9;
            }
        }
        return TrialResult.failure(trial, error, maxAttempts, seconds, TrialExecution.localWorker());
    }

    /** Configures a {@link LocalTrialRunner}. */
    public static final class Builder {
        private int parallelTrials = 1;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int maxAttempts = 2;
        private TrialHook hook = TrialHook.NONE;

        private Builder() {}

        /**
         * How many trials run at once.
         * @param count at least 1.
         * @return this builder.
         * @throws IllegalArgumentException if count is below 1.
         */
        public Builder parallelTrials(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("parallel trials must be at least 1, found " + count);
            }
            this.parallelTrials = count;
            return this;
        }

        /**
         * The BLAS threads shared out among the parallel trials (default: every available processor).
         * @param count at least 1.
         * @return this builder.
         * @throws IllegalArgumentException if count is below 1.
         */
        public Builder threads(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("threads must be at least 1, found " + count);
            }
            this.threads = count;
            return this;
        }

        /**
         * The attempts a trial gets (Spark's {@code spark.task.maxFailures}).
         * @param count at least 1.
         * @return this builder.
         * @throws IllegalArgumentException if count is below 1.
         */
        public Builder maxAttempts(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("max attempts must be at least 1, found " + count);
            }
            this.maxAttempts = count;
            return this;
        }

        /**
         * A hook called before every attempt (fault injection in tests).
         * @param value the hook.
         * @return this builder.
         */
        public Builder hook(TrialHook value) {
            this.hook = value;
            return this;
        }

        /** @return the runner. */
        public LocalTrialRunner build() {
            return new LocalTrialRunner(this);
        }
    }
}
