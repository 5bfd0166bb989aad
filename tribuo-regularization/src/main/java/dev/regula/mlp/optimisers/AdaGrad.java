package dev.regula.mlp.optimisers;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.regula.config.Checks;
import dev.regula.nn.Updater;
import dev.regula.nn.Updaters;

/**
 * AdaGrad (Keras 3 form, defaults lr 1e-3, initial accumulator 0.1, ε 1e-7):
 * {@code s ← s + g²;  w ← w − lr·g / √(s + ε)}.
 */
public final class AdaGrad implements Optimiser {
    private static final long serialVersionUID = 1L;

    /** Learning rate, &gt; 0. */
    @Config(description = "Learning rate, > 0.")
    private double learningRate = 1e-3;

    /** Initial value of the squared-gradient accumulator, &gt;= 0. */
    @Config(description = "Initial value of the squared-gradient accumulator, >= 0.")
    private double initialAccumulator = 0.1;

    /** Constant inside the square root, &gt; 0. */
    @Config(description = "Constant inside the square root, > 0.")
    private double epsilon = 1e-7;

    /** AdaGrad with Keras defaults. */
    public AdaGrad() {}

    /**
     * AdaGrad with a learning rate.
     * @param learningRate the learning rate, &gt; 0.
     */
    public AdaGrad(double learningRate) {
        this.learningRate = learningRate;
        postConfig();
    }

    @Override
    public void postConfig() {
        Checks.positiveFloat32("learningRate", learningRate);
        Checks.zeroOrFloat32("initialAccumulator", initialAccumulator);
        Checks.positiveFloat32("epsilon", epsilon);
    }

    @Override
    public Updater createUpdater(int[] tensorSizes) {
        return Updaters.adagrad(tensorSizes, learningRate, initialAccumulator, epsilon);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Optimiser");
    }

    @Override
    public String toString() {
        return "AdaGrad(learningRate=" + learningRate + ",initialAccumulator=" + initialAccumulator + ",epsilon=" + epsilon + ")";
    }
}
