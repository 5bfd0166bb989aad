package dev.regula.mlp;

import org.tribuo.Output;
import org.tribuo.Prediction;

import java.util.Locale;

/**
 * One example's Monte-Carlo dropout prediction ({@link MonteCarloDropout}): the prediction from the outputs averaged
 * over T stochastic passes, and how much the passes disagree.
 * <p>
 * For class probabilities (softmax) with pass probabilities {@code p_t} and their mean {@code p̄}, in nats:
 * <ul>
 *     <li>predictive entropy {@code H[p̄] = −Σ_c p̄_c ln p̄_c} — the total uncertainty;</li>
 *     <li>expected entropy {@code E_t H[p_t] = (1/T) Σ_t −Σ_c p_tc ln p_tc} — the part each pass is already unsure
 *     of (aleatoric);</li>
 *     <li>mutual information {@code H[p̄] − E_t H[p_t]} — the part that comes from the passes disagreeing
 *     (epistemic: the model's uncertainty about its own weights), at least 0.</li>
 * </ul>
 * For independent label probabilities (sigmoid, multi-label) each label is a Bernoulli variable and the entropies
 * are summed over the labels. Regression has no entropy: its uncertainty is the standard deviation of the values over
 * the passes, in the units of the targets.
 *
 * @param <T> the output type.
 */
public final class MonteCarloPrediction<T extends Output<T>> {
    private final Prediction<T> prediction;
    private final int samples;
    private final double predictiveEntropy;
    private final double expectedEntropy;
    private final double[] standardDeviations;

    MonteCarloPrediction(Prediction<T> prediction, int samples, double predictiveEntropy, double expectedEntropy,
                         double[] standardDeviations) {
        this.prediction = prediction;
        this.samples = samples;
        this.predictiveEntropy = predictiveEntropy;
        this.expectedEntropy = expectedEntropy;
        this.standardDeviations = standardDeviations;
    }

    /** @return the prediction from the mean over the passes (for classification: of the probabilities). */
    public Prediction<T> getPrediction() {
        return prediction;
    }

    /** @return the number of stochastic passes T. */
    public int getSamples() {
        return samples;
    }

    /**
     * @return the entropy of the mean probabilities, in nats.
     * @throws IllegalStateException for a regression model, which predicts values, not probabilities.
     */
    public double getPredictiveEntropy() {
        requireProbabilities("predictive entropy");
        return predictiveEntropy;
    }

    /**
     * @return the mean over the passes of each pass's entropy, in nats.
     * @throws IllegalStateException for a regression model.
     */
    public double getExpectedEntropy() {
        requireProbabilities("expected entropy");
        return expectedEntropy;
    }

    /**
     * @return the mutual information between the prediction and the weights, {@code H[p̄] − E_t H[p_t]}, in nats
     *         (0 when every pass agrees; rounding below 0 is reported as 0).
     * @throws IllegalStateException for a regression model.
     */
    public double getMutualInformation() {
        requireProbabilities("mutual information");
        return Math.max(0, predictiveEntropy - expectedEntropy);
    }

    /**
     * @return per output (in output-id order) the standard deviation over the passes, {@code √((1/T) Σ_t (y_t − ȳ)²)}:
     *         of the probabilities for classification and multi-label models, of the values (in target units) for
     *         regression.
     */
    public double[] getStandardDeviations() {
        return standardDeviations.clone();
    }

    private void requireProbabilities(String what) {
        if (Double.isNaN(predictiveEntropy)) {
            throw new IllegalStateException(what + " is defined for class or label probabilities; a regression model's "
                    + "Monte-Carlo uncertainty is getStandardDeviations()");
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MonteCarloPrediction(samples=%d, predictiveEntropy=%.4g, mutualInformation=%.4g, %s)",
                samples, predictiveEntropy, Double.isNaN(predictiveEntropy) ? Double.NaN : getMutualInformation(), prediction);
    }
}
