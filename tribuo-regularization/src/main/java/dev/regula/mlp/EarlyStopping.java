package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import org.jspecify.annotations.Nullable;

import java.io.Serializable;

/**
 * Stop training when a monitored value has stopped improving, with Keras 3 {@code EarlyStopping} semantics:
 * <ul>
 *   <li>an epoch improves on the best value if {@code current + minDelta < best} (mode min) or
 *       {@code current − minDelta > best} (mode max) — strictly, so a change of exactly {@code minDelta} is no
 *       improvement; the first counted epoch always improves;</li>
 *   <li>after an improvement the wait counter resets to 0, but only if the value also improves on
 *       {@code baseline} when one is set;</li>
 *   <li>otherwise the counter grows by one, and training stops once it reaches {@code patience} (patience 0 acts
 *       as 1); epochs before {@code startFromEpoch} are ignored entirely;</li>
 *   <li>with {@code restoreBestWeights} the model gets the weights of the best epoch at the end of training,
 *       <em>whether or not</em> early stopping triggered (Keras 3 behaviour; Keras 2 restored only on a stop).</li>
 * </ul>
 * Unlike Keras, an unknown monitor name is an error at configuration time (Keras only warns and never stops),
 * and mode {@code auto} always knows the direction of every monitor.
 */
public final class EarlyStopping implements Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {
    private static final long serialVersionUID = 1L;

    /** Whether the monitored value should decrease or increase. */
    public enum Mode {
        /** The direction of the monitor: min for losses and error rates, max for accuracies, F1 and AUC. */
        AUTO,
        /** Lower is better. */
        MIN,
        /** Higher is better. */
        MAX
    }

    /** The metric to monitor (see the {@code @Config} description for the names). */
    @Config(description = "Value to monitor: loss, accuracy, val_loss, val_accuracy, val_macro_f1, val_micro_f1, "
            + "val_macro_precision, val_macro_recall, val_balanced_error_rate, val_auc, val_weighted_auc.")
    private String monitor = "val_loss";

    /** Direction of improvement: AUTO, MIN or MAX. */
    @Config(description = "Direction of improvement: AUTO, MIN or MAX.")
    private Mode mode = Mode.AUTO;

    /** Number of epochs without improvement after which training stops, &gt;= 0. */
    @Config(description = "Number of epochs without improvement after which training stops, >= 0.")
    private int patience = 0;

    /** Minimum change that counts as an improvement (strictly greater), &gt;= 0. */
    @Config(description = "Minimum change that counts as an improvement (strictly greater), >= 0.")
    private double minDelta = 0.0;

    /** Whether the monitor must beat 'baseline' for the patience counter to reset. */
    @Config(description = "Whether the monitor must beat 'baseline' for the patience counter to reset.")
    private boolean useBaseline = false;

    /** Value the monitor must beat for the patience counter to reset (used if useBaseline). */
    @Config(description = "Value the monitor must beat for the patience counter to reset (used if useBaseline).")
    private double baseline = 0.0;

    /** Restore the weights of the best epoch at the end of training (whether or not stopping triggered). */
    @Config(description = "Restore the weights of the best epoch at the end of training (whether or not stopping triggered).")
    private boolean restoreBestWeights = false;

    /** Number of initial epochs during which the monitor is ignored, &gt;= 0. */
    @Config(description = "Number of initial epochs during which the monitor is ignored, >= 0.")
    private int startFromEpoch = 0;

    /** For OLCUT. */
    private EarlyStopping() {}

    /**
     * Starts an early-stopping configuration.
     * @param monitor the monitored value's name, e.g. {@code val_accuracy}.
     * @return a builder.
     * @throws PropertyException for an unknown monitor name (listing the valid ones), like every other invalid value.
     */
    public static Builder monitoring(String monitor) {
        return new Builder(monitor);
    }

    @Override
    public void postConfig() {
        if (monitor == null) {
            throw new PropertyException("", "monitor", "monitor must be set, e.g. val_loss or val_accuracy");
        }
        try {
            Monitor.fromKey(monitor);
        } catch (IllegalArgumentException e) {
            throw new PropertyException(e, "", "monitor", e.getMessage());
        }
        if (mode == null) {
            throw new PropertyException("", "mode", "mode must be one of " + java.util.Arrays.toString(Mode.values()));
        }
        if (patience < 0) {
            throw new PropertyException("", "patience", "patience must be >= 0, found " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new PropertyException("", "minDelta", "minDelta must be finite and >= 0, found " + minDelta);
        }
        if (!Double.isFinite(baseline)) {
            throw new PropertyException("", "baseline", "baseline must be finite, found " + baseline);
        }
        if (startFromEpoch < 0) {
            throw new PropertyException("", "startFromEpoch", "startFromEpoch must be >= 0, found " + startFromEpoch);
        }
    }

    /** @return the monitor. */
    public Monitor getMonitor() {
        return Monitor.fromKey(monitor);
    }

    /** @return the mode. */
    public Mode getMode() {
        return mode;
    }

    /** @return the patience. */
    public int getPatience() {
        return patience;
    }

    /** @return the minimum improvement. */
    public double getMinDelta() {
        return minDelta;
    }

    /** @return the baseline, or NaN if none is used. */
    public double getBaseline() {
        return useBaseline ? baseline : Double.NaN;
    }

    /** @return whether the best weights are restored at the end. */
    public boolean isRestoreBestWeights() {
        return restoreBestWeights;
    }

    /** @return the number of ignored initial epochs. */
    public int getStartFromEpoch() {
        return startFromEpoch;
    }

    /**
     * Whether larger values are better, resolving {@link Mode#AUTO} from the monitor.
     * @return true for mode max.
     */
    public boolean isMaximising() {
        return mode == Mode.AUTO ? getMonitor().isHigherBetter() : mode == Mode.MAX;
    }

    /**
     * Fresh state for one training run.
     * @return a tracker.
     */
    public Tracker newTracker() {
        return new Tracker();
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "EarlyStopping");
    }

