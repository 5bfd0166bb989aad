package dev.regula.mlp.optimisers;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.regula.config.Checks;
import dev.regula.nn.Updater;
import dev.regula.nn.Updaters;

/**
 * Lazy Adam for sparse inputs: {@link Adam}, except that on the sparse first layer ({@code InputKind.SPARSE}) only
 * the kernel rows of the features present in the minibatch are updated — their two moments and their weights, with
 * the bias correction of the global step count — and every other row is left exactly as it is. This is TensorFlow
 * Addons' {@code LazyAdam} and PyTorch's {@code SparseAdam}. Adam itself (Keras semantics) decays every row's moments
 * and moves every weight at every step, which costs a full pass with a square root and a division over the
 * {@code features × units} kernel per step whatever the density; lazy Adam's step costs what the batch touches.
 * <p>
 * It is another optimiser, not a faster Adam: a feature's moments do not decay between the batches it occurs in, so
 * a sparse run with lazy Adam does not reach the weights a dense or sparse run with Adam reaches. On the dense path,
 * on every layer after the first, on the biases, and on a first layer with a kernel penalty (whose gradient is
 * non-zero everywhere) it is Adam, bit for bit. Defaults as {@link Adam}'s (Keras 3: lr 1e-3, β1 0.9, β2 0.999,
 * ε 1e-7).
 */
public final class LazyAdam implements Optimiser {
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

    /** Lazy Adam with Keras' Adam defaults. */
    public LazyAdam() {}

    /**
     * Lazy Adam with a learning rate and Keras' Adam defaults otherwise.
     * @param learningRate the learning rate, &gt; 0.
     */
    public LazyAdam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-7);
    }

    /**
     * Lazy Adam with every hyper-parameter.
     * @param learningRate the learning rate, &gt; 0.
     * @param beta1 first-moment decay in [0, 1).
     * @param beta2 second-moment decay in [0, 1).
     * @param epsilon denominator constant, &gt; 0.
     */
    public LazyAdam(double learningRate, double beta1, double beta2, double epsilon) {
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
        return Updaters.lazyAdam(tensorSizes, learningRate, beta1, beta2, epsilon);
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Optimiser");
    }

    @Override
    public String toString() {
        return "LazyAdam(learningRate=" + learningRate + ",beta1=" + beta1 + ",beta2=" + beta2 + ",epsilon=" + epsilon
                + ")";
    }
}
