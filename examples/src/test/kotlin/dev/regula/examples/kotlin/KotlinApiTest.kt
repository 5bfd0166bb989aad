package dev.regula.examples.kotlin

import dev.regula.augment.Augmentation
import dev.regula.augment.Standardization
import dev.regula.data.EmbeddedData
import dev.regula.mlp.BatchListener
import dev.regula.mlp.EarlyStopping
import dev.regula.mlp.EpochListener
import dev.regula.mlp.EpochRecord
import dev.regula.mlp.Layer
import dev.regula.mlp.MLPModel
import dev.regula.mlp.MLPTrainer
import dev.regula.mlp.Regularizer
import dev.regula.mlp.StopReason
import dev.regula.mlp.TrainingHistory
import org.jspecify.annotations.NullMarked
import org.jspecify.annotations.Nullable
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.Test
import java.io.File
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.util.jar.JarFile
import java.util.logging.Level
import java.util.logging.Logger
import kotlin.test.assertEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * Uses the library's Java API the way Kotlin code does (properties, SAM lambdas, nullable types), so a change
 * that makes it awkward from Kotlin breaks this module's build or these tests.
 */
class KotlinApiTest {
    companion object {
        /** Held so that its level sticks: java.util.logging keeps loggers only weakly referenced. */
        private val regulaLogger: Logger = Logger.getLogger("dev.regula")

        @JvmStatic
        @BeforeAll
        fun quiet() {
            regulaLogger.level = Level.WARNING
        }

        /** Kotlin's hard keywords plus the soft ones that clash with call syntax (see the interop notes). */
        private val KOTLIN_KEYWORDS = setOf("as", "fun", "in", "is", "object", "typealias", "typeof", "val",
            "var", "when")

        /** Every public top-level or nested class of the library, read from its jar or classes directory. */
        private val libraryClasses: List<Class<*>> by lazy {
            val location = File(MLPTrainer::class.java.protectionDomain.codeSource.location.toURI())
            val names = if (location.isDirectory) {
                location.walkTopDown().filter { it.isFile }.map { it.relativeTo(location).invariantSeparatorsPath }.toList()
            } else {
                JarFile(location).use { jar -> jar.entries().asSequence().map { it.name }.toList() }
            }
            names.filter { it.startsWith("dev/regula/") && it.endsWith(".class") && !it.endsWith("package-info.class") }
                .map { Class.forName(it.removeSuffix(".class").replace('/', '.'), false, MLPTrainer::class.java.classLoader) }
                .filter { Modifier.isPublic(it.modifiers) && !it.isAnonymousClass && !it.isSynthetic }
        }
    }

    @Test
    fun `getters read as properties and nullable results need a null check`() {
        val trainer = MLPTrainer.builder()
            .addLayer(Layer.dense(32).kernelRegularizer(Regularizer.l2(1e-4)).dropout(0.1).build())
            .epochs(2).validationFraction(0.25).seed(3)
            .earlyStopping(EarlyStopping.monitoring("val_accuracy").patience(1).build())
            .standardization(null)
            .build()
        // Properties: getX() reads as x, isX() as isX.
        assertEquals(2, trainer.epochs)
        assertEquals(0.25, trainer.validationFraction)
        assertEquals(1e-4, trainer.hiddenLayers[0].kernelRegularizer?.l2)
        val es: EarlyStopping? = trainer.earlyStopping
        assertEquals(1, es?.patience)
        assertEquals(false, es?.isRestoreBestWeights)
        val noAugmentation: Augmentation? = trainer.augmentation
        val noStandardization: Standardization? = trainer.standardization
        assertNull(noAugmentation)
        assertNull(noStandardization)

        val model: MLPModel = trainer.train(embeddedDataset(train = true, size = 200))
        val history: TrainingHistory = model.history
        assertEquals(history.epochs.size, history.epochsRun)
        val monitor: String? = history.monitor
        assertEquals("val_accuracy", monitor)
        val last: EpochRecord? = history.finalEpoch
        assertNotNull(last)
        // Record components read as properties too.
        assertTrue(last.valAccuracy in 0.0..1.0 && last.loss > last.penalty && last.crossEntropy() > 0)
        assertTrue(history.stopReason in StopReason.values())
        assertNull(model.inputTransform)
    }

