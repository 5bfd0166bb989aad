package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import dev.regula.augment.InputTransform;
import dev.regula.config.Checks;
import dev.regula.nn.Network;
import dev.regula.nn.OutputLoss;
import dev.regula.nn.SquaredError;
import org.jspecify.annotations.Nullable;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.regression.Regressor;

import java.util.EnumSet;
import java.util.Set;

/**
 * Trains a feed-forward network for regression: one linear output unit per dimension of the {@link Regressor}s,
 * squared error (or Huber) loss, and every regularizer and training option of {@link MLPTrainer} (L1/L2 penalties,
 * max-norm, dropout, input dropout, early stopping, listeners, input standardization), configured the same way.
 * <p>
 * By default the targets are standardized with the mean and standard deviation of the training split
 * ({@code standardizeTargets}), so that the loss and the initial weights see unit-scale targets whatever the units;
 * the model undoes it at prediction, and predicts in the original units. Validation splits are random (not
 * stratified). Early stopping can monitor {@code loss}, {@code val_loss} (in standardized units when the targets
 * are standardized), {@code val_rmse}, {@code val_mae} and {@code val_r2} (Tribuo's regression metrics, in the
 * original units, averaged over dimensions).
 */
public final class MLPRegressionTrainer extends AbstractMLPTrainer<Regressor, MLPRegressionModel> {
    @Config(description = "Training loss: MSE (mean squared error) or HUBER (Huber loss with huberDelta).")
    private RegressionLoss loss = RegressionLoss.MSE;

    @Config(description = "Huber loss delta: where the loss turns from quadratic to linear (in standardized target "
            + "units when standardizeTargets). Used with loss HUBER; > 0.")
    private double huberDelta = 1.0;

    @Config(description = "Standardize each target dimension with the training split's mean and standard deviation "
            + "(undone at prediction).")
    private boolean standardizeTargets = true;

    /** For OLCUT. */
    private MLPRegressionTrainer() {}

    /**
     * Starts a regression trainer configuration with the defaults of {@link MLPTrainer#builder()}, mean squared
     * error and standardized targets.
     * @return a builder.
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public synchronized void postConfig() {
        super.postConfig();
        if (loss == null) {
            throw new PropertyException("", "loss", "loss must be MSE or HUBER");
        }
        Checks.positiveFloat32("huberDelta", huberDelta);
    }

    private OutputLoss outputLoss() {
        return loss == RegressionLoss.HUBER ? SquaredError.huber(huberDelta) : SquaredError.mse();
    }

    @Override
    OutputHead<Regressor> head(ImmutableOutputInfo<Regressor> outputs) {
        return new RegressionHead(outputs, outputLoss(), standardizeTargets);
    }

    @Override
    MLPRegressionModel model(ModelProvenance provenance, ImmutableFeatureMap features, OutputHead<Regressor> head,
                             @Nullable InputTransform inputTransform, Network network, TrainingHistory history) {
        RegressionHead h = (RegressionHead) head;
        return new MLPRegressionModel("mlp-regression-model", provenance, features, head.outputs, inputTransform,
                network, history, h.mean(), h.scale());
    }

    @Override
    String modelClassName() {
        return MLPRegressionModel.class.getName();
    }

    /** The losses and Tribuo's regression metrics. */
    @Override
    Set<Monitor> monitors() {
        return EnumSet.of(Monitor.LOSS, Monitor.VAL_LOSS, Monitor.VAL_RMSE, Monitor.VAL_MAE, Monitor.VAL_R2);
    }

    /** @return the training loss. */
    public RegressionLoss getLoss() {
        return loss;
    }

    /** @return the Huber delta. */
    public double getHuberDelta() {
        return huberDelta;
    }

    /** @return whether the targets are standardized. */
    public boolean getStandardizeTargets() {
        return standardizeTargets;
    }

    @Override
    public String toString() {
        String base = super.toString();
        return base.substring(0, base.length() - 1) + ",loss=" + loss + ",huberDelta=" + huberDelta
                + ",standardizeTargets=" + standardizeTargets + ")";
    }

    /**
     * Fluent configuration of an {@link MLPRegressionTrainer}; {@link #build()} validates every value.
     */
    public static final class Builder extends MLPTrainerBuilder<MLPRegressionTrainer, Builder> {
        private Builder() {
            super(new MLPRegressionTrainer());
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Sets the training loss.
         * @param loss MSE or HUBER.
         * @return this builder.
         */
        public Builder loss(RegressionLoss loss) {
            t().loss = loss;
            return this;
        }

        /**
         * Trains with the Huber loss.
         * @param delta where the loss turns from quadratic to linear, &gt; 0.
         * @return this builder.
         */
        public Builder huber(double delta) {
            t().loss = RegressionLoss.HUBER;
            t().huberDelta = delta;
            return this;
        }

        /**
         * Sets whether the targets are standardized on the training split (and the standardization undone at
         * prediction).
         * @param on true to standardize (the default).
         * @return this builder.
         */
        public Builder standardizeTargets(boolean on) {
            t().standardizeTargets = on;
            return this;
        }
    }
}
