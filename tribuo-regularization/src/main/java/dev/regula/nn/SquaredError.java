package dev.regula.nn;

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
public final class SquaredError extends ElementwiseLoss {
    private static final long serialVersionUID = 1L;

    /** Huber threshold δ, or 0 for the plain squared error. */
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

    /** The identity: the outputs are the predictions. */
    @Override
    public void activate(float[] z, int rows, int units) {
    }

    @Override
    protected double elementLoss(float z, float y) {
        double a = Math.abs((double) (z - y));
        if (delta == 0) {
            return a * a;
        }
        return a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
    }

    @Override
    protected float elementGradient(float z, float y) {
        float e = z - y;
        if (delta == 0) {
            return 2 * e;
        }
        return Math.abs(e) <= delta ? e : (float) (delta * Math.signum(e));
    }

    @Override
    protected double predictionLoss(float prediction, float y) {
        return elementLoss(prediction, y);
    }

    @Override
    public String toString() {
        return delta == 0 ? "mse" : "huber(" + delta + ")";
    }
}
