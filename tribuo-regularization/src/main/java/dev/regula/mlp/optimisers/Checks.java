package dev.regula.mlp.optimisers;

import com.oracle.labs.mlrg.olcut.config.PropertyException;

/** Shared hyper-parameter validation for the optimisers. */
final class Checks {
    private Checks() {}

    /** Updates run in float32: a positive value below this would round to 0 (or lose precision), above MAX_VALUE to infinity. */
    private static final String RANGE = "[" + Float.MIN_NORMAL + ", " + Float.MAX_VALUE + "] (updates are computed in float32)";

    static void positive(String field, double v) {
        if (!(v >= Float.MIN_NORMAL && v <= Float.MAX_VALUE)) {
            throw new PropertyException("", field, field + " must be in " + RANGE + ", found " + v);
        }
    }

    static void nonNegative(String field, double v) {
        if (!(v == 0 || (v >= Float.MIN_NORMAL && v <= Float.MAX_VALUE))) {
            throw new PropertyException("", field, field + " must be 0 or in " + RANGE + ", found " + v);
        }
    }

    static void unitInterval(String field, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new PropertyException("", field, field + " must be in [0, 1), found " + v);
        }
    }
}
