package dev.regula.mlp.optimisers;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.regula.config.Checks;
import dev.regula.nn.Updater;
import dev.regula.nn.Updaters;

/**
 * Stochastic gradient descent with optional momentum and Nesterov momentum (Keras 3 form, lr default 0.01):
 * <pre>
 * momentum 0:  w ← w − lr·g
 * otherwise:   u ← μ·u − lr·g;  w ← w + u        (Nesterov: w ← w + μ·u − lr·g)
 * </pre>
 */
public final class SGD implements Optimiser {
    private static final long serialVersionUID = 1L;

    /** Learning rate, &gt; 0. */
    @Config(description = "Learning rate, > 0.")
    private double learningRate = 0.01;

    /** Momentum, in [0, 1). */
    @Config(description = "Momentum, in [0, 1).")
    private double momentum = 0.0;

    /** Use Nesterov momentum. */
    @Config(description = "Use Nesterov momentum.")
    private boolean nesterov = false;

    /** SGD with Keras defaults (lr 0.01, no momentum). */
    public SGD() {}

    /**
     * SGD with momentum.
     * @param learningRate the learning rate, &gt; 0.
     * @param momentum the momentum in [0, 1).
     * @param nesterov whether to use Nesterov momentum.
     */
    public SGD(double learningRate, double momentum, boolean nesterov) {
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
        postConfig();
    }

    @Override
    public void postConfig() {
        Checks.positiveFloat32("learningRate", learningRate);
        Checks.rate("momentum", momentum);
    }

    @Override
    public Updater createUpdater(int[] tensorSizes) {
        return Updaters.sgd(tensorSizes, learningRate, momentum, nesterov);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Optimiser");
    }

    @Override
    public String toString() {
        return "SGD(learningRate=" + learningRate + ",momentum=" + momentum + ",nesterov=" + nesterov + ")";
    }
}
