package dev.regula.mlp.optimisers;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.regula.config.Checks;
import dev.regula.nn.Updater;
import dev.regula.nn.Updaters;

/**
 * AdamW (Loshchilov &amp; Hutter): Adam plus decoupled weight decay applied to every parameter before each step,
 * {@code w ← w − lr·wd·w}, as Keras' {@code AdamW} (default wd 0.004) and PyTorch's {@code AdamW}. Unlike an L2
 * penalty, the decay is not rescaled by Adam's adaptive denominator and does not appear in the loss.
 */
public final class AdamW implements Optimiser {
    private static final long serialVersionUID = 1L;

    /** Learning rate, &gt; 0. */
    @Config(description = "Learning rate, > 0.")
    private double learningRate = 1e-3;

    /** Decoupled weight decay factor, &gt;= 0. */
    @Config(description = "Decoupled weight decay factor, >= 0.")
    private double weightDecay = 0.004;

    /** Exponential decay of the first moment, in [0, 1). */
    @Config(description = "Exponential decay of the first moment, in [0, 1).")
    private double beta1 = 0.9;

    /** Exponential decay of the second moment, in [0, 1). */
    @Config(description = "Exponential decay of the second moment, in [0, 1).")
    private double beta2 = 0.999;

    /** Constant added to the denominator, &gt; 0. */
    @Config(description = "Constant added to the denominator, > 0.")
    private double epsilon = 1e-7;

    /** AdamW with Keras defaults. */
    public AdamW() {}

    /**
     * AdamW with a learning rate and a weight decay, Keras defaults otherwise.
     * @param learningRate the learning rate, &gt; 0.
     * @param weightDecay the decoupled weight decay, &gt;= 0.
     */
    public AdamW(double learningRate, double weightDecay) {
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        postConfig();
    }

    @Override
    public void postConfig() {
        Checks.positiveFloat32("learningRate", learningRate);
        Checks.zeroOrFloat32("weightDecay", weightDecay);
        Checks.rate("beta1", beta1);
        Checks.rate("beta2", beta2);
        Checks.positiveFloat32("epsilon", epsilon);
    }

    @Override
    public Updater createUpdater(int[] tensorSizes) {
        return Updaters.adam(tensorSizes, learningRate, beta1, beta2, epsilon, weightDecay);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Optimiser");
    }

    @Override
    public String toString() {
        return "AdamW(learningRate=" + learningRate + ",weightDecay=" + weightDecay + ",beta1=" + beta1
                + ",beta2=" + beta2 + ",epsilon=" + epsilon + ")";
    }
}
