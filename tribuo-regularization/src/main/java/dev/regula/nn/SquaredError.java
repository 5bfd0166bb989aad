package dev.regula.nn;

import org.jspecify.annotations.Nullable;

/**
 * The regression head: identity activation and the squared error, or its robust variant the Huber loss, against
 * real targets, one per output unit.
 * <p>
 * Per element, with {@code e = z − y}:
 * <pre>
 *   squared error:   ℓ(e) = e²                                        ∂ℓ/∂z = 2e
 *   Huber(δ):        ℓ(e) = ½e²            if |e| ≤ δ                ∂ℓ/∂z = e
 *                         = δ·(|e| − ½δ)   otherwise                        = δ·sign(e)
 * </pre>
 * A row's loss is the mean over its units and a batch's the mean over its rows, as Keras' {@code mean_squared_error}
 * and {@code Huber(delta)} compute them (PyTorch {@code MSELoss()} and {@code HuberLoss(delta=δ)} with the default
 * mean reduction agree: they average over every element).
 */
public final class SquaredError implements OutputLoss {
    private static final long serialVersionUID = 1L;

    private final double delta;

    private SquaredError(double delta) {
        this.delta = delta;
    }

    /**
     * The squared error (Keras {@code mse}).
     * @return the loss.
     */
    public static SquaredError mse() {
        return new SquaredError(0);
    }

    /**
     * The Huber loss (Keras {@code Huber(delta)}).
     * @param delta the point where the loss turns from quadratic to linear, &gt; 0 and finite.
     * @return the loss.
     */
    public static SquaredError huber(double delta) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("Huber delta must be finite and > 0, found " + delta);
        }
        return new SquaredError(delta);
    }

    /** @return the Huber delta, or 0 for the plain squared error. */
    public double getDelta() {
        return delta;
    }

    @Override
    public int targetWidth(int units) {
        return units;
    }

    /** The identity: the outputs are the predictions. */
    @Override
    public void activate(float[] z, int rows, int units) {
    }

    @Override
    public double gradient(float[] z, float[] targets, float @Nullable [] weights, int rows, int units, int[] hits) {
        float[] scale = OutputLoss.rowScales(weights, rows);
        float all = 1f / (rows * units);
        double[] rowLoss = new double[rows];
        for (int r = 0; r < rows; r++) {
            float s = scale == null ? all : scale[r] / units;
            double l = 0;
            for (int i = r * units; i < (r + 1) * units; i++) {
                float e = z[i] - targets[i];
                l += elementLoss(e);
                z[i] = s * elementGradient(e);
            }
            rowLoss[r] = l / units;
        }
        return OutputLoss.mean(rowLoss, weights, rows);
    }

    @Override
    public double meanLoss(float[] predictions, float[] targets, float @Nullable [] weights, int rows, int units) {
        double[] rowLoss = new double[rows];
        for (int r = 0; r < rows; r++) {
            double l = 0;
            for (int i = r * units; i < (r + 1) * units; i++) {
                l += elementLoss(predictions[i] - targets[i]);
            }
            rowLoss[r] = l / units;
        }
        return OutputLoss.mean(rowLoss, weights, rows);
    }

    private double elementLoss(float e) {
        double a = Math.abs((double) e);
        if (delta == 0) {
            return a * a;
        }
        return a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
    }

    private float elementGradient(float e) {
        if (delta == 0) {
            return 2 * e;
        }
        return Math.abs(e) <= delta ? e : (float) (delta * Math.signum(e));
    }

    @Override
    public String toString() {
        return delta == 0 ? "mse" : "huber(" + delta + ")";
    }
}
