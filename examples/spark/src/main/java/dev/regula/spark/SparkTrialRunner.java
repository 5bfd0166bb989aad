package dev.regula.spark;

import dev.regula.experiment.Trial;
import dev.regula.experiment.TrialExecution;
import dev.regula.experiment.TrialHook;
import dev.regula.experiment.TrialListener;
import dev.regula.experiment.TrialResult;
import dev.regula.experiment.TrialRunner;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs trials as Spark tasks: one single-task job per trial, submitted together, so the scheduler keeps every
 * executor core busy and each result reaches the driver, and its listener (which stores it), as soon as that
 * trial ends; a driver that dies midway leaves every finished trial stored for a resumed run. A task receives the
 * trial as configuration text ({@link TrialTask}); the executor re-creates trainer and data from it, the data once
 * per executor JVM.
 * <p>
 * A trial gets {@code spark.task.cpus} BLAS threads (default 1) unless it names its own count. Failed attempts are
 * retried by Spark up to {@code maxAttempts} (set as {@code spark.task.maxFailures}, and in local mode as the F of
 * {@code local[N,F]}, since local mode ignores that setting); a trial failing its last attempt comes back as a
 * failed result, as does one whose job Spark aborted (an executor lost too often).
 */
public final class SparkTrialRunner implements TrialRunner {
    private static final Pattern LOCAL = Pattern.compile("local\\[(\\*|\\d+)]");

    private final JavaSparkContext context;
    private final boolean ownsContext;
    private final int maxAttempts;
    private final int threads;
    private final TrialHook hook;

    private SparkTrialRunner(JavaSparkContext context, boolean ownsContext, int maxAttempts, TrialHook hook) {
        this.context = context;
        this.ownsContext = ownsContext;
        this.maxAttempts = maxAttempts;
        this.threads = Math.max(1, context.getConf().getInt("spark.task.cpus", 1));
        this.hook = hook;
    }

    /** @return a builder: 2 attempts, no hook, a new context on the builder's master. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The master with the attempts Spark makes of a task: {@code local[N]} becomes {@code local[N,attempts]}
     * (local mode reads its retry count from the master URL only); other masters are kept.
     * @param master the master URL.
     * @param attempts the attempts, at least 1.
     * @return the master to start the context with.
     */
    static String withAttempts(String master, int attempts) {
        Matcher m = LOCAL.matcher(master.trim());
        if (m.matches()) {
            return "local[" + m.group(1) + "," + attempts + "]";
        }
        if (master.trim().equals("local")) {
            return "local[1," + attempts + "]";
        }
        return master.trim();
    }

    /** @return the Spark context the trials run on. */
    public JavaSparkContext getContext() {
        return context;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "Spark %s on %s, %d BLAS thread(s) per trial, up to %d attempt(s)",
                context.version(), context.master(), threads, maxAttempts);
    }

    @Override
    public List<TrialResult> run(List<Trial> trials, TrialListener listener) throws InterruptedException {
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < trials.size(); i++) {
            if (order.put(trials.get(i).id(), i) != null) {
                throw new IllegalArgumentException("trial id " + trials.get(i).id() + " appears twice");
            }
        }
        TrialTask task = new TrialTask(maxAttempts, threads, hook);
        List<JavaFutureAction<List<TrialResult>>> jobs = new ArrayList<>();
        long[] submitted = new long[trials.size()];
        for (int i = 0; i < trials.size(); i++) {
            Trial trial = trials.get(i);
            context.setJobDescription("Regula " + trial.describe());
            submitted[i] = System.nanoTime();
            jobs.add(context.parallelize(List.of(trial), 1).map(task).collectAsync());
        }
        context.setJobDescription(null);
        TrialResult[] results = new TrialResult[trials.size()];
        int remaining = trials.size();
        try {
            while (remaining > 0) {
                boolean progressed = false;
                for (int i = 0; i < jobs.size(); i++) {
                    if (results[i] != null || !jobs.get(i).isDone()) {
                        continue;
                    }
                    results[i] = collect(trials.get(i), jobs.get(i), submitted[i]);
                    remaining--;
                    progressed = true;
                    listener.finished(results[i]);
                }
                if (!progressed) {
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            for (JavaFutureAction<List<TrialResult>> job : jobs) {
                job.cancel(true);
            }
            throw e;
        }
        return List.of(results);
    }

    /** The result of a finished job, or a failure naming why Spark gave up on it. */
    private TrialResult collect(Trial trial, JavaFutureAction<List<TrialResult>> job, long submitted)
            throws InterruptedException {
        try {
            return job.get(0, TimeUnit.SECONDS).get(0);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return TrialResult.failure(trial, "Spark aborted the trial's job: " + TrialExecution.describe(cause),
                    maxAttempts, (System.nanoTime() - submitted) / 1e9, "driver");
        } catch (TimeoutException e) {
            throw new IllegalStateException("a done job has no result", e);
        }
    }

    /** Stops the Spark context if this runner started it. */
    @Override
    public void close() {
        if (ownsContext) {
            context.stop();
        }
    }

    /** Configures a {@link SparkTrialRunner}. */
    public static final class Builder {
        private @Nullable String master;
        private String appName = "regula-sweep";
        private int maxAttempts = 2;
        private TrialHook hook = TrialHook.NONE;
        private @Nullable JavaSparkContext context;
        private final Map<String, String> settings = new HashMap<>();

        private Builder() {}

        /**
         * The master to start a context on (not needed under {@code spark-submit}, which sets {@code spark.master}).
         * @param url e.g. {@code local[2]}, {@code spark://host:7077}, {@code yarn}.
         * @return this builder.
         */
        public Builder master(String url) {
            this.master = url;
            return this;
        }

        /**
         * The application name shown by the Spark UI (default {@code regula-sweep}).
         * @param name the name.
         * @return this builder.
         */
        public Builder appName(String name) {
            this.appName = name;
            return this;
        }

        /**
         * A Spark setting of the new context.
         * @param key e.g. {@code spark.executor.memory}.
         * @param value the value.
         * @return this builder.
         */
        public Builder set(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /**
         * The attempts Spark makes of a trial (default 2).
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
         * A hook run on the executor before every attempt (fault injection in tests); it is serialized to the
         * executors.
         * @param value the hook.
         * @return this builder.
         */
        public Builder hook(TrialHook value) {
            this.hook = value;
            return this;
        }

        /**
         * Runs on an existing context, which the runner then does not stop; its retry setting must allow
         * {@link #maxAttempts(int)} attempts.
         * @param existing the context.
         * @return this builder.
         */
        public Builder context(JavaSparkContext existing) {
            this.context = existing;
            return this;
        }

        /**
         * @return the runner, on a new context unless {@link #context} was given.
         * @throws IllegalArgumentException if no master is given and none is configured.
         */
        public SparkTrialRunner build() {
            if (context != null) {
                return new SparkTrialRunner(context, false, maxAttempts, hook);
            }
            SparkConf conf = new SparkConf().setAppName(appName);
            String url = master != null ? master : conf.get("spark.master", null);
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("no Spark master: pass one (local[2], spark://host:7077, yarn, ...) "
                        + "or run under spark-submit --master");
            }
            conf.setMaster(withAttempts(url, maxAttempts));
            conf.set("spark.task.maxFailures", Integer.toString(maxAttempts));
            settings.forEach(conf::set);
            return new SparkTrialRunner(new JavaSparkContext(conf), true, maxAttempts, hook);
        }
    }
}
