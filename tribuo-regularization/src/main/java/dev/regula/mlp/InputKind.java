package dev.regula.mlp;

/**
 * How a trainer stores its training inputs and runs the network's first layer (the {@code inputKind}
 * configuration; {@code docs/sparse.md}).
 */
public enum InputKind {
    /**
     * Sparse when the training data's density (stored features over examples × features, measured once per
     * training run) is below {@link #AUTO_SPARSE_BELOW}, and no configured technique needs dense rows
     * (augmentation, sample-wise normalization, ZCA whitening); dense otherwise. The default.
     */
    AUTO,
    /** Every example densified into a row of all features: the first layer is a dense matrix product. */
    DENSE,
    /**
     * Examples kept as compressed sparse rows: the first layer's forward product and kernel gradient run over the
     * stored features only, feature-wise standardization scales without centring, and the dense-only techniques
     * are refused.
     */
    SPARSE;

    /** The density below which {@link #AUTO} chooses sparse inputs. */
    public static final double AUTO_SPARSE_BELOW = 0.05;
}
