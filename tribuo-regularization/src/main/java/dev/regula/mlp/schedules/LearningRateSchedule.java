package dev.regula.mlp.schedules;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;

import java.io.Serializable;

/**
 * The learning rate of each optimiser step (Keras {@code LearningRateSchedule}): a configurable, immutable
 * function of the number of steps taken so far, recorded in the trainer's provenance.
 */
public interface LearningRateSchedule extends Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {
    /**
     * The learning rate of a step.
     * @param step the number of optimiser steps taken before this one (0 for the first step; Keras'
     *             {@code optimizer.iterations}).
     * @param initialRate the optimiser's learning rate, Keras' {@code initial_learning_rate}.
     * @return the step's learning rate.
     */
    double learningRate(long step, double initialRate);
}
