package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import dev.regula.augment.Augmentation;
import dev.regula.data.ImageGeometry;
import dev.regula.mlp.optimisers.AdaGrad;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.mlp.optimisers.AdamW;
import dev.regula.mlp.optimisers.RMSProp;
import dev.regula.mlp.optimisers.SGD;
import dev.regula.nn.Activation;
import dev.regula.nn.Backends;
import dev.regula.nn.LayerSpec;
import dev.regula.nn.Network;
import dev.regula.nn.NetworkTrainer;
import dev.regula.nn.SoftmaxCrossEntropy;
import dev.regula.nn.Updater;
import dev.regula.nn.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableDataset;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.List;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.regula.testing.ErrorAssertions.failsClearly;
import static dev.regula.testing.ErrorAssertions.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Limits of the trainer's hyper-parameters that the "bad input" audit found unchecked: null settings, values that
 * are fine in double but underflow or overflow float32, image geometries that do not match the data, and sizes
 * that overflow an int array. Each must fail at configuration time (or, where the size depends on the data, before
 * anything is allocated) with a message naming the field, the value and the allowed range.
 */
class ConfigurationLimitsTest {
    /** The under-training warning, which the small runs here draw besides the ones under test. */
    private static final String FEW_STEPS = "this run takes at most";

    /** The float32 range the optimisers and penalties accept, as the messages print it. */
    private static final String FLOAT_MIN = String.valueOf(Float.MIN_NORMAL);
    private static final String FLOAT_MAX = String.valueOf(Float.MAX_VALUE);

    @BeforeAll
    static void quiet() {
        Logger.getLogger(MLPTrainer.class.getName()).setLevel(Level.WARNING);
    }