    @Test
    fun `listeners are Kotlin lambdas`() {
        val epochs = mutableListOf<Int>()
        var batches = 0
        val listener = EpochListener { epochs += it.epoch }
        val perBatch = BatchListener { _, _, _, _ -> batches++ }
        val trainer = MLPTrainer.builder().addLayer(Layer.dense(8).build()).epochs(2).minibatchSize(100)
            .epochListener(listener).batchListener(1, perBatch)
            .epochListener { r -> assertTrue(r.loss.isFinite()) }
            .build()
        trainer.addEpochListener { epochs += -it.epoch }
        trainer.train(embeddedDataset(train = true, size = 200))
        assertEquals(listOf(1, -1, 2, -2), epochs)
        assertEquals(4, batches)
    }

    @Test
    fun `listener hooks are single-method interfaces`() {
        for (hook in listOf(EpochListener::class.java, BatchListener::class.java)) {
            assertTrue(hook.isInterface)
            assertEquals(1, hook.methods.count { Modifier.isAbstract(it.modifiers) }, hook.name)
        }
    }

    @Test
    fun `every library package is NullMarked`() {
        val packages = libraryClasses.map { it.packageName }.toSortedSet()
        assertTrue("dev.regula.mlp.optimisers" in packages && "dev.regula.mlp" in packages, packages.toString())
        // Generated protobuf code is not annotated (protoc output), and is not meant to be called directly.
        val missing = packages.filter { it != "dev.regula.mlp.protos" }.filter { pkg ->
            Class.forName("$pkg.package-info", false, MLPTrainer::class.java.classLoader)
                .getAnnotation(NullMarked::class.java) == null
        }
        assertEquals(emptyList(), missing)
    }

    @Test
    fun `methods that may return null say so`() {
        fun nullableReturn(type: Class<*>, name: String): Boolean =
            type.getMethod(name).annotatedReturnType.isAnnotationPresent(Nullable::class.java)
        val nullable = listOf(
            TrainingHistory::class.java to "getMonitor",
            TrainingHistory::class.java to "getFinalEpoch",
            MLPTrainer::class.java to "getEarlyStopping",
            MLPTrainer::class.java to "getAugmentation",
            MLPTrainer::class.java to "getStandardization",
            MLPModel::class.java to "getInputTransform",
            Layer::class.java to "getKernelRegularizer",
            Layer::class.java to "getBiasRegularizer",
        )
        for ((type, name) in nullable) {
            assertTrue(nullableReturn(type, name), "${type.simpleName}.$name should be @Nullable")
        }
        // And the ones that never return null are not.
        assertTrue(!nullableReturn(MLPModel::class.java, "getHistory"))
        assertTrue(!nullableReturn(TrainingHistory::class.java, "getEpochs"))
        val nullableParams = listOf(
            MLPTrainer.Builder::class.java.getMethod("earlyStopping", EarlyStopping::class.java),
            MLPTrainer.Builder::class.java.getMethod("standardization", Standardization::class.java),
            MLPTrainer.Builder::class.java.getMethod("outputRegularizer", Regularizer::class.java),
            Layer.Builder::class.java.getMethod("kernelRegularizer", Regularizer::class.java),
        )
        for (m in nullableParams) {
            assertTrue(m.annotatedParameterTypes[0].isAnnotationPresent(Nullable::class.java), "$m parameter")
        }
    }

    @Test
    fun `no public method is named with a Kotlin keyword`() {
        assertTrue(libraryClasses.size > 30, "found only ${libraryClasses.size} classes")
        val clashes = libraryClasses.flatMap { c ->
            val methods = c.declaredMethods.filter { Modifier.isPublic(it.modifiers) || Modifier.isProtected(it.modifiers) }
                .filter { it.name in KOTLIN_KEYWORDS || propertyName(it) in KOTLIN_KEYWORDS }
            val fields = c.declaredFields.filter { Modifier.isPublic(it.modifiers) && it.name in KOTLIN_KEYWORDS }
            (methods.map { it.name } + fields.map { it.name }).map { "${c.name}.$it" }
        }
        assertEquals(emptyList(), clashes)
    }

    @Test
    fun `embedded data reads naturally`() {
        assertEquals("T-shirt/top", EmbeddedData.classNames()["0"])
        assertEquals(28 * 28, EmbeddedData.geometry().size)
    }

    /** The Kotlin property a getter becomes (`getObject()` → `object`), or null. */
    private fun propertyName(m: Method): String? =
        if (m.parameterCount == 0 && m.name.length > 3 && m.name.startsWith("get") && m.name[3].isUpperCase()) {
            m.name.substring(3).replaceFirstChar { it.lowercase() }
        } else {
            null
        }
}