    @Override
    public String toString() {
        return "EarlyStopping(monitor=" + monitor + ",mode=" + mode + ",patience=" + patience + ",minDelta=" + minDelta
                + ",baseline=" + getBaseline() + ",restoreBestWeights=" + restoreBestWeights + ",startFromEpoch=" + startFromEpoch + ")";
    }

    /**
     * The state of early stopping during one training run. Feed it one value per epoch with {@link #update}.
     */
    public final class Tracker {
        private @Nullable Double best;
        private int bestEpoch;
        private int wait;

        private Tracker() {}

        private boolean improves(double current, double reference) {
            return isMaximising() ? current - minDelta > reference : current + minDelta < reference;
        }

        /**
         * Records an epoch's value. A non-finite value (an undefined metric) never improves: it counts as an epoch
         * without improvement, as Keras counts a NaN.
         * @param epoch the epoch, starting at 1.
         * @param current the monitored value.
         * @return what to do.
         */
        public Decision update(int epoch, double current) {
            if (epoch <= startFromEpoch) {
                return Decision.IGNORED;
            }
            wait++;
            if (Double.isFinite(current) && (best == null || improves(current, best))) {
                best = current;
                bestEpoch = epoch;
                if (!useBaseline || improves(current, baseline)) {
                    wait = 0;
                }
                return Decision.IMPROVED;
            }
            return wait >= patience && epoch > 1 ? Decision.STOP : Decision.CONTINUE;
        }

        /** @return the best epoch so far (1-based), or 0 if none was counted. */
        public int getBestEpoch() {
            return bestEpoch;
        }

        /** @return the number of epochs since the counter was last reset. */
        public int getWait() {
            return wait;
        }

        /** @return the best monitored value so far, or NaN if none was counted. */
        double getBest() {
            return best == null ? Double.NaN : best;
        }

        /**
         * Sets the state saved by a backup.
         * @param bestValue the best value, NaN if none was counted.
         * @param epochOfBest the best epoch, 0 if none.
         * @param waited the wait counter.
         */
        void restore(double bestValue, int epochOfBest, int waited) {
            best = Double.isNaN(bestValue) ? null : bestValue;
            bestEpoch = epochOfBest;
            wait = waited;
        }
    }

    /** The outcome of one {@link Tracker#update}. */
    public enum Decision {
        /** The epoch was before {@code startFromEpoch}: nothing recorded. */
        IGNORED,
        /** The value is the best so far. */
        IMPROVED,
        /** No improvement; keep training. */
        CONTINUE,
        /** No improvement for {@code patience} epochs: stop. */
        STOP
    }

    /**
     * Builder of an {@link EarlyStopping}; validated by {@link #build()}.
     */
    public static final class Builder {
        private final EarlyStopping es = new EarlyStopping();

        private Builder(String monitor) {
            es.monitor = monitor;
            es.postConfig();
        }

        /**
         * Sets the mode.
         * @param mode the mode.
         * @return this builder.
         */
        public Builder mode(Mode mode) {
            es.mode = mode;
            return this;
        }

        /**
         * Sets the patience.
         * @param patience epochs without improvement before stopping, &gt;= 0.
         * @return this builder.
         */
        public Builder patience(int patience) {
            es.patience = patience;
            return this;
        }

        /**
         * Sets the minimum improvement.
         * @param minDelta the minimum change that counts, &gt;= 0.
         * @return this builder.
         */
        public Builder minDelta(double minDelta) {
            es.minDelta = minDelta;
            return this;
        }

        /**
         * Sets the baseline.
         * @param baseline the value to beat, finite.
         * @return this builder.
         */
        public Builder baseline(double baseline) {
            es.useBaseline = true;
            es.baseline = baseline;
            return this;
        }

        /**
         * Sets whether to restore the best weights at the end of training.
         * @param restore true to restore.
         * @return this builder.
         */
        public Builder restoreBestWeights(boolean restore) {
            es.restoreBestWeights = restore;
            return this;
        }

        /**
         * Sets the number of ignored initial epochs.
         * @param epochs epochs to ignore, &gt;= 0.
         * @return this builder.
         */
        public Builder startFromEpoch(int epochs) {
            es.startFromEpoch = epochs;
            return this;
        }

        /**
         * Validates and returns the configuration.
         * @return the early-stopping configuration.
         */
        public EarlyStopping build() {
            es.postConfig();
            EarlyStopping out = new EarlyStopping();
            out.monitor = es.monitor;
            out.mode = es.mode;
            out.patience = es.patience;
            out.minDelta = es.minDelta;
            out.useBaseline = es.useBaseline;
            out.baseline = es.baseline;
            out.restoreBestWeights = es.restoreBestWeights;
            out.startFromEpoch = es.startFromEpoch;
            return out;
        }
    }
}
