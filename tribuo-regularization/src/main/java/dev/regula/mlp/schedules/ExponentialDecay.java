package dev.regula.mlp.schedules;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.regula.config.Checks;

/**
 * Exponential and step decay, Keras 3 {@code ExponentialDecay(initial_learning_rate, decay_steps, decay_rate,
 * staircase=False)}. With η₀ the optimiser's learning rate and step t counted from 0:
 * <pre>
 * η(t) = η₀ · decayRate^(t / decaySteps)            (staircase false: smooth)
 * η(t) = η₀ · decayRate^⌊t / decaySteps⌋            (staircase true: step decay)
 * </pre>
 * Step decay with decaySteps = k epochs' worth of steps is PyTorch's {@code StepLR(step_size = k, gamma =
 * decayRate)} stepped once per epoch. Create step decay with {@link #stepDecay(long, double)}.
 */
public final class ExponentialDecay implements LearningRateSchedule {
    private static final long serialVersionUID = 1L;

    /** Number of optimiser steps per decay by decayRate, &gt;= 1. */
    @Config(mandatory = true, description = "Number of optimiser steps per decay by decayRate, >= 1.")
    private long decaySteps;

    /** Factor applied every decaySteps steps, a positive float32 value (&lt; 1 decays). */
    @Config(mandatory = true, description = "Factor applied every decaySteps steps, a positive float32 value "
            + "(< 1 decays).")
    private double decayRate;

    /** Decay in whole intervals of decaySteps (step decay) instead of smoothly. */
    @Config(description = "Decay in whole intervals of decaySteps (step decay) instead of smoothly.")
    private boolean staircase = false;

    /** For OLCUT. */
    private ExponentialDecay() {}

    /**
     * Smooth exponential decay.
     * @param decaySteps the steps per factor, &gt;= 1.
     * @param decayRate the factor, &gt; 0.
     * @return the schedule.
     * @throws PropertyException naming an invalid field.
     */
    public static ExponentialDecay smooth(long decaySteps, double decayRate) {
        return of(decaySteps, decayRate, false);
    }

    /**
     * Step decay: the rate is multiplied by {@code decayRate} after every {@code decaySteps} steps.
     * @param decaySteps the steps per factor, &gt;= 1.
     * @param decayRate the factor, &gt; 0 (e.g. 0.1).
     * @return the schedule.
     * @throws PropertyException naming an invalid field.
     */
    public static ExponentialDecay stepDecay(long decaySteps, double decayRate) {
        return of(decaySteps, decayRate, true);
    }

    private static ExponentialDecay of(long decaySteps, double decayRate, boolean staircase) {
        ExponentialDecay out = new ExponentialDecay();
        out.decaySteps = decaySteps;
        out.decayRate = decayRate;
        out.staircase = staircase;
        out.postConfig();
        return out;
    }

    @Override
    public void postConfig() {
        if (decaySteps < 1) {
            throw new PropertyException("", "decaySteps", "decaySteps must be >= 1, found " + decaySteps);
        }
        Checks.positiveFloat32("decayRate", decayRate);
    }

    @Override
    public double learningRate(long step, double initialRate) {
        double p = staircase ? Math.floor((double) step / decaySteps) : (double) step / decaySteps;
        return initialRate * Math.pow(decayRate, p);
    }

    /** @return the steps per factor. */
    public long getDecaySteps() {
        return decaySteps;
    }

    /** @return the factor. */
    public double getDecayRate() {
        return decayRate;
    }

    /** @return whether the decay is in whole intervals (step decay). */
    public boolean isStaircase() {
        return staircase;
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "LearningRateSchedule");
    }

    @Override
    public String toString() {
        return "ExponentialDecay(decaySteps=" + decaySteps + ",decayRate=" + decayRate + ",staircase=" + staircase + ")";
    }
}
