package dev.regula.mlp;

import com.google.protobuf.Any;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.mlp.optimisers.SGD;
import dev.regula.mlp.protos.DenseLayerProto;
import dev.regula.mlp.protos.MLPModelProto;
import dev.regula.testing.FriedmanDataSource;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.Regressor;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finite or nothing: training never ends in a model with non-finite weights reported as a success, predictions
 * on inputs that overflow float32 are refused, and model files are checked (checksum, finite weights) at load.
 */
class FiniteOrNothingTest {
    /** The under-training warning, which the small runs here draw besides the ones under test. */
    private static final String FEW_STEPS = "this run takes at most";

    private static Dataset<Label> scaled(double scale) {
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("scaled", new LabelFactory()),
                new LabelFactory());
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            double a = rng.nextDouble() - 0.5;
            double b = rng.nextDouble() - 0.5;
            d.add(new ArrayExample<>(new Label(a * b > 0 ? "same" : "differ"), new String[]{"a", "b"},
                    new double[]{a * scale, b * scale}));
        }
        return d;
    }

    private static String rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    private static MLPTrainer.Builder net() {
        return MLPTrainerTest.bare().addLayer(Layer.dense(16).build()).optimiser(new Adam(0.01)).epochs(3)
                .minibatchSize(32).seed(1).numThreads(1);
    }

    @Test
    void inputsThatOverflowFloat32ProductsDivergeWithTheRightAdvice() {
        Logger.getLogger(MLPTrainer.class.getName()).setLevel(Level.SEVERE);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> net().build().train(scaled(1e30)));
        assertTrue(e.getMessage().contains("Training diverged"), e.getMessage());
        assertTrue(e.getMessage().contains("the training inputs reach |x| = 5.00e+29"), e.getMessage());
        assertTrue(e.getMessage().contains("standardize them"), e.getMessage());
        IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class, () -> net().build().train(scaled(1e39)));
        assertTrue(beyond.getMessage().contains("beyond float32's range"), beyond.getMessage());
    }

    @Test
    void anOverflowingPenaltyIsNeverASavedSuccess() {
        Logger.getLogger(MLPTrainer.class.getName()).setLevel(Level.SEVERE);
        MLPTrainer t = net().addLayer(Layer.dense(16).kernelRegularizer(Regularizer.l2(1e38)).build()).validationFraction(0.3)
                .earlyStopping(EarlyStopping.monitoring("val_loss").patience(2).restoreBestWeights(true).build()).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.train(scaled(1)));
        assertTrue(e.getMessage().contains("No finite model to keep"), e.getMessage());
        assertTrue(e.getMessage().contains("smaller penalties"), e.getMessage());
    }

    @Test
    void predictionsThatOverflowAreRefusedNamingTheExample() {
        MutableDataset<Label> huge = new MutableDataset<>(new SimpleDataSourceProvenance("huge", new LabelFactory()),
                new LabelFactory());
        huge.add(new ArrayExample<>(new Label("same"), new String[]{"a", "b"}, new double[]{0.1, 0.2}));
        huge.add(new ArrayExample<>(new Label("same"), new String[]{"a", "b"}, new double[]{3e38, -3e38}));
        MLPModel deep = net().addLayers(3, Layer.dense(64).build()).build().train(scaled(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> deep.predict(huge));
        assertTrue(e.getMessage().startsWith("example 1: the network's output is"), e.getMessage());
        MLPModel standardized = net().standardization(dev.regula.augment.Standardization.builder()
                .featurewiseStdNormalization(true).build()).build().train(scaled(1));
        e = assertThrows(IllegalArgumentException.class, () -> standardized.predict(huge));
        assertTrue(e.getMessage().contains("example 1 has value"), e.getMessage());
        assertTrue(e.getMessage().contains("after the model's input transform"), e.getMessage());
    }

    @Test
    void aGrowingLossIsWarnedAbout() {
        Logger log = Logger.getLogger(MLPRegressionTrainer.class.getName());
        List<String> warnings = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
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
        log.addHandler(h);
        try {
            Dataset<Regressor> data = new MutableDataset<>(FriedmanDataSource.of(200, 1.0, 1));
            // full-batch SGD at 1.0: the loss goes 1.18, 1.10, 15.0, 49.14, 49.144, 49.148 … finite but growing
            MLPRegressionTrainer.builder().addLayer(Layer.dense(16).build()).optimiser(new SGD(1.0, 0, false))
                    .epochs(6).minibatchSize(200).seed(1).numThreads(1).build().train(data);
        } catch (IllegalStateException diverged) {
            // a full divergence is fine too: the warning must have come before it
        } finally {
            log.removeHandler(h);
        }
        assertTrue(warnings.stream().anyMatch(w -> w.contains("the training loss has grown for 3 epochs in a row")),
                warnings.toString());
    }

    @Test
    void unscaledFeaturesAreWarnedAboutUnlessStandardized() {
        Logger log = Logger.getLogger(MLPTrainer.class.getName());
        List<String> warnings = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
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
        Level before = log.getLevel();
        log.setLevel(Level.WARNING);
        log.addHandler(h);
        try {
            net().build().train(scaled(1));
            assertEquals(List.of(), warnings, "features in [-0.5, 0.5] draw no warning");
            net().build().train(scaled(1000));
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("networks train poorly on unscaled features"), warnings.get(0));
            assertTrue(warnings.get(0).contains("standardization(MLPTrainerBuilder.featurewiseStandardization())"), warnings.get(0));
            warnings.clear();
            net().standardization(dev.regula.augment.Standardization.builder().featurewiseStdNormalization(true).build())
                    .build().train(scaled(1000));
            assertEquals(List.of(), warnings, "standardized features draw no warning");
        } finally {
            log.removeHandler(h);
            log.setLevel(before);
        }
    }

    @Test
    void damagedOrNonFiniteModelFilesAreRefusedAtLoad() throws Exception {
        MLPModel m = net().build().train(scaled(1));
        byte[] bytes = m.serialize().toByteArray();
        int refused = 0;
        for (int k = 1; k <= 40; k++) {
            byte[] flipped = bytes.clone();
            int pos = (int) ((long) bytes.length * k / 41);
            flipped[pos] ^= 0x10;
            try {
                Model.deserialize(ModelProto.parseFrom(flipped));
            } catch (RuntimeException | com.google.protobuf.InvalidProtocolBufferException e) {
                refused++;
            }
        }
        assertEquals(40, refused, "every single-byte flip is refused at load");
        // a checksum that matches non-finite weights: the weights themselves are checked
        MLPModelProto body = m.serialize().getSerializedData().unpack(MLPModelProto.class);
        DenseLayerProto layer = body.getLayers(0).toBuilder().setKernel(0, Float.NaN).build();
        ModelProto nan = ModelCodec.wrap(body.toBuilder().setLayers(0, layer), MLPModel.class);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Model.deserialize(nan));
        assertTrue(rootCause(e).contains("non-finite weights"), rootCause(e));
        // the checksum names what it found
        ModelProto tampered = m.serialize().toBuilder().setSerializedData(Any.pack(body.toBuilder()
                .setLayers(0, body.getLayers(0).toBuilder().setKernel(0, 0.5f)).build())).build();
        e = assertThrows(IllegalStateException.class, () -> Model.deserialize(tampered));
        assertTrue(rootCause(e).contains("is corrupt: its SHA-256 checksum"), rootCause(e));
    }
}
