package dev.regula.examples.kotlin

import dev.regula.mlp.Layer
import dev.regula.mlp.MLPTrainer
import dev.regula.mlp.MonteCarloDropout
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.tribuo.MutableDataset
import org.tribuo.classification.Label
import org.tribuo.classification.LabelFactory
import org.tribuo.impl.ArrayExample
import org.tribuo.provenance.SimpleDataSourceProvenance
import kotlin.random.Random
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** Monte-Carlo dropout from Kotlin, as `docs/uncertainty.md` shows it: builder, properties, sorting by uncertainty. */
class KotlinUncertaintyTest {
    private fun blobs(n: Int, seed: Int, spread: Double): MutableDataset<Label> {
        val random = Random(seed)
        val data = MutableDataset(SimpleDataSourceProvenance("blobs", LabelFactory()), LabelFactory())
        repeat(n) {
            val c = random.nextInt(2)
            val x = doubleArrayOf((if (c == 0) -2.0 else 2.0) + random.nextDouble(-spread, spread),
                random.nextDouble(-spread, spread))
            data.add(ArrayExample(Label("c$c"), arrayOf("x", "y"), x))
        }
        return data
    }

    @Test
    fun theMostUncertainPointsLieBetweenTheClasses() {
        val model = MLPTrainer.builder()
            .addLayers(2, Layer.dense(64).dropout(0.3).build())
            .epochs(40).seed(1L).numThreads(1)
            .build()
            .train(blobs(400, 1, 1.0))
        val mc = MonteCarloDropout.builder().samples(30).seed(1L).build()
        // far-away points on each side, and points on the boundary x = 0
        val probes = MutableDataset(SimpleDataSourceProvenance("probes", LabelFactory()), LabelFactory())
        for (i in 0 until 20) {
            val x = if (i < 10) (if (i % 2 == 0) -3.0 else 3.0) else 0.0
            probes.add(ArrayExample(Label(if (x < 0) "c0" else "c1"), arrayOf("x", "y"), doubleArrayOf(x, (i % 5) * 0.2 - 0.4)))
        }
        val predictions = mc.predict(model, probes)
        val ranked = predictions.indices.sortedByDescending { predictions[it].predictiveEntropy }
        // the ten boundary points (indices 10..19) are the ten most uncertain
        assertEquals((10 until 20).toSet(), ranked.take(10).toSet())
        assertTrue(predictions.all { it.mutualInformation >= 0.0 && it.samples == 30 })
        // same seed, same bits
        val again = mc.predict(model, probes)
        assertEquals(predictions.map { it.predictiveEntropy }, again.map { it.predictiveEntropy })
    }

    @Test
    fun aModelWithoutDropoutIsRefused() {
        val model = MLPTrainer.builder().addLayer(Layer.dense(8).build()).epochs(2).seed(1L).numThreads(1).build()
            .train(blobs(50, 2, 1.0))
        val e = assertThrows<IllegalArgumentException> {
            MonteCarloDropout.builder().build().predict(model, blobs(5, 3, 1.0))
        }
        assertTrue(e.message!!.contains("without dropout"))
    }
}
