package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.io.Serializable;
import java.util.Objects;

/**
 * A weight penalty with Keras semantics, added once per step to the mean batch loss:
 * <pre>
 *   penalty(W) = l1 · Σ|w| + l2 · Σw²        gradient: l1 · sign(w) + 2 · l2 · w
 * </pre>
 * There is no ½ on the L2 term: Keras {@code l2(λ)} equals PyTorch {@code weight_decay = 2λ} (coupled, SGD/Adam)
 * and DL4J {@code l2(2λ)}.
 */
public final class Regularizer implements Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {
    private static final long serialVersionUID = 1L;

    @Config(description = "L1 factor: adds l1 * sum(|w|) to the loss. Finite and >= 0.")
    private double l1 = 0.0;

    @Config(description = "L2 factor: adds l2 * sum(w^2) to the loss (Keras semantics, no 1/2). Finite and >= 0.")
    private double l2 = 0.0;

    /** For OLCUT. */
    private Regularizer() {}

    private Regularizer(double l1, double l2) {
        this.l1 = l1;
        this.l2 = l2;
        postConfig();
    }

    /**
     * Keras {@code l1(λ)}: adds {@code λ·Σ|w|}.
     * @param lambda the factor, finite and &gt;= 0.
     * @return the regularizer.
     */
    public static Regularizer l1(double lambda) {
        return new Regularizer(lambda, 0.0);
    }

    /**
     * Keras {@code l2(λ)}: adds {@code λ·Σw²} (PyTorch {@code weight_decay = 2λ}).
     * @param lambda the factor, finite and &gt;= 0.
     * @return the regularizer.
     */
    public static Regularizer l2(double lambda) {
        return new Regularizer(0.0, lambda);
    }

    /**
     * Keras {@code l1_l2(l1, l2)}: adds {@code l1·Σ|w| + l2·Σw²}.
     * @param l1 the L1 factor, finite and &gt;= 0.
     * @param l2 the L2 factor, finite and &gt;= 0.
     * @return the regularizer.
     */
    public static Regularizer l1l2(double l1, double l2) {
        return new Regularizer(l1, l2);
    }

    @Override
    public void postConfig() {
        check("l1", l1);
        check("l2", l2);
    }

    private static void check(String field, double v) {
        if (!(v == 0 || (v >= Float.MIN_NORMAL && v <= Float.MAX_VALUE))) {
            throw new PropertyException("", field, field + " must be 0 or in [" + Float.MIN_NORMAL + ", " + Float.MAX_VALUE
                    + "] (penalties are applied in float32), found " + v);
        }
    }

    /** @return the L1 factor. */
    public double getL1() {
        return l1;
    }

    /** @return the L2 factor. */
    public double getL2() {
        return l2;
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Regularizer");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Regularizer && ((Regularizer) o).l1 == l1 && ((Regularizer) o).l2 == l2;
    }

    @Override
    public int hashCode() {
        return Objects.hash(l1, l2);
    }

    @Override
    public String toString() {
        if (l1 != 0 && l2 != 0) {
            return "l1l2(" + l1 + ", " + l2 + ")";
        }
        return l1 != 0 ? "l1(" + l1 + ")" : "l2(" + l2 + ")";
    }
}
