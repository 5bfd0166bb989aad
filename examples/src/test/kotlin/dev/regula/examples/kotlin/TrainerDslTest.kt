package dev.regula.examples.kotlin

import com.oracle.labs.mlrg.olcut.config.PropertyException
import dev.regula.augment.Augmentation
import dev.regula.augment.Standardization
import dev.regula.data.ImageGeometry
import dev.regula.mlp.EarlyStopping
import dev.regula.mlp.EpochRecord
import dev.regula.mlp.Layer
import dev.regula.mlp.MLPTrainer
import dev.regula.mlp.Regularizer
import dev.regula.mlp.optimisers.SGD
import dev.regula.nn.Activation
import dev.regula.nn.WeightInit
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import java.util.logging.Level
import java.util.logging.Logger
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue

class TrainerDslTest {
    companion object {
        /** Held so that its level sticks: java.util.logging keeps loggers only weakly referenced. */
        private val regulaLogger: Logger = Logger.getLogger("dev.regula")

        @JvmStatic
        @BeforeAll
        fun quiet() {
            regulaLogger.level = Level.WARNING
        }
    }

    @Test
    fun `DSL builds the same trainer as the Java builder`() {
        val aug = Augmentation.builder().rotationRange(10.0).widthShiftRange(0.1).build()
        val java = MLPTrainer.builder()
            .addLayers(5, Layer.dense(500).kernelRegularizer(Regularizer.l2(1e-4)).dropout(0.25).build())
            .addLayer(Layer.dense(100).activation(Activation.TANH).maxNorm(3.0)
                .kernelRegularizer(Regularizer.l1l2(1e-5, 1e-4)).biasRegularizer(Regularizer.l1(1e-6)).build())
            .inputDropout(0.1)
            .outputRegularizer(Regularizer.l2(1e-3))
            .optimiser(SGD(0.05, 0.9, true))
            .weightInit(WeightInit.HE_UNIFORM)
            .epochs(10).minibatchSize(64).seed(42).shuffle(false).numThreads(1)
            .validationFraction(0.3)
            .earlyStopping(EarlyStopping.monitoring("val_accuracy").patience(2).minDelta(1e-3)
                .restoreBestWeights(true).startFromEpoch(1).baseline(0.5).build())
            .augmentation(aug, ImageGeometry.of(28, 28, 1))
            .standardization(Standardization.builder().zcaWhitening(true).build())
            .build()
        val kotlin = mlpTrainer {
            layers(5) { units = 500; dropout = 0.25; l2 = 1e-4 }
            layer(100) {
                activation = Activation.TANH
                maxNorm = 3.0
                l1 = 1e-5
                l2 = 1e-4
                biasRegularizer = Regularizer.l1(1e-6)
            }
            inputDropout = 0.1
            outputRegularizer = Regularizer.l2(1e-3)
            optimiser = SGD(0.05, 0.9, true)
            weightInit = WeightInit.HE_UNIFORM
            epochs = 10
            minibatchSize = 64
            seed = 42
            shuffle = false
            numThreads = 1
            validationFraction = 0.3
            earlyStopping("val_accuracy") {
                patience = 2
                minDelta = 1e-3
                restoreBestWeights = true
                startFromEpoch = 1
                baseline = 0.5
            }
            augmentation(ImageGeometry.of(28, 28, 1)) { rotationRange(10.0); widthShiftRange(0.1) }
            standardization { zcaWhitening(true) }
        }
        assertEquals(java.provenance, kotlin.provenance)
        assertEquals(java.toString(), kotlin.toString())
    }

    @Test
    fun `an empty DSL block gives the Java builder's defaults`() {
        assertEquals(MLPTrainer.builder().build().provenance, mlpTrainer { }.provenance)
    }

    @Test
    fun `provenance comparison tells trainers apart`() {
        val a = mlpTrainer { layers(2) { units = 64; l2 = 1e-4 } }
        val b = mlpTrainer { layers(2) { units = 64; l2 = 2e-4 } }
        val c = mlpTrainer { layers(2) { units = 64; l1 = 1e-4 } }
        assertNotEquals(a.provenance, b.provenance)
        assertNotEquals(a.provenance, c.provenance)
        assertEquals(Regularizer.l2(1e-4).l2, a.hiddenLayers[0].kernelRegularizer?.l2)
        assertEquals(null, mlpTrainer { layer(8) }.hiddenLayers.single().kernelRegularizer)
    }

    @Test
    fun `invalid settings are rejected`() {
        assertFailsWith<IllegalArgumentException> { mlpTrainer { layers(2) { dropout = 0.5 } } }
        assertFailsWith<IllegalArgumentException> { mlpTrainer { layers(0) { units = 3 } } }
        // Range checks come from the Java builders, which name the offending field.
        val epochs = assertFailsWith<PropertyException> { mlpTrainer { epochs = 0 } }
        assertEquals("epochs", epochs.property)
        val monitor = assertFailsWith<PropertyException> { mlpTrainer { earlyStopping("val_nonsense") } }
        assertEquals("monitor", monitor.property)
        assertTrue("val_nonsense" in monitor.message.orEmpty())
    }

    @Test
    fun `DSL listeners are called while training`() {
        val epochs = mutableListOf<EpochRecord>()
        var batchCalls = 0
        val trainer = mlpTrainer {
            layer(16)
            this.epochs = 2
            minibatchSize = 50
            onEpochEnd { epochs += it }
            onBatchEnd(2) { _, batch, batches, loss ->
                assertTrue(batch in 1..batches && loss.isFinite())
                batchCalls++
            }
        }
        val model = trainer.train(embeddedDataset(train = true, size = 200))
        assertEquals(model.history.epochs, epochs)
        // 4 batches of 50 per epoch, reported every 2 batches: batches 2 and 4, twice.
        assertEquals(4, batchCalls)
    }
}
