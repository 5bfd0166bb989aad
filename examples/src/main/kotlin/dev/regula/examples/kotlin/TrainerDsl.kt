package dev.regula.examples.kotlin

import dev.regula.augment.Augmentation
import dev.regula.augment.Standardization
import dev.regula.data.ImageGeometry
import dev.regula.mlp.BatchListener
import dev.regula.mlp.EarlyStopping
import dev.regula.mlp.EpochListener
import dev.regula.mlp.Layer
import dev.regula.mlp.MLPTrainer
import dev.regula.mlp.MLPTrainerBuilder
import dev.regula.mlp.Regularizer
import dev.regula.mlp.optimisers.Adam
import dev.regula.mlp.optimisers.Optimiser
import dev.regula.nn.Activation
import dev.regula.nn.WeightInit
import org.tribuo.Trainer

/** Marks Regula's Kotlin configuration DSL, so an inner block cannot silently set an outer block's property. */
@DslMarker
annotation class RegulaDsl

/**
 * Configures an [MLPTrainer] with a Kotlin DSL, a thin layer over [MLPTrainer.builder]:
 * ```
 * val trainer = mlpTrainer {
 *     layers(5) { units = 500; dropout = 0.25; l2 = 1e-4 }
 *     epochs = 10
 *     validationFraction = 0.3
 *     earlyStopping("val_accuracy") { patience = 2 }
 *     onEpochEnd { r -> println("epoch ${r.epoch}: ${r.valAccuracy}") }
 * }
 * ```
 * Every setting is passed to the Java builder, whose [MLPTrainer.Builder.build] validates it, so the result is
 * the same trainer (with the same provenance) as the equivalent builder calls.
 *
 * @param configure the configuration block.
 * @return the validated trainer.
 * @throws com.oracle.labs.mlrg.olcut.config.PropertyException if a value is out of range.
 */
fun mlpTrainer(configure: MlpTrainerSpec.() -> Unit): MLPTrainer = MlpTrainerSpec().apply(configure).build()

/**
 * The receiver of [mlpTrainer]. Defaults are those of [MLPTrainer.builder]: one hidden layer of 100 ReLU units
 * unless [layers]/[layer] declare others (or [withoutHiddenLayers] removes it), Adam, up to 200 epochs with the
 * convergence stop [MLPTrainerBuilder.convergenceStop], minibatches of 32, feature-wise standardization,
 * shuffling, Tribuo's default seed, no validation split.
 */
@RegulaDsl
class MlpTrainerSpec internal constructor() {
    private val hidden = mutableListOf<Layer>()
    private var noHidden = false
    private val epochListeners = mutableListOf<EpochListener>()
    private val batchListeners = mutableListOf<Pair<Int, BatchListener>>()
    private var augmentation: Pair<Augmentation, ImageGeometry>? = null

    /** Maximum number of passes over the training data, at least 1. */
    var epochs: Int = MLPTrainerBuilder.DEFAULT_EPOCHS

    /** Minibatch size, at least 1. */
    var minibatchSize: Int = MLPTrainerBuilder.DEFAULT_MINIBATCH_SIZE

    /** Seed of the trainer's random number generator. */
    var seed: Long = Trainer.DEFAULT_SEED

    /** Fraction of the training data held out (stratified) for validation, in [0, 1). */
    var validationFraction: Double = 0.0

    /** Rate of inverted dropout on the inputs, in [0, 1). */
    var inputDropout: Double = 0.0

    /** Whether to shuffle the training data before every epoch. */
    var shuffle: Boolean = true

    /** The optimiser; Adam with Keras' defaults unless set. */
    var optimiser: Optimiser = Adam()

    /** Kernel initialisation scheme. */
    var weightInit: WeightInit = WeightInit.GLOROT_UNIFORM

    /** BLAS threads; 0 uses every available processor. */
    var numThreads: Int = 0

    /** Penalty on the output layer's kernel, or null for none. */
    var outputRegularizer: Regularizer? = null

    /**
     * Early stopping, or null for none (every epoch then runs); [earlyStopping] with a block is the usual way to set
     * it. Defaults to [MLPTrainerBuilder.convergenceStop].
     */
    var earlyStopping: EarlyStopping? = MLPTrainerBuilder.convergenceStop()

    /**
     * Input normalization / ZCA whitening, or null for none; [standardization] with a block sets it too. Defaults
     * to [MLPTrainerBuilder.featurewiseStandardization].
     */
    var standardization: Standardization? = MLPTrainerBuilder.featurewiseStandardization()

    /** Removes the default hidden layer (and any declared so far): the network is then linear on its inputs. */
    fun withoutHiddenLayers() {
        hidden.clear()
        noHidden = true
    }

    /**
     * Appends [count] identical hidden layers.
     * @param count how many layers, at least 1.
     * @param configure the layer's settings; [LayerSpec.units] is required.
     */
    fun layers(count: Int = 1, configure: LayerSpec.() -> Unit) {
        require(count >= 1) { "count must be >= 1, found $count" }
        val layer = LayerSpec().apply(configure).build()
        repeat(count) { hidden += layer }
    }

    /**
     * Appends one hidden layer.
     * @param units the number of units.
     * @param configure further settings of the layer.
     */
    fun layer(units: Int, configure: LayerSpec.() -> Unit = {}) = layers(1) {
        this.units = units
        configure()
    }

