package dev.regula.mlp.schedules;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.regula.config.Checks;

/**
 * Cosine decay with an optional linear warm-up, Keras 3 {@code CosineDecay(initial_learning_rate, decay_steps,
 * alpha=0.0, warmup_target=None, warmup_steps=0)} (Loshchilov &amp; Hutter 2017, without restarts). With η₀ the
 * optimiser's learning rate, step t counted from 0, D = {@code decaySteps}, W = {@code warmupSteps} and
 * η* = {@code warmupTarget}:
 * <pre>
 * no warm-up (W = 0):  η(t) = η₀ · decayed(min(t, D))
 * with warm-up:        η(t) = η₀ + (η* − η₀) · t / W                     for t &lt; W
 *                      η(t) = η* · decayed(min(t, W + D) − W)            for t ≥ W
 * decayed(s) = (1 − α) · ½ (1 + cos(π s / D)) + α
 * </pre>
 * so the rate falls from η₀ (or η*) to α·η₀ (or α·η*) over D steps and stays there. PyTorch's
 * {@code CosineAnnealingLR(T_max = D, eta_min = α·η₀)} stepped once per optimiser step gives the same values.
 */
public final class CosineDecay implements LearningRateSchedule {
    private static final long serialVersionUID = 1L;

    /** Number of optimiser steps to decay over (after the warm-up), &gt;= 1. */
    @Config(mandatory = true, description = "Number of optimiser steps to decay over (after the warm-up), >= 1.")
    private long decaySteps;

    /** Minimum learning rate as a fraction of the decayed-from rate, in [0, 1] (Keras alpha). */
    @Config(description = "Minimum learning rate as a fraction of the decayed-from rate, in [0, 1] (Keras alpha).")
    private double alpha = 0.0;

    /** Number of warm-up steps from the optimiser's rate up to warmupTarget, &gt;= 0; 0 = no warm-up. */
    @Config(description = "Number of warm-up steps from the optimiser's rate up to warmupTarget, >= 0; 0 = no warm-up.")
    private long warmupSteps = 0;

    /**
     * Learning rate reached at the end of the warm-up, from which the cosine decays (Keras warmup_target); required
     * with warmupSteps &gt; 0, and only then.
     */
    @Config(description = "Learning rate reached at the end of the warm-up, from which the cosine decays "
            + "(Keras warmup_target); required with warmupSteps > 0, and only then.")
    private double warmupTarget = 0.0;

    /** For OLCUT. */
    private CosineDecay() {}

    /**
     * Starts a cosine decay over a number of optimiser steps (e.g. epochs × steps per epoch).
     * @param decaySteps the number of steps, &gt;= 1.
     * @return a builder.
     */
    public static Builder overSteps(long decaySteps) {
        return new Builder(decaySteps);
    }

    @Override
    public void postConfig() {
        if (decaySteps < 1) {
            throw new PropertyException("", "decaySteps", "decaySteps must be >= 1, found " + decaySteps);
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new PropertyException("", "alpha", "alpha must be in [0, 1], found " + alpha);
        }
        if (warmupSteps < 0) {
            throw new PropertyException("", "warmupSteps", "warmupSteps must be >= 0, found " + warmupSteps);
        }
        if (warmupSteps > 0) {
            Checks.positiveFloat32("warmupTarget", warmupTarget);
        } else if (warmupTarget != 0) {
            throw new PropertyException("", "warmupTarget", "warmupTarget is " + warmupTarget + " but warmupSteps is 0: "
                    + "the warm-up would end before it starts; set warmupSteps >= 1 or leave warmupTarget at 0");
        }
    }

    @Override
    public double learningRate(long step, double initialRate) {
        if (warmupSteps == 0) {
            return initialRate * decayed(Math.min(step, decaySteps));
        }
        if (step < warmupSteps) {
            return initialRate + (warmupTarget - initialRate) * step / warmupSteps;
        }
        return warmupTarget * decayed(Math.min(step, warmupSteps + decaySteps) - warmupSteps);
    }

    private double decayed(long s) {
        double cosine = 0.5 * (1 + Math.cos(Math.PI * s / decaySteps));
        return (1 - alpha) * cosine + alpha;
    }

    /** @return the number of decay steps. */
    public long getDecaySteps() {
        return decaySteps;
    }

    /** @return the final fraction α of the rate. */
    public double getAlpha() {
        return alpha;
    }

    /** @return the number of warm-up steps, 0 for none. */
    public long getWarmupSteps() {
        return warmupSteps;
    }

    /** @return the rate at the end of the warm-up (0 without warm-up). */
    public double getWarmupTarget() {
        return warmupTarget;
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "LearningRateSchedule");
    }

    @Override
    public String toString() {
        return "CosineDecay(decaySteps=" + decaySteps + ",alpha=" + alpha + ",warmupSteps=" + warmupSteps
                + ",warmupTarget=" + warmupTarget + ")";
    }

    /** Builder of a {@link CosineDecay}; {@link #build()} validates the values. */
    public static final class Builder {
        private final CosineDecay schedule = new CosineDecay();

        private Builder(long decaySteps) {
            schedule.decaySteps = decaySteps;
        }

        /**
         * Sets the final fraction of the rate (Keras {@code alpha}, default 0).
         * @param alpha α in [0, 1].
         * @return this builder.
         */
        public Builder alpha(double alpha) {
            schedule.alpha = alpha;
            return this;
        }

        /**
         * Adds a linear warm-up from the optimiser's rate to {@code target} over {@code steps} steps, after which
         * the cosine decays from {@code target} (Keras {@code warmup_steps}, {@code warmup_target}).
         * @param steps the warm-up steps, &gt;= 1.
         * @param target the rate at the end of the warm-up, &gt; 0.
         * @return this builder.
         */
        public Builder warmup(long steps, double target) {
            schedule.warmupSteps = steps;
            schedule.warmupTarget = target;
            return this;
        }

        /**
         * Validates and returns the schedule.
         * @return the schedule.
         * @throws PropertyException naming an invalid field.
         */
        public CosineDecay build() {
            schedule.postConfig();
            CosineDecay out = new CosineDecay();
            out.decaySteps = schedule.decaySteps;
            out.alpha = schedule.alpha;
            out.warmupSteps = schedule.warmupSteps;
            out.warmupTarget = schedule.warmupTarget;
            return out;
        }
    }
}
