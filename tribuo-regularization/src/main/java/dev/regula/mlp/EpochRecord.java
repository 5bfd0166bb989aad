package dev.regula.mlp;

import java.io.Serializable;

/**
 * The metrics of one training epoch. Values that were not computed (no validation data, no monitor) are NaN.
 *
 * @param epoch the epoch number, starting at 1.
 * @param loss mean training objective over the epoch's batches (cross-entropy plus penalty, as Keras reports
 *             {@code loss}), with dropout active and weights changing during the epoch.
 * @param penalty mean L1/L2 penalty term over the epoch's batches (included in {@code loss}).
 * @param accuracy training accuracy accumulated over the epoch's batches (dropout active), as Keras reports it.
 * @param valLoss validation cross-entropy plus the penalty of the end-of-epoch weights (Keras' {@code val_loss}).
 * @param valAccuracy validation accuracy at the end of the epoch.
 * @param monitorValue the early-stopping monitor's value at the end of the epoch.
 * @param learningRate the optimiser's learning rate.
 * @param seconds wall-clock seconds of the epoch, including validation.
 * @serial exclude
 */
// @serial exclude: JDK 17's javadoc reports the components of a Serializable record as undocumented fields on the
// serialized-form page despite the @param tags above (JDK 25's does not); they are serialized as those components.
public record EpochRecord(int epoch, double loss, double penalty, double accuracy, double valLoss,
                          double valAccuracy, double monitorValue, double learningRate, double seconds)
        implements Serializable {

    /**
     * The mean training cross-entropy without the penalty.
     * @return {@code loss − penalty}.
     */
    public double crossEntropy() {
        return loss - penalty;
    }
}
