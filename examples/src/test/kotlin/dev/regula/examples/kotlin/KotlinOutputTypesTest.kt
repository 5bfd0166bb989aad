package dev.regula.examples.kotlin

import dev.regula.mlp.EarlyStopping
import dev.regula.mlp.Layer
import dev.regula.mlp.MLPMultiLabelTrainer
import dev.regula.mlp.MLPRegressionTrainer
import dev.regula.mlp.Regularizer
import org.junit.jupiter.api.Test
import org.tribuo.MutableDataset
import org.tribuo.classification.Label
import org.tribuo.impl.ArrayExample
import org.tribuo.multilabel.MultiLabel
import org.tribuo.multilabel.MultiLabelFactory
import org.tribuo.multilabel.evaluation.MultiLabelEvaluator
import org.tribuo.provenance.SimpleDataSourceProvenance
import org.tribuo.regression.RegressionFactory
import org.tribuo.regression.Regressor
import org.tribuo.regression.evaluation.RegressionEvaluator
import kotlin.math.sin
import kotlin.random.Random
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/** The regression and multi-label trainers from Kotlin: the shared builder chains, properties and nullable getters. */
class KotlinOutputTypesTest {
    @Test
    fun regressionFromKotlin() {
        val random = Random(1)
        val data = MutableDataset(SimpleDataSourceProvenance("sine", RegressionFactory()), RegressionFactory())
        repeat(400) {
            val x = random.nextDouble(-3.0, 3.0)
            data.add(ArrayExample(Regressor("y", sin(x) * 50 + 100), arrayOf("x"), doubleArrayOf(x)))
        }
        val model = MLPRegressionTrainer.builder()
            .addLayers(2, Layer.dense(32).kernelRegularizer(Regularizer.l2(1e-4)).build())
            .validationFraction(0.2)
            .earlyStopping(EarlyStopping.monitoring("val_rmse").patience(20).restoreBestWeights(true).build())
            .huber(1.0)
            .epochs(300).seed(2).numThreads(1)
            .build()
            .train(data)
        assertNotNull(model.targetMean)
        assertEquals("val_rmse", model.history.monitor)
        assertTrue(RegressionEvaluator().evaluate(model, data).averageRMSE() < 10.0)
    }

    @Test
    fun multiLabelFromKotlin() {
        val random = Random(3)
        val data = MutableDataset(SimpleDataSourceProvenance("xor", MultiLabelFactory()), MultiLabelFactory())
        repeat(600) {
            val a = random.nextDouble(-1.0, 1.0)
            val b = random.nextDouble(-1.0, 1.0)
            val labels = mutableSetOf(Label(if (a * b > 0) "same" else "differ"))
            if (a > 0) labels.add(Label("right"))
            data.add(ArrayExample(MultiLabel(labels), arrayOf("a", "b"), doubleArrayOf(a, b)))
        }
        val model = MLPMultiLabelTrainer.builder()
            .addLayers(2, Layer.dense(32).build())
            .threshold(0.5)
            .epochs(60).minibatchSize(32).seed(4).numThreads(1)
            .build()
            .train(data)
        assertEquals(0.5, model.threshold)
        assertTrue(MultiLabelEvaluator().evaluate(model, data).jaccardScore() > 0.8)
    }
}
