package dev.regula.mlp.optimisers;

import com.oracle.labs.mlrg.olcut.config.PropertyException;

/** Shared hyper-parameter validation for the optimisers. */
final class Checks {
    private Checks() {}

    static void positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new PropertyException("", field, field + " must be finite and > 0, found " + v);
        }
    }

    static void nonNegative(String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new PropertyException("", field, field + " must be finite and >= 0, found " + v);
        }
    }

    static void unitInterval(String field, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new PropertyException("", field, field + " must be in [0, 1), found " + v);
        }
    }
}
