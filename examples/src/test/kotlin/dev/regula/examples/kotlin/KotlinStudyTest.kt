package dev.regula.examples.kotlin

import dev.regula.mlp.StopReason
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.util.logging.Level
import java.util.logging.Logger
import kotlin.test.assertEquals
import kotlin.test.assertNull
import kotlin.test.assertTrue

class KotlinStudyTest {
    companion object {
        /** Held so that its level sticks: java.util.logging keeps loggers only weakly referenced. */
        private val regulaLogger: Logger = Logger.getLogger("dev.regula")

        @JvmStatic
        @BeforeAll
        fun quiet() {
            regulaLogger.level = Level.WARNING
        }
    }

    private val small = StudyConfig(trainSize = 1000, testSize = 500, units = 64, layers = 1, epochs = 2)

    @Test
    fun `the study trains four variants that differ in one technique`() {
        val seen = mutableListOf<String>()
        val results = runStudy(small) { seen += it.name }
        assertEquals(listOf("baseline", "l2", "dropout", "early-stopping"), results.map { it.name })
        assertEquals(seen, results.map { it.name })
        for (r in results) {
            // 10 balanced classes: chance is 0.1; even this tiny network learns far more than that.
            assertTrue(r.testAccuracy > 0.5, "${r.name}: accuracy ${r.testAccuracy}")
            assertEquals(small.trainSize, r.model.provenance.datasetProvenance.numExamples)
        }
        val byName = results.associateBy { it.name }
        assertEquals(0.0, byName.getValue("baseline").history.epochs.sumOf { it.penalty })
        assertTrue(byName.getValue("l2").history.epochs.all { it.penalty > 0 })
        // Dropout changes what the network sees in training from the first batch on.
        assertTrue(byName.getValue("dropout").history.epochs[0].loss != byName.getValue("baseline").history.epochs[0].loss)
        assertNull(byName.getValue("baseline").history.monitor)
        val stopped = byName.getValue("early-stopping").history
        assertEquals("val_loss", stopped.monitor)
        assertTrue(stopped.bestEpoch in 1..small.epochs)
        assertTrue(stopped.stopReason == StopReason.COMPLETED || stopped.stopReason == StopReason.EARLY_STOPPED)
        // Same seed and data: the baseline and the early-stopping variant see identical first epochs.
        assertEquals(byName.getValue("baseline").history.epochs[0].loss, stopped.epochs[0].loss)
    }

    @Test
    fun `a custom run reports every epoch to its listener lambdas`() {
        val lines = mutableListOf<String>()
        val (model, records) = trainWithListeners(embeddedDataset(train = true, size = 400), units = 32,
            epochs = 2, report = { lines += it })
        assertEquals(model.history.epochs, records)
        assertEquals(listOf(1, 2), records.map { it.epoch })
        assertEquals(2, lines.count { it.startsWith("epoch ") })
        assertTrue(lines.any { it.trimStart().startsWith("epoch 2 batch") }, lines.toString())
    }

    @Test
    fun `main prints one line per variant`() {
        val out = ByteArrayOutputStream()
        val saved = System.out
        System.setOut(PrintStream(out, true, "UTF-8"))
        try {
            main(arrayOf("300", "200", "16", "1"))
        } finally {
            System.setOut(saved)
        }
        val lines = out.toString("UTF-8").lines().filter { it.isNotBlank() }
        assertTrue(lines[0].startsWith("Kotlin study on StudyConfig(trainSize=300"), lines[0])
        assertEquals(listOf("baseline", "l2", "dropout", "early-stopping"),
            lines.drop(1).map { it.substringBefore(' ') })
    }
}
