package dev.regula.nn;

import java.io.Serializable;

/**
 * A weight penalty added to the training objective, applied to a kernel or a bias slice by slice.
 * <p>
 * The objective minimised is {@code mean_batch(loss) + Σ penalty(W)} over every penalised tensor; a penalty's
 * gradient is added to the loss gradient before the optimiser step. Implementations must be stateless and
 * deterministic, so that a slice's result depends only on its values.
 */
public interface Penalty extends Serializable {
    /**
     * The penalty of {@code w[from, to)}.
     * @param w the weights.
     * @param from the first index.
     * @param to one past the last index.
     * @return the penalty value.
     */
    double value(float[] w, int from, int to);

    /**
     * Adds the penalty's gradient on {@code w[from, to)} to {@code g[from, to)}.
     * @param w the weights.
     * @param g the gradient, updated in place.
     * @param from the first index.
     * @param to one past the last index.
     * @return the penalty value of {@code w[from, to)}, as {@link #value} computes it.
     */
    double addGradient(float[] w, float[] g, int from, int to);
}
