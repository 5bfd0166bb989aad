package dev.regula.nn;

import org.jspecify.annotations.Nullable;

/**
 * The one definition of every numeric range Regula accepts, with the message that names a value outside it.
 * <p>
 * Each method returns {@code null} for a valid value and otherwise the problem, e.g.
 * {@code "dropout must be in [0, 1), found 1.5"}. The configuration side turns a problem into an OLCUT
 * {@code PropertyException} naming the field ({@code dev.regula.config.Checks}); the kernels turn it into an
 * {@link IllegalArgumentException} with {@link #require}, so both report a bad value in the same words.
 */
public final class Ranges {
    /** The positive float32 values that neither vanish nor overflow: {@code [Float.MIN_NORMAL, Float.MAX_VALUE]}. */
    public static final String FLOAT32 = "[" + Float.MIN_NORMAL + ", " + Float.MAX_VALUE + "]";

    private Ranges() {}

    /**
     * A rate such as a dropout rate or a momentum: {@code [0, 1)}.
     * @param name the parameter's name.
     * @param v the value.
     * @return null if valid, otherwise the problem.
     */
    public static @Nullable String rate(String name, double v) {
        return v >= 0 && v < 1 ? null : name + " must be in [0, 1), found " + v;
    }

    /**
     * A positive factor applied in float32 (a learning rate, an epsilon): {@link #FLOAT32}.
     * @param name the parameter's name.
     * @param v the value.
     * @return null if valid, otherwise the problem.
     */
    public static @Nullable String positiveFloat32(String name, double v) {
        return v >= Float.MIN_NORMAL && v <= Float.MAX_VALUE ? null
                : name + " must be in " + FLOAT32 + " (applied in float32), found " + v;
    }

    /**
     * A factor applied in float32 that may also be off (a penalty, a weight decay): 0 or {@link #FLOAT32}.
     * @param name the parameter's name.
     * @param v the value.
     * @return null if valid, otherwise the problem.
     */
    public static @Nullable String zeroOrFloat32(String name, double v) {
        return v == 0 || (v >= Float.MIN_NORMAL && v <= Float.MAX_VALUE) ? null
                : name + " must be 0 or in " + FLOAT32 + " (applied in float32), found " + v;
    }

    /**
     * A finite, non-negative bound where 0 means none (a max-norm).
     * @param name the parameter's name.
     * @param v the value.
     * @return null if valid, otherwise the problem.
     */
    public static @Nullable String nonNegativeFinite(String name, double v) {
        return v >= 0 && !Double.isInfinite(v) ? null : name + " must be finite and >= 0 (0 = none), found " + v;
    }

    /**
     * Throws on a problem found by one of the checks.
     * @param problem the problem, or null.
     * @throws IllegalArgumentException carrying the problem.
     */
    public static void require(@Nullable String problem) {
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }
}