    /**
     * Sets early stopping on [monitor] (e.g. `"val_accuracy"`, `"val_loss"`).
     * @param monitor the monitored value's key, see [dev.regula.mlp.Monitor].
     * @param configure patience, minimum delta, mode, baseline, ...
     */
    fun earlyStopping(monitor: String, configure: EarlyStoppingSpec.() -> Unit = {}) {
        earlyStopping = EarlyStoppingSpec(monitor).apply(configure).build()
    }

    /**
     * Sets input standardization / ZCA whitening, fitted on the training split and baked into the model.
     * @param configure the settings, on the Java builder (e.g. `zcaWhitening(true)`).
     */
    fun standardization(configure: Standardization.Builder.() -> Unit) {
        standardization = Standardization.builder().apply(configure).build()
    }

    /**
     * Sets per-epoch augmentation of the training images.
     * @param geometry the images' geometry, e.g. `ImageGeometry.of(28, 28, 1)`.
     * @param configure the random transforms, on the Java builder (e.g. `rotationRange(10.0)`).
     */
    fun augmentation(geometry: ImageGeometry, configure: Augmentation.Builder.() -> Unit) {
        augmentation = Augmentation.builder().apply(configure).build() to geometry
    }

    /**
     * Adds a listener called after every epoch.
     * @param listener receives the epoch's [dev.regula.mlp.EpochRecord].
     */
    fun onEpochEnd(listener: EpochListener) {
        epochListeners += listener
    }

    /**
     * Adds a listener called every [everyBatches] minibatches and at the end of each epoch.
     * @param everyBatches the interval, at least 1.
     * @param listener receives epoch, batch, batches per epoch and running loss.
     */
    fun onBatchEnd(everyBatches: Int, listener: BatchListener) {
        batchListeners += everyBatches to listener
    }

    internal fun build(): MLPTrainer {
        val b = MLPTrainer.builder()
        if (noHidden) b.withoutHiddenLayers()
        hidden.forEach { b.addLayer(it) }
        b.epochs(epochs).minibatchSize(minibatchSize).seed(seed).validationFraction(validationFraction)
            .inputDropout(inputDropout).shuffle(shuffle).optimiser(optimiser).weightInit(weightInit)
            .numThreads(numThreads).outputRegularizer(outputRegularizer).earlyStopping(earlyStopping)
            .standardization(standardization)
        augmentation?.let { (aug, geometry) -> b.augmentation(aug, geometry) }
        epochListeners.forEach { b.epochListener(it) }
        batchListeners.forEach { (every, l) -> b.batchListener(every, l) }
        return b.build()
    }
}

/**
 * A hidden dense layer in [MlpTrainerSpec.layers]. [l1] and [l2] set the kernel penalty (Keras
 * `kernel_regularizer`); [kernelRegularizer] may be set directly instead.
 */
@RegulaDsl
class LayerSpec internal constructor() {
    /** Number of units; required (at least 1). */
    var units: Int = 0

    /** Activation function. */
    var activation: Activation = Activation.RELU

    /** Rate of inverted dropout on this layer's outputs, in [0, 1). */
    var dropout: Double = 0.0

    /** L1 factor of the kernel penalty (0 = none). */
    var l1: Double = 0.0

    /** L2 factor of the kernel penalty (Keras semantics, no ½; 0 = none). */
    var l2: Double = 0.0

    /** The kernel penalty; overrides [l1]/[l2] when set. */
    var kernelRegularizer: Regularizer? = null

    /** Penalty on the bias, or null for none. */
    var biasRegularizer: Regularizer? = null

    /** Max-norm constraint on each unit's incoming weights (0 = none). */
    var maxNorm: Double = 0.0

    internal fun build(): Layer {
        require(units >= 1) { "units must be set to at least 1 in a layers { } block, found $units" }
        val kernel = kernelRegularizer ?: when {
            l1 != 0.0 && l2 != 0.0 -> Regularizer.l1l2(l1, l2)
            l1 != 0.0 -> Regularizer.l1(l1)
            l2 != 0.0 -> Regularizer.l2(l2)
            else -> null
        }
        return Layer.dense(units).activation(activation).dropout(dropout).maxNorm(maxNorm)
            .kernelRegularizer(kernel).biasRegularizer(biasRegularizer).build()
    }
}

/** Early-stopping settings in [MlpTrainerSpec.earlyStopping]; defaults as in Keras' `EarlyStopping`. */
@RegulaDsl
class EarlyStoppingSpec internal constructor(private val monitor: String) {
    /** Epochs without improvement before stopping, at least 0. */
    var patience: Int = 0

    /** Minimum change that counts as an improvement. */
    var minDelta: Double = 0.0

    /** Direction of improvement; AUTO infers it from the monitor. */
    var mode: EarlyStopping.Mode = EarlyStopping.Mode.AUTO

    /** A value the monitor must beat for the patience counter to reset, or null for none. */
    var baseline: Double? = null

    /** Whether the model keeps the best epoch's weights rather than the last epoch's. */
    var restoreBestWeights: Boolean = false

    /** Initial epochs during which the monitor is ignored. */
    var startFromEpoch: Int = 0

    internal fun build(): EarlyStopping {
        val b = EarlyStopping.monitoring(monitor).patience(patience).minDelta(minDelta).mode(mode)
            .restoreBestWeights(restoreBestWeights).startFromEpoch(startFromEpoch)
        baseline?.let { b.baseline(it) }
        return b.build()
    }
}
