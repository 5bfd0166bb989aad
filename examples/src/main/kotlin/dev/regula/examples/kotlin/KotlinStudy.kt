package dev.regula.examples.kotlin

import dev.regula.data.EmbeddedData
import dev.regula.data.RescalingDataSource
import dev.regula.mlp.MLPModel
import dev.regula.mlp.MLPTrainer
import dev.regula.mlp.TrainingHistory
import org.tribuo.Dataset
import org.tribuo.MutableDataset
import org.tribuo.classification.Label
import org.tribuo.classification.evaluation.LabelEvaluator
import org.tribuo.dataset.DatasetView
import java.util.logging.Level
import java.util.logging.Logger

/**
 * The sizes of a [runStudy] run. The defaults give a quick study on the whole embedded Fashion-MNIST subset;
 * tests use a few hundred images, a 64-unit network and two epochs.
 *
 * @property trainSize how many of the 10,000 embedded training images to use.
 * @property testSize how many of the 2,000 embedded test images to evaluate on.
 * @property units units per hidden layer.
 * @property layers number of hidden layers.
 * @property epochs maximum epochs per variant.
 * @property seed the trainers' seed, shared by every variant so they differ only in the technique.
 */
data class StudyConfig(
    val trainSize: Int = EmbeddedData.TRAIN_SIZE,
    val testSize: Int = EmbeddedData.TEST_SIZE,
    val units: Int = 256,
    val layers: Int = 2,
    val epochs: Int = 15,
    val seed: Long = 42L,
)

/**
 * One trained variant of the study.
 * @property name the variant, e.g. `"dropout"`.
 * @property model the trained model; its provenance records the full configuration.
 * @property testAccuracy accuracy on the test images.
 */
data class StudyResult(val name: String, val model: MLPModel, val testAccuracy: Double) {
    /** The model's per-epoch metrics. */
    val history: TrainingHistory get() = model.history
}

/**
 * The study's variants for [config]: the same network and seed, differing in one technique each.
 * All hold out 20 % of the training images for validation, so their validation curves are comparable.
 * @param config the sizes.
 * @return variant name to trainer, in the order baseline, L2, dropout, early stopping.
 */
fun studyTrainers(config: StudyConfig): Map<String, MLPTrainer> {
    fun variant(l2: Double = 0.0, dropout: Double = 0.0, stopEarly: Boolean = false) = mlpTrainer {
        layers(config.layers) {
            units = config.units
            this.l2 = l2
            this.dropout = dropout
        }
        epochs = config.epochs
        minibatchSize = 128
        seed = config.seed
        validationFraction = 0.2
        standardization = null // Keras' settings: none of the tabular defaults
        earlyStopping = null
        if (stopEarly) {
            earlyStopping("val_loss") {
                patience = 2
                restoreBestWeights = true
            }
        }
    }
    return linkedMapOf(
        "baseline" to variant(),
        "l2" to variant(l2 = 1e-4),
        "dropout" to variant(dropout = 0.3),
        "early-stopping" to variant(stopEarly = true),
    )
}

/**
 * Loads the first [size] images of a shuffled embedded split, with pixels rescaled from 0..255 to 0..1.
 * @param train true for the training split, false for the test split.
 * @param size how many images to keep.
 * @return the dataset (a view of the whole split when [size] is smaller).
 */
fun embeddedDataset(train: Boolean, size: Int): Dataset<Label> {
    val source = if (train) EmbeddedData.trainSource() else EmbeddedData.testSource()
    val all = MutableDataset(RescalingDataSource.of(source, 1.0 / 255))
    require(size in 1..all.size()) { "size must be in 1..${all.size()}, found $size" }
    // The embedded files are already shuffled, so a prefix keeps the classes balanced on average.
    return if (size == all.size()) all else DatasetView(all, IntArray(size) { it }, "first-$size")
}

/**
 * Trains every variant of [studyTrainers] on the embedded data and evaluates it on the test images.
 * @param config the sizes.
 * @param onResult called after each variant, e.g. to print progress.
 * @return the results, in variant order.
 */
fun runStudy(config: StudyConfig = StudyConfig(), onResult: (StudyResult) -> Unit = {}): List<StudyResult> {
    val train = embeddedDataset(train = true, size = config.trainSize)
    val test = embeddedDataset(train = false, size = config.testSize)
    val evaluator = LabelEvaluator()
    return studyTrainers(config).map { (name, trainer) ->
        val model = trainer.train(train)
        StudyResult(name, model, evaluator.evaluate(model, test).accuracy()).also(onResult)
    }
}

/** Held so that its level sticks: java.util.logging keeps loggers only weakly referenced. */
private val regulaLogger: Logger = Logger.getLogger("dev.regula")

/**
 * Runs the study and prints one line per variant. Arguments (all optional): `trainSize testSize units epochs`.
 * @param args the sizes, in that order.
 */
fun main(args: Array<String>) {
    regulaLogger.level = Level.WARNING
    val defaults = StudyConfig()
    val config = StudyConfig(
        trainSize = args.getOrNull(0)?.toInt() ?: defaults.trainSize,
        testSize = args.getOrNull(1)?.toInt() ?: defaults.testSize,
        units = args.getOrNull(2)?.toInt() ?: defaults.units,
        epochs = args.getOrNull(3)?.toInt() ?: defaults.epochs,
    )
    println("Kotlin study on $config")
    runStudy(config) { r ->
        val h = r.history
        println("%-15s test accuracy %.4f  epochs %d/%d  %s".format(
            r.name, r.testAccuracy, h.epochsRun, h.epochsConfigured, h.stopReason))
    }
}