    /**
     * {@code n} random 8×8 gray images with the feature names IDXDataSource gives them ({@code 00} … {@code 63}),
     * labelled a and b alternately.
     */
    static Dataset<Label> images8x8(int n) {
        String[] names = ImageGeometry.of(8, 8, 1).featureNames();
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> ds = new MutableDataset<>(new SimpleDataSourceProvenance("8x8 images", factory), factory);
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            double[] values = new double[names.length];
            for (int j = 0; j < values.length; j++) {
                values[j] = 0.05 + 0.9 * r.nextDouble();
            }
            ds.add(new ArrayExample<>(new Label(i % 2 == 0 ? "a" : "b"), names.clone(), values));
        }
        return ds;
    }

    // ---- fix-4: null settings are configuration errors, not NullPointerExceptions or silent defaults ----

    @Test
    void nullActivationIsRejectedWhenTheLayerIsBuilt() {
        rejects("activation", () -> Layer.dense(16).activation(null).build(), "RELU", "TANH", "SIGMOID", "ELU", "LINEAR");
    }

    @Test
    void nullWeightInitIsRejectedWhenTheTrainerIsBuilt() {
        rejects("weightInit", () -> MLPTrainerTest.small().weightInit(null).build(), "GLOROT_UNIFORM", "HE_UNIFORM");
    }

    @Test
    void nullEarlyStoppingModeIsRejectedInsteadOfMeaningLowerIsBetter() {
        // Before the fix mode(null) was accepted and isMaximising() returned false, so val_accuracy was treated as
        // lower-is-better and restoreBestWeights restored the worst epoch.
        rejects("mode", () -> EarlyStopping.monitoring("val_accuracy").mode(null).restoreBestWeights(true).build(),
                "AUTO", "MIN", "MAX");
        rejects("mode", () -> EarlyStopping.monitoring("val_loss").mode(null).build(), "AUTO", "MIN", "MAX");
        // the explicit modes keep their meaning
        assertTrue(EarlyStopping.monitoring("val_accuracy").mode(EarlyStopping.Mode.AUTO).build().isMaximising());
        assertFalse(EarlyStopping.monitoring("val_accuracy").mode(EarlyStopping.Mode.MIN).build().isMaximising());
        assertTrue(EarlyStopping.monitoring("val_loss").mode(EarlyStopping.Mode.MAX).build().isMaximising());
    }

    @Test
    void nullMonitorIsRejectedWithExamples() {
        rejects("monitor", () -> EarlyStopping.monitoring(null), "val_loss", "val_accuracy");
    }

    @Test
    void augmentationWithoutGeometryIsRejectedByTheBuilder() {
        Augmentation aug = Augmentation.builder().rotationRange(10).build();
        rejects("imageGeometry", () -> MLPTrainer.builder().augmentation(aug, null), "28x28x1", "augmentation");
        // no augmentation needs no geometry
        assertNull(MLPTrainer.builder().augmentation(null, null).build().getAugmentation());
    }

    // ---- fix-5: values that vanish or overflow in float32 are rejected with the float32 range ----

    @Test
    void learningRatesOutsideFloat32AreRejected() {
        rejects("learningRate", () -> new SGD(1e-50, 0, false), "1.0E-50", FLOAT_MIN, FLOAT_MAX, "float32");
        rejects("learningRate", () -> new Adam(1e-50), "1.0E-50", FLOAT_MIN, FLOAT_MAX);
        rejects("learningRate", () -> new AdamW(1e-45, 0.004), "1.0E-45", FLOAT_MIN); // a float32 subnormal
        rejects("learningRate", () -> new RMSProp(1e-40, 0.9), "1.0E-40", FLOAT_MIN);
        rejects("learningRate", () -> new AdaGrad(1e300), "1.0E300", FLOAT_MAX);
        // the bounds themselves, and the usual Keras values, are accepted
        new Adam(Float.MIN_NORMAL);
        new SGD(Float.MAX_VALUE, 0, false);
        new Adam(1e-3);
        new SGD(0.01, 0.9, true);
        new RMSProp(1e-3, 0.9);
        new AdaGrad(0.01);
    }

    @Test
    void optimiserEpsilonOutsideFloat32IsRejected() {
        rejects("epsilon", () -> new Adam(1e-3, 0.9, 0.999, 1e-60), "1.0E-60", FLOAT_MIN, "float32");
        rejects("epsilon", () -> new Adam(1e-3, 0.9, 0.999, 1e300), "1.0E300", FLOAT_MAX);
        new Adam(1e-3, 0.9, 0.999, 1e-7); // Keras default
        new Adam(1e-3, 0.9, 0.999, 1e-8); // PyTorch default
    }

    @Test
    void weightDecayOutsideFloat32IsRejected() {
        rejects("weightDecay", () -> new AdamW(1e-3, 1e300), "1.0E300", "0 or in [" + FLOAT_MIN + ", " + FLOAT_MAX + "]");
        rejects("weightDecay", () -> new AdamW(1e-3, 1e-50), "1.0E-50", FLOAT_MIN);
        new AdamW(1e-3, 0.0);
        new AdamW(1e-3, 4e-3);
    }

    @Test
    void penaltiesOutsideFloat32AreRejected() {
        rejects("l2", () -> Regularizer.l2(1e300), "1.0E300", "0 or in [" + FLOAT_MIN + ", " + FLOAT_MAX + "]", "float32");
        rejects("l2", () -> Regularizer.l2(1e-50), "1.0E-50");
        rejects("l1", () -> Regularizer.l1(1e-300), "1.0E-300");
        rejects("l1", () -> Regularizer.l1l2(1e39, 1e-4), "1.0E39");
        assertEquals(1e-4, Regularizer.l2(1e-4).getL2()); // the study's L2
        assertEquals(0.0, Regularizer.l1l2(0, 1e-4).getL1());
    }

    // ---- fix-6: a trainer geometry that does not match the data's feature names is an error ----

    @Test
    void trainerGeometryThatDoesNotMatchTheFeatureNamesIsRejected() {
        Dataset<Label> data = images8x8(40);
        Augmentation aug = Augmentation.builder().rotationRange(10).build();
        // 8x8x1 data (names padded to 2 digits) declared as RGB: before the fix the pixels were silently scattered
        MLPTrainer rgb = MLPTrainerTest.small().epochs(1).augmentation(aug, ImageGeometry.of(8, 8, 3)).build();
        failsClearly(() -> rgb.train(data), "8x8x3", "192 values", "padded to 2 digits", "padded to 3 digits",
                "does not match");
        MLPTrainer larger = MLPTrainerTest.small().epochs(1).augmentation(aug, ImageGeometry.of(40, 40, 1)).build();
        failsClearly(() -> larger.train(data), "40x40x1", "1600 values", "padded to 4 digits", "does not match");
        // the matching geometry trains
        MLPModel ok = MLPTrainerTest.small().epochs(1).augmentation(aug, ImageGeometry.of(8, 8, 1)).build().train(data);
        assertEquals(StopReason.COMPLETED, ok.getHistory().getStopReason());
    }

    @Test
    void declaredGeometryWithoutAugmentationIsCheckedAndRecordedInTheModel() {
        Dataset<Label> data = images8x8(40);
        MLPTrainer wrong = MLPTrainerTest.small().epochs(1).imageGeometry(ImageGeometry.of(40, 40, 1)).build();
        failsClearly(() -> wrong.train(data), "40x40x1", "padded to 4 digits", "does not match");
        MLPModel model = MLPTrainerTest.small().epochs(1).imageGeometry(ImageGeometry.of(8, 8, 1)).build().train(data);
        assertEquals(ImageGeometry.of(8, 8, 1), model.getImageGeometry());
        assertEquals(ImageGeometry.of(8, 8, 1), ((MLPModel) Model.deserialize(model.serialize())).getImageGeometry(),
                "kept through protobuf serialization");
        assertEquals(null, MLPTrainerTest.small().epochs(1).build().train(data).getImageGeometry(), "none declared");
        // augmentation still needs one; declaring none afterwards is refused
        Augmentation aug = Augmentation.builder().rotationRange(10).build();
        PropertyException e = assertThrows(PropertyException.class,
                () -> MLPTrainerTest.small().augmentation(aug, ImageGeometry.of(8, 8, 1)).imageGeometry(null));
        assertEquals("imageGeometry", e.getProperty());
    }

    @Test
    void aFirstEpochThatChangesNothingIsLoggedAsAWarning() {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(MLPTrainer.class.getName());
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel() == Level.WARNING && !r.getMessage().startsWith(FEW_STEPS)) { // tested on its own
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level previous = log.getLevel();
        log.addHandler(handler);
        log.setLevel(Level.WARNING);
        try {
            // a representable learning rate whose steps are far below the weights' float32 resolution
            MLPTrainerTest.small().optimiser(new SGD(1e-20, 0, false)).epochs(2).build().train(MLPTrainerTest.checkerboard(64, 1));
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("the first epoch changed no kernel weight; the learning rate 1.0E-20 may be too small"),
                    warnings.get(0));
            warnings.clear();
            MLPTrainerTest.small().epochs(1).build().train(MLPTrainerTest.checkerboard(64, 1));
            assertEquals(List.of(), warnings, "a normal run warns of nothing");
        } finally {
            log.removeHandler(handler);
            log.setLevel(previous);
        }
    }

    @Test
    void pixelIndicesRejectNamesPaddedForAnotherSize() {
        ImmutableFeatureMap fmap = images8x8(2).getFeatureIDMap();
        failsClearly(() -> dev.regula.data.PixelFeatures.indices(ImageGeometry.of(8, 8, 3), fmap), "is padded to 2 digits", "8x8x3", "'000'");
        int[] pixels = dev.regula.data.PixelFeatures.indices(ImageGeometry.of(8, 8, 1), fmap);
        for (VariableInfo info : fmap) {
            assertEquals(Integer.parseInt(info.getName()), pixels[fmap.getID(info.getName())]);
        }
    }

    // ---- fix-7: sizes that overflow an int array: a clear error or Keras semantics, never NegativeArraySizeException ----

    @Test
    void numThreadsIsLimitedAtConfiguration() {
        rejects("numThreads", () -> MLPTrainerTest.small().numThreads(1025).build(), "[0, 1024]", "1025");
        rejects("numThreads", () -> MLPTrainerTest.small().numThreads(1_000_000).build(), "[0, 1024]", "1000000");
        rejects("numThreads", () -> MLPTrainerTest.small().numThreads(Integer.MAX_VALUE).build(), "2147483647");
        // the bounds are accepted (building starts no thread)
        MLPTrainerTest.small().numThreads(1024).build();
        MLPTrainerTest.small().numThreads(0).build();
    }

    @Test
    void minibatchLargerThanTheDataIsOneFullBatch() {
        // Keras semantics: a batch never holds more rows than there are. Before the fix Integer.MAX_VALUE gave
        // NegativeArraySizeException after the data was loaded.
        Dataset<Label> data = MLPTrainerTest.checkerboard(200, 1);
        Network fullBatch = MLPTrainerTest.small().epochs(2).minibatchSize(200).build().train(data).getNetwork();
        for (int size : new int[]{Integer.MAX_VALUE, 50_000_000, 201}) {
            MLPModel m = MLPTrainerTest.small().epochs(2).minibatchSize(size).build().train(data);
            assertEquals(StopReason.COMPLETED, m.getHistory().getStopReason());
            assertTrue(fullBatch.sameParameters(m.getNetwork()), "minibatchSize " + size + " differs from one batch of 200");
        }
    }

    @Test
    void layerWithMoreWeightsThanAnArrayHoldsIsAClearError() {
        Dataset<Label> data = MLPTrainerTest.checkerboard(100, 1); // 2 features, 2 classes
        MLPTrainer huge = MLPTrainer.builder().addLayer(Layer.dense(Integer.MAX_VALUE).build()).epochs(1).seed(1)
                .numThreads(1).build();
        failsClearly(() -> huge.train(data), "2147483647 units on 2 inputs", "4294967294 weights", "2147483639");
        // two hidden layers whose product overflows: rejected before either kernel is allocated
        MLPTrainer wide = MLPTrainer.builder().addLayers(2, Layer.dense(50_000).build()).epochs(1).seed(1)
                .numThreads(1).build();
        failsClearly(() -> wide.train(data), "50000 units on 50000 inputs", "2500000000 weights", "2147483639");
        failsClearly(() -> LayerSpec.dense(50_000, 50_000, Activation.RELU), "2500000000 weights");
    }

    /**
     * A network whose every array fits an int but whose parameters (with their optimiser state and copies) need far
     * more heap than the JVM has: refused from the estimate, before the first weight array is allocated. A
     * billion units on 2 inputs is 5,000,000,002 parameters, about 120 GB; its first kernel alone (8 GB) exceeds
     * this JVM's heap, so without the check the run dies at once of an {@link OutOfMemoryError} instead.
     */
    @Test
    void networkLargerThanTheHeapIsRefusedBeforeAllocating() {
        Dataset<Label> data = MLPTrainerTest.checkerboard(100, 1); // 2 features, 2 classes
        int units = 1_000_000_000;
        long parameters = 2L * units + units + (long) units * 2 + 2;
        long kernelBytes = 4L * 2 * units;
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertTrue(kernelBytes > maxHeap, "this test needs a heap below " + kernelBytes + " bytes, got " + maxHeap);
        MLPTrainer t = MLPTrainer.builder().addLayer(Layer.dense(units).build()).minibatchSize(1).epochs(1).seed(1)
                .numThreads(1).build();
        long start = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.train(data));
        long millis = (System.nanoTime() - start) / 1_000_000;
        String m = e.getMessage();
        // what is asked: the parameter count and the megabytes it needs (at least 24 bytes per parameter)
        assertTrue(m.contains(String.format(java.util.Locale.ROOT, "%,d parameters", parameters)), m);
        java.util.regex.Matcher needs = java.util.regex.Pattern.compile("needs about ([0-9,]+) MB of heap").matcher(m);
        assertTrue(needs.find(), m);
        long neededMb = Long.parseLong(needs.group(1).replace(",", ""));
        assertTrue(neededMb >= parameters * 24 >> 20, m);
        // what is available: no more than the JVM's maximum heap
        java.util.regex.Matcher available = java.util.regex.Pattern.compile("about ([0-9,]+) MB are available").matcher(m);
        assertTrue(available.find(), m);
        long availableMb = Long.parseLong(available.group(1).replace(",", ""));
        assertTrue(availableMb <= maxHeap >> 20 && availableMb < neededMb, m);
        // the remedy
        assertTrue(m.contains("fewer or narrower layers") && m.contains("smaller minibatchSize") && m.contains("-Xmx"), m);
        // refused from the estimate, not after filling gigabytes of weights
        assertTrue(java.util.Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getMethodName().equals("checkMemory")),
                "refused by RunChecks.checkMemory");
        assertTrue(java.util.Arrays.stream(e.getStackTrace()).noneMatch(f -> f.getClassName().endsWith(".Network")),
                "no network was initialised");
        assertTrue(millis < 10_000, "refused in " + millis + " ms");
    }

    @Test
    void minibatchThatOverflowsALayerBufferIsAClearError() {
        // 2200 rows of 2 features through 1,000,000 units: one batch of the whole data needs 2.2e9 activations.
        Dataset<Label> data = MLPTrainerTest.checkerboard(2200, 1);
        MLPTrainer t = MLPTrainer.builder().addLayer(Layer.dense(1_000_000).build()).minibatchSize(Integer.MAX_VALUE)
                .epochs(1).seed(1).numThreads(1).build();
        failsClearly(() -> t.train(data), "2200 rows", "1000000 units", "minibatchSize");
        // and directly
        Network net = Network.initialise(0, List.of(LayerSpec.dense(4, 2, Activation.LINEAR)),
                WeightInit.GLOROT_UNIFORM, new SplittableRandom(1));
        Updater updater = new Adam().createUpdater(NetworkTrainer.parameterSizes(net));
        failsClearly(() -> new NetworkTrainer(net, Integer.MAX_VALUE, Backends.get(1), updater,
                SoftmaxCrossEntropy.INSTANCE, new SplittableRandom(2)),
                "2147483647 rows", "4 inputs", "minibatchSize");
    }
}
