package dev.regula.mlp.optimisers;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.regula.config.Checks;
import dev.regula.nn.Updater;
import dev.regula.nn.Updaters;

/**
 * RMSProp (Keras 3 form, uncentred, defaults lr 1e-3, ρ 0.9, ε 1e-7):
 * {@code s ← ρ·s + (1−ρ)·g²;  w ← w − lr·g / √(s + ε)}. PyTorch places ε outside the root: {@code √s + ε}.
 */
public final class RMSProp implements Optimiser {
    private static final long serialVersionUID = 1L;

    /** Learning rate, &gt; 0. */
    @Config(description = "Learning rate, > 0.")
    private double learningRate = 1e-3;

    /** Decay of the squared-gradient average, in [0, 1). */
    @Config(description = "Decay of the squared-gradient average, in [0, 1).")
    private double rho = 0.9;

    /** Constant inside the square root, &gt; 0. */
    @Config(description = "Constant inside the square root, > 0.")
    private double epsilon = 1e-7;

    /** RMSProp with Keras defaults. */
    public RMSProp() {}

    /**
     * RMSProp with a learning rate and decay.
     * @param learningRate the learning rate, &gt; 0.
     * @param rho the decay in [0, 1).
     */
    public RMSProp(double learningRate, double rho) {
        this.learningRate = learningRate;
        this.rho = rho;
        postConfig();
    }

    @Override
    public void postConfig() {
        Checks.positiveFloat32("learningRate", learningRate);
        Checks.rate("rho", rho);
        Checks.positiveFloat32("epsilon", epsilon);
    }

    @Override
    public Updater createUpdater(int[] tensorSizes) {
        return Updaters.rmsprop(tensorSizes, learningRate, rho, epsilon);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Optimiser");
    }

    @Override
    public String toString() {
        return "RMSProp(learningRate=" + learningRate + ",rho=" + rho + ",epsilon=" + epsilon + ")";
    }
}
