package dev.regula.mlp.optimisers;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.regula.config.Checks;
import dev.regula.nn.Updater;
import dev.regula.nn.Updaters;

/**
 * Adam (Kingma &amp; Ba) with Keras 3 defaults (lr 1e-3, β1 0.9, β2 0.999, ε 1e-7). At step t:
 * <pre>
 * m ← m + (1−β1)(g − m);  v ← v + (1−β2)(g² − v)
 * w ← w − α·m / (√v + ε),   α = lr·√(1−β2^t) / (1−β1^t)
 * </pre>
 * ε is Keras' "epsilon hat" (added to √v before bias correction of α); PyTorch adds it after dividing √v by
 * √(1−β2^t), a difference of order ε. Unlike Tribuo 4.3.2's {@code Adam}, this divides by √v + ε.
 */
public final class Adam implements Optimiser {
    private static final long serialVersionUID = 1L;

    /** Learning rate, &gt; 0. */
    @Config(description = "Learning rate, > 0.")
    private double learningRate = 1e-3;

    /** Exponential decay of the first moment, in [0, 1). */
    @Config(description = "Exponential decay of the first moment, in [0, 1).")
    private double beta1 = 0.9;

    /** Exponential decay of the second moment, in [0, 1). */
    @Config(description = "Exponential decay of the second moment, in [0, 1).")
    private double beta2 = 0.999;

    /** Constant added to the denominator, &gt; 0. */
    @Config(description = "Constant added to the denominator, > 0.")
    private double epsilon = 1e-7;

    /** Adam with Keras defaults. */
    public Adam() {}

    /**
     * Adam with a learning rate and Keras defaults otherwise.
     * @param learningRate the learning rate, &gt; 0.
     */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-7);
    }

    /**
     * Adam with every hyper-parameter.
     * @param learningRate the learning rate, &gt; 0.
     * @param beta1 first-moment decay in [0, 1).
     * @param beta2 second-moment decay in [0, 1).
     * @param epsilon denominator constant, &gt; 0.
     */
    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        postConfig();
    }

    @Override
    public void postConfig() {
        Checks.positiveFloat32("learningRate", learningRate);
        Checks.rate("beta1", beta1);
        Checks.rate("beta2", beta2);
        Checks.positiveFloat32("epsilon", epsilon);
    }

    @Override
    public Updater createUpdater(int[] tensorSizes) {
        return Updaters.adam(tensorSizes, learningRate, beta1, beta2, epsilon, 0.0);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Optimiser");
    }

    @Override
    public String toString() {
        return "Adam(learningRate=" + learningRate + ",beta1=" + beta1 + ",beta2=" + beta2 + ",epsilon=" + epsilon + ")";
    }
}
