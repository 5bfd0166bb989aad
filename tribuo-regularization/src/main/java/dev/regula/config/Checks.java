package dev.regula.config;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import dev.regula.nn.Ranges;
import org.jspecify.annotations.Nullable;

/**
 * Checks configuration values against the ranges of {@link Ranges}, turning a problem into the OLCUT
 * {@link PropertyException} that configuration classes throw from {@code postConfig()}, naming the field.
 */
public final class Checks {
    private Checks() {}

    /**
     * Checks a rate in [0, 1) ({@link Ranges#rate}).
     * @param field the field.
     * @param v its value.
     * @throws PropertyException naming the field if the value is outside the range.
     */
    public static void rate(String field, double v) {
        check(field, Ranges.rate(field, v));
    }

    /**
     * Checks a positive float32 factor ({@link Ranges#positiveFloat32}).
     * @param field the field.
     * @param v its value.
     * @throws PropertyException naming the field if the value is outside the range.
     */
    public static void positiveFloat32(String field, double v) {
        check(field, Ranges.positiveFloat32(field, v));
    }

    /**
     * Checks a float32 factor that may be 0 ({@link Ranges#zeroOrFloat32}).
     * @param field the field.
     * @param v its value.
     * @throws PropertyException naming the field if the value is outside the range.
     */
    public static void zeroOrFloat32(String field, double v) {
        check(field, Ranges.zeroOrFloat32(field, v));
    }

    /**
     * Checks a finite non-negative bound, 0 for none ({@link Ranges#nonNegativeFinite}).
     * @param field the field.
     * @param v its value.
     * @throws PropertyException naming the field if the value is outside the range.
     */
    public static void nonNegativeFinite(String field, double v) {
        check(field, Ranges.nonNegativeFinite(field, v));
    }

    /**
     * Throws if a check found a problem.
     * @param field the configuration field checked.
     * @param problem the problem, or null if the value is valid.
     * @throws PropertyException naming the field and the problem.
     */
    public static void check(String field, @Nullable String problem) {
        if (problem != null) {
            throw new PropertyException("", field, problem);
        }
    }
}
