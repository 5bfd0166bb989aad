package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.regula.config.Checks;
import dev.regula.nn.Penalty;
import org.jspecify.annotations.Nullable;

import java.io.Serializable;
import java.util.Objects;

/**
 * A weight penalty with Keras semantics, added once per step to the mean batch loss:
 * <pre>
 *   penalty(W) = l1 · Σ|w| + l2 · Σw²        gradient: l1 · sign(w) + 2 · l2 · w
 * </pre>
 * There is no ½ on the L2 term: Keras {@code l2(λ)} equals PyTorch {@code weight_decay = 2λ} (coupled, SGD/Adam)
 * and DL4J {@code l2(2λ)}. Like a Keras regularizer, the object computes its own value and gradient
 * ({@link Penalty}); the network's kernels call it slice by slice during the update.
 * <p>
 * The gradient of {@code |w|} is taken as {@code sign(w)}, 0 at {@code w = 0} (TensorFlow's choice), computed in
 * float32 as {@code clamp(w · 2^126, −1, 1)}: exactly ±1 for every normal weight, fractional for subnormal ones.
 * Sums run in double with eight independent partial sums.
 */
public final class Regularizer implements Penalty, Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {
    private static final long serialVersionUID = 1L;

    /** L1 factor: adds l1 * sum(|w|) to the loss. Finite and &gt;= 0. */
    @Config(description = "L1 factor: adds l1 * sum(|w|) to the loss. Finite and >= 0.")
    private double l1 = 0.0;

    /** L2 factor: adds l2 * sum(w^2) to the loss (Keras semantics, no 1/2). Finite and &gt;= 0. */
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
        Checks.zeroOrFloat32("l1", l1);
        Checks.zeroOrFloat32("l2", l2);
    }

    /**
     * The penalty the kernels apply for an optional regularizer: none for null or all-zero factors, so a layer's
     * description does not depend on how "no penalty" was configured.
     * @param r the regularizer, or null.
     * @return the penalty, or null.
     */
    static @Nullable Penalty active(@Nullable Regularizer r) {
        return r == null || (r.l1 == 0 && r.l2 == 0) ? null : r;
    }

    @Override
    public double value(float[] w, int from, int to) {
        return (l1 == 0 ? 0 : l1 * sumAbs(w, from, to)) + (l2 == 0 ? 0 : l2 * sumSquares(w, from, to));
    }

    @Override
    public double addGradient(float[] w, float[] g, int from, int to) {
        if (l1 == 0 && l2 == 0) {
            return 0;
        }
        float fl1 = (float) l1;
        float twoL2 = (float) (2 * l2);
        if (l1 == 0) {
            for (int i = from; i < to; i++) {
                g[i] += twoL2 * w[i];
            }
        } else {
            for (int i = from; i < to; i++) {
                float sign = Math.max(-1f, Math.min(1f, w[i] * 0x1p126f));
                g[i] += fl1 * sign + twoL2 * w[i];
            }
        }
        return value(w, from, to);
    }

    /** Σ|w| with eight independent partial sums (a single running sum would serialise on the add latency). */
    private static double sumAbs(float[] w, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            s0 += Math.abs(w[i]);
            s1 += Math.abs(w[i + 1]);
            s2 += Math.abs(w[i + 2]);
            s3 += Math.abs(w[i + 3]);
            s4 += Math.abs(w[i + 4]);
            s5 += Math.abs(w[i + 5]);
            s6 += Math.abs(w[i + 6]);
            s7 += Math.abs(w[i + 7]);
        }
        for (; i < to; i++) {
            s0 += Math.abs(w[i]);
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Σw² with eight independent partial sums. */
    private static double sumSquares(float[] w, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            s0 += (double) w[i] * w[i];
            s1 += (double) w[i + 1] * w[i + 1];
            s2 += (double) w[i + 2] * w[i + 2];
            s3 += (double) w[i + 3] * w[i + 3];
            s4 += (double) w[i + 4] * w[i + 4];
            s5 += (double) w[i + 5] * w[i + 5];
            s6 += (double) w[i + 6] * w[i + 6];
            s7 += (double) w[i + 7] * w[i + 7];
        }
        for (; i < to; i++) {
            s0 += (double) w[i] * w[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
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
