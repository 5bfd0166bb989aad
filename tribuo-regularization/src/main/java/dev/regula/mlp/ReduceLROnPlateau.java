package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.io.Serializable;

/**
 * Reduce the learning rate when a monitored value has stopped improving, with Keras 3 {@code
 * ReduceLROnPlateau(monitor="val_loss", factor=0.1, patience=10, mode="auto", min_delta=1e-4, cooldown=0,
 * min_lr=0.0)} semantics and defaults. At the end of every epoch, with the epoch's value v of the monitor:
 * <ol>
 *   <li>if in cool-down (counter &gt; 0): the counter drops by one and the wait resets to 0;</li>
 *   <li>if v improves on the best value — {@code v < best − minDelta} (mode min) or {@code v > best + minDelta}
 *       (mode max), the best starting at ±∞ — it becomes the best and the wait resets to 0;</li>
 *   <li>otherwise, unless in cool-down, the wait grows by one; when it reaches {@code patience} and the rate
 *       η is above {@code minLr}, the rate becomes {@code max(η · factor, minLr)}, the cool-down counter is set
 *       to {@code cooldown} and the wait to 0.</li>
 * </ol>
 * A NaN value never improves. The new rate applies from the next epoch's first step; the history's
 * {@code learning_rate} of an epoch is the rate it trained with, as Keras logs it before reducing. With early
 * stopping on the same monitor both see the same value of each epoch (Keras calls both callbacks with the same
 * logs); a patience here smaller than early stopping's lets the reduced rate act before training stops.
 * <p>
 * Unlike Keras, {@code mode} {@code AUTO} takes the monitor's known direction (Keras guesses max only for names
 * containing "acc"), an unknown monitor is an error at configuration time, and a factor outside (0, 1) is refused.
 * It cannot be combined with a learning-rate schedule, whose rate it could not change (Keras fails at the first
 * reduction).
 */
