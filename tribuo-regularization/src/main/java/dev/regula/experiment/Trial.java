package dev.regula.experiment;

import dev.regula.mlp.AbstractMLPTrainer;
import dev.regula.mlp.MLPTrainer;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.classification.Label;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One run of a sweep, described by configuration text only, so that it can be sent to another JVM (a Spark
 * executor) and re-created there: the trainer as OLCUT XML, the seed and BLAS threads it is run with, the split of
 * the data that trains and scores it, and the data source as OLCUT XML. A trial holds no data and no Java objects
 * beyond strings and numbers; {@link TrialExecution} turns it into a trained, scored model.
 * <p>
 * Build one with {@link #builder(String)}; {@link Builder#trainer(MLPTrainer)} and
 * {@link Builder#data(ConfigurableDataSource)} export the configurations of live objects.
 * @param id the trial's name, unique within a sweep: letters, digits, {@code . _ -}, at most 100 characters (it
 *           names the trial's result files).
 * @param trainerConfig OLCUT XML defining exactly one {@link MLPTrainer} (and its components).
 * @param seed the trainer's seed for this trial (overrides the configuration's).
 * @param threads the BLAS threads of this trial, or 0 to let the runner give it its share of the processors;
 *                results are bit-identical only for a fixed count.
 * @param split the part of the data that trains and scores the model.
 * @param dataConfig OLCUT XML defining the data source (and the sources it decorates).
 * @param dataSource the component name of the data source in {@code dataConfig}.
 * @param keepModel whether the result carries the trained model's bytes (Tribuo protobuf).
 * @serial exclude
 */
public record Trial(String id, String trainerConfig, long seed, int threads, TrialSplit split, String dataConfig,
                    String dataSource, boolean keepModel) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What an id may contain. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    /**
     * Checks the components.
     * @param id the id (see the record).
     * @param trainerConfig the trainerConfig (see the record).
     * @param seed the seed (see the record).
     * @param threads the threads (see the record).
     * @param split the split (see the record).
     * @param dataConfig the dataConfig (see the record).
     * @param dataSource the dataSource (see the record).
     * @param keepModel the keepModel (see the record).
     * @throws IllegalArgumentException for an id outside {@code [A-Za-z0-9._-]{1,100}} or starting with a dot,
     *     empty configuration text, a negative or too large thread count, or an empty data source name.
     */
    public Trial {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trainerConfig, "trainerConfig");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(dataConfig, "dataConfig");
        Objects.requireNonNull(dataSource, "dataSource");
        if (!ID.matcher(id).matches() || id.startsWith(".")) {
            throw new IllegalArgumentException("trial id must be 1 to 100 letters, digits, '.', '_' or '-' and not start "
                    + "with '.', found '" + id + "'");
        }
        if (trainerConfig.isBlank()) {
            throw new IllegalArgumentException("trial " + id + ": the trainer configuration is empty");
        }
        if (dataConfig.isBlank() || dataSource.isBlank()) {
            throw new IllegalArgumentException("trial " + id + ": the data configuration or its source name is empty");
        }
        if (threads < 0 || threads > AbstractMLPTrainer.MAX_THREADS) {
            throw new IllegalArgumentException("trial " + id + ": threads must be in [0, " + AbstractMLPTrainer.MAX_THREADS
                    + "] (0 = the runner's share), found " + threads);
        }
    }

    /**
     * Starts a trial.
     * @param id the trial's name (see the record's {@code id}).
     * @return a builder.
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /**
     * This trial with another thread count.
     * @param count the BLAS threads, at least 1.
     * @return the trial, changed only in {@code threads}.
     */
    public Trial withThreads(int count) {
        return new Trial(id, trainerConfig, seed, count, split, dataConfig, dataSource, keepModel);
    }

    /** @return a one-line description for messages: id, seed, split and threads. */
    public String describe() {
        return String.format(Locale.ROOT, "trial %s (seed %d, %s, %s)", id, seed, split.describe(),
                threads == 0 ? "runner's share of threads" : threads + " BLAS thread(s)");
    }

    /** Builds a {@link Trial}. */
    public static final class Builder {
        private final String id;
        private String trainerConfig = "";
        private long seed;
        private boolean seedSet;
        private int threads;
        private TrialSplit split = TrialSplit.validation();
        private String dataConfig = "";
        private String dataSource = "";
        private boolean keepModel;

        private Builder(String id) {
            this.id = id;
        }

        /**
         * The trainer, exported as OLCUT XML (its listeners are not part of its configuration and are not sent);
         * its seed is the trial's unless {@link #seed(long)} is called.
         * @param trainer the trainer.
         * @return this builder.
         */
        public Builder trainer(MLPTrainer trainer) {
            this.trainerConfig = TrialConfigs.export(trainer.getProvenance()).xml();
            if (!seedSet) {
                this.seed = trainer.getSeed();
            }
            return this;
        }

        /**
         * The trainer as OLCUT XML text.
         * @param xml configuration text defining exactly one {@link MLPTrainer}.
         * @return this builder.
         */
        public Builder trainerConfig(String xml) {
            this.trainerConfig = xml;
            return this;
        }

        /**
         * The trainer's seed for this trial.
         * @param value the seed.
         * @return this builder.
         */
        public Builder seed(long value) {
            this.seed = value;
            this.seedSet = true;
            return this;
        }

        /**
         * The BLAS threads (default 0: the runner's share).
         * @param count the threads, 0 or more.
         * @return this builder.
         */
        public Builder threads(int count) {
            this.threads = count;
            return this;
        }

        /**
         * The split (default {@link TrialSplit#validation()}).
         * @param value the split.
         * @return this builder.
         */
        public Builder split(TrialSplit value) {
            this.split = value;
            return this;
        }

        /**
         * The data source, exported as OLCUT XML from its provenance; it must be re-creatable from its
         * configuration on every JVM that runs the trial (a path all of them see, or the embedded data).
         * @param source the data source.
         * @return this builder.
         */
        public Builder data(ConfigurableDataSource<Label> source) {
            TrialConfigs.Text text = TrialConfigs.export(source.getProvenance());
            this.dataConfig = text.xml();
            this.dataSource = text.name();
            return this;
        }

        /**
         * The data source as OLCUT XML text.
         * @param xml the configuration text.
         * @param name the component name of the data source in it.
         * @return this builder.
         */
        public Builder dataConfig(String xml, String name) {
            this.dataConfig = xml;
            this.dataSource = name;
            return this;
        }

        /**
         * Whether the result carries the model's bytes (default false: scores and provenance only).
         * @param keep true to keep the model.
         * @return this builder.
         */
        public Builder keepModel(boolean keep) {
            this.keepModel = keep;
            return this;
        }

        /**
         * @return the trial.
         * @throws IllegalArgumentException if a component is missing or out of range (see {@link Trial}).
         */
        public Trial build() {
            return new Trial(id, trainerConfig, seed, threads, split, dataConfig, dataSource, keepModel);
        }
    }
}
