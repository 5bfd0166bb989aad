package dev.regula.onnx;

import org.jspecify.annotations.Nullable;

import java.util.Arrays;

/**
 * The last step of an exported graph, after the output layer: what turns the network's outputs into the model's
 * prediction values.
 *
 * @param kind the activation applied to the output layer.
 * @param scale for {@link Kind#IDENTITY}, the per-output factor {@code s} of {@code y = z·s + m} (the undone target
 *              standardization), or null for none.
 * @param shift for {@link Kind#IDENTITY}, the per-output offset {@code m}, or null for none (both or neither).
 */
public record OutputStep(Kind kind, double @Nullable [] scale, double @Nullable [] shift) {

    /** The output activations. */
    public enum Kind {
        /** Softmax over the outputs (class probabilities). */
        SOFTMAX,
        /** An independent sigmoid per output (label probabilities). */
        SIGMOID,
        /** The outputs as they are (regression), optionally rescaled. */
        IDENTITY
    }

    /**
     * Checks the parts and copies the arrays.
     * @param kind the activation.
     * @param scale the factors, or null.
     * @param shift the offsets, or null.
     */
    public OutputStep {
        if ((scale == null) != (shift == null)) {
            throw new IllegalArgumentException("scale and shift must both be given or both be absent");
        }
        if (scale != null && kind != Kind.IDENTITY) {
            throw new IllegalArgumentException("only an IDENTITY output can be rescaled, found " + kind);
        }
        if (scale != null && scale.length != shift.length) {
            throw new IllegalArgumentException("scale has " + scale.length + " values but shift has " + shift.length);
        }
        scale = scale == null ? null : scale.clone();
        shift = shift == null ? null : shift.clone();
    }

    /** @return a softmax output. */
    public static OutputStep softmax() {
        return new OutputStep(Kind.SOFTMAX, null, null);
    }

    /** @return a sigmoid output. */
    public static OutputStep sigmoid() {
        return new OutputStep(Kind.SIGMOID, null, null);
    }

    /**
     * An identity output, rescaled when {@code scale} and {@code shift} are given: {@code y_j = z_j·scale_j + shift_j}.
     * @param scale the factors, or null.
     * @param shift the offsets, or null.
     * @return the output step.
     */
    public static OutputStep identity(double @Nullable [] scale, double @Nullable [] shift) {
        return new OutputStep(Kind.IDENTITY, scale, shift);
    }

    /** @return a copy of the factors, or null. */
    @Override
    public double @Nullable [] scale() {
        return scale == null ? null : scale.clone();
    }

    /** @return a copy of the offsets, or null. */
    @Override
    public double @Nullable [] shift() {
        return shift == null ? null : shift.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputStep s && kind == s.kind && Arrays.equals(scale, s.scale) && Arrays.equals(shift, s.shift);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * kind.hashCode() + Arrays.hashCode(scale)) + Arrays.hashCode(shift);
    }

    @Override
    public String toString() {
        return "OutputStep(" + kind + (scale == null ? "" : ", rescaled") + ")";
    }
}