public final class ReduceLROnPlateau implements Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Value to monitor, as for early stopping: loss, accuracy, val_loss, val_accuracy, val_macro_f1, ... (default
     * val_loss).
     */
    @Config(description = "Value to monitor, as for early stopping: loss, accuracy, val_loss, val_accuracy, "
            + "val_macro_f1, ... (default val_loss).")
    private String monitor = "val_loss";

    /** Factor by which the learning rate is multiplied, in (0, 1). */
    @Config(description = "Factor by which the learning rate is multiplied, in (0, 1).")
    private double factor = 0.1;

    /** Number of epochs without improvement after which the rate is reduced, &gt;= 0. */
    @Config(description = "Number of epochs without improvement after which the rate is reduced, >= 0.")
    private int patience = 10;

    /** Direction of improvement: AUTO (the monitor's), MIN or MAX. */
    @Config(description = "Direction of improvement: AUTO (the monitor's), MIN or MAX.")
    private EarlyStopping.Mode mode = EarlyStopping.Mode.AUTO;

    /** Minimum change that counts as an improvement (strictly), finite and &gt;= 0. */
    @Config(description = "Minimum change that counts as an improvement (strictly), finite and >= 0.")
    private double minDelta = 1e-4;

    /** Number of epochs after a reduction during which the wait does not count, &gt;= 0. */
    @Config(description = "Number of epochs after a reduction during which the wait does not count, >= 0.")
    private int cooldown = 0;

    /** Lower bound of the learning rate, finite and &gt;= 0. */
    @Config(description = "Lower bound of the learning rate, finite and >= 0.")
    private double minLr = 0.0;

    /** For OLCUT. */
    private ReduceLROnPlateau() {}

    /**
     * Starts a configuration with Keras' defaults (factor 0.1, patience 10, min_delta 1e-4, no cool-down, min_lr 0).
     * @param monitor the monitored value's name, e.g. {@code val_loss}.
     * @return a builder.
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
        if (!(factor > 0 && factor < 1)) {
            throw new PropertyException("", "factor", "factor must be in (0, 1) (the rate is multiplied by it), found "
                    + factor);
        }
        if (patience < 0) {
            throw new PropertyException("", "patience", "patience must be >= 0, found " + patience);
        }
        if (mode == null) {
            throw new PropertyException("", "mode", "mode must be one of " + java.util.Arrays.toString(EarlyStopping.Mode.values()));
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new PropertyException("", "minDelta", "minDelta must be finite and >= 0, found " + minDelta);
        }
        if (cooldown < 0) {
            throw new PropertyException("", "cooldown", "cooldown must be >= 0, found " + cooldown);
        }
        if (!(minLr >= 0) || Double.isInfinite(minLr)) {
            throw new PropertyException("", "minLr", "minLr must be finite and >= 0, found " + minLr);
        }
    }

    /** @return the monitor. */
    public Monitor getMonitor() {
        return Monitor.fromKey(monitor);
    }

    /** @return the factor. */
    public double getFactor() {
        return factor;
    }

    /** @return the patience. */
    public int getPatience() {
        return patience;
    }

    /** @return the mode. */
    public EarlyStopping.Mode getMode() {
        return mode;
    }

    /** @return the minimum improvement. */
    public double getMinDelta() {
        return minDelta;
    }

    /** @return the cool-down in epochs. */
    public int getCooldown() {
        return cooldown;
    }

    /** @return the lower bound of the rate. */
    public double getMinLr() {
        return minLr;
    }

    /** @return whether larger values are better ({@link EarlyStopping.Mode#AUTO} resolved from the monitor). */
    public boolean isMaximising() {
        return mode == EarlyStopping.Mode.AUTO ? getMonitor().isHigherBetter() : mode == EarlyStopping.Mode.MAX;
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
        return new ConfiguredObjectProvenanceImpl(this, "ReduceLROnPlateau");
    }

    @Override
    public String toString() {
        return "ReduceLROnPlateau(monitor=" + monitor + ",factor=" + factor + ",patience=" + patience + ",mode=" + mode
                + ",minDelta=" + minDelta + ",cooldown=" + cooldown + ",minLr=" + minLr + ")";
    }

    /** The state of one training run: feed it each epoch's value and learning rate with {@link #update}. */
    public final class Tracker {
        private double best = isMaximising() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        private int wait;
        private int cooldownCounter;

        private Tracker() {}

        /**
         * Records an epoch's value and returns the learning rate of the next epoch (Keras' {@code on_epoch_end}).
         * @param current the monitored value of the epoch.
         * @param rate the learning rate the epoch trained with.
         * @return the next epoch's rate: {@code rate}, or the reduced rate.
         */
        public double update(double current, double rate) {
            if (cooldownCounter > 0) {
                cooldownCounter--;
                wait = 0;
            }
            if (isMaximising() ? current > best + minDelta : current < best - minDelta) {
                best = current;
                wait = 0;
            } else if (cooldownCounter == 0) {
                wait++;
                if (wait >= patience && rate > (float) minLr) {
                    cooldownCounter = cooldown;
                    wait = 0;
                    return Math.max(rate * factor, minLr);
                }
            }
            return rate;
        }

        /** @return the epochs without improvement so far. */
        public int getWait() {
            return wait;
        }
    }

    /** Builder of a {@link ReduceLROnPlateau}; validated by {@link #build()}. */
    public static final class Builder {
        private final ReduceLROnPlateau r = new ReduceLROnPlateau();

        private Builder(String monitor) {
            r.monitor = monitor;
        }

        /**
         * Sets the factor (default 0.1).
         * @param factor the factor in (0, 1).
         * @return this builder.
         */
        public Builder factor(double factor) {
            r.factor = factor;
            return this;
        }

        /**
         * Sets the patience (default 10).
         * @param patience epochs without improvement, &gt;= 0.
         * @return this builder.
         */
        public Builder patience(int patience) {
            r.patience = patience;
            return this;
        }

        /**
         * Sets the mode (default AUTO).
         * @param mode the direction of improvement.
         * @return this builder.
         */
        public Builder mode(EarlyStopping.Mode mode) {
            r.mode = mode;
            return this;
        }

        /**
         * Sets the minimum improvement (default 1e-4).
         * @param minDelta the change, finite and &gt;= 0.
         * @return this builder.
         */
        public Builder minDelta(double minDelta) {
            r.minDelta = minDelta;
            return this;
        }

        /**
         * Sets the cool-down (default 0).
         * @param epochs epochs after a reduction during which the wait does not count, &gt;= 0.
         * @return this builder.
         */
        public Builder cooldown(int epochs) {
            r.cooldown = epochs;
            return this;
        }

        /**
         * Sets the lower bound of the rate (default 0).
         * @param minLr the bound, finite and &gt;= 0.
         * @return this builder.
         */
        public Builder minLr(double minLr) {
            r.minLr = minLr;
            return this;
        }

        /**
         * Validates and returns the configuration.
         * @return the configuration.
         * @throws PropertyException naming an invalid field.
         */
        public ReduceLROnPlateau build() {
            r.postConfig();
            ReduceLROnPlateau out = new ReduceLROnPlateau();
            out.monitor = r.monitor;
            out.factor = r.factor;
            out.patience = r.patience;
            out.mode = r.mode;
            out.minDelta = r.minDelta;
            out.cooldown = r.cooldown;
            out.minLr = r.minLr;
            return out;
        }
    }
}
