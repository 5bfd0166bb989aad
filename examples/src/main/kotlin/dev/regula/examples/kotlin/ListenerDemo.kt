package dev.regula.examples.kotlin

import dev.regula.mlp.EpochRecord
import dev.regula.mlp.MLPModel
import org.tribuo.Dataset
import org.tribuo.classification.Label

/**
 * A custom training run that follows progress with listener lambdas: an epoch listener that collects the
 * metrics and reports them through [report], and a batch listener that reports the running loss.
 *
 * @param train the training data.
 * @param units units of the single hidden layer.
 * @param epochs the number of epochs.
 * @param report receives one human-readable line per event.
 * @return the model and the records the epoch listener saw, in order.
 */
fun trainWithListeners(
    train: Dataset<Label>,
    units: Int = 64,
    epochs: Int = 3,
    report: (String) -> Unit = ::println,
): Pair<MLPModel, List<EpochRecord>> {
    val seen = mutableListOf<EpochRecord>()
    val trainer = mlpTrainer {
        layer(units) { dropout = 0.2 }
        this.epochs = epochs
        validationFraction = 0.25
        seed = 7L
        onEpochEnd { r ->
            seen += r
            report("epoch ${r.epoch}: loss %.4f, val_accuracy %.4f".format(r.loss, r.valAccuracy))
        }
        onBatchEnd(everyBatches = 4) { epoch, batch, batches, runningLoss ->
            report("  epoch $epoch batch $batch/$batches: running loss %.4f".format(runningLoss))
        }
    }
    return trainer.train(train) to seen
}
