package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import dev.regula.augment.Augmentation;
import dev.regula.augment.InputTransform;
import dev.regula.augment.Standardization;
import dev.regula.data.EmbeddedData;
import dev.regula.data.ImageGeometry;
import dev.regula.data.RescalingDataSource;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.nn.Backends;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.test.Helpers;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-epoch augmentation and standardization/ZCA inside the model, on real Fashion-MNIST images.
 */
class ImageTrainingTest {
    private static Dataset<Label> train;
    private static Dataset<Label> test;
    private static final ImageGeometry GEOMETRY = ImageGeometry.of(28, 28, 1);

    @BeforeAll
    static void load() throws Exception {
        Logger.getLogger(MLPTrainer.class.getName()).setLevel(Level.WARNING);
        Dataset<Label> all = new MutableDataset<>(RescalingDataSource.of(EmbeddedData.trainSource(), 1.0 / 255));
        MutableDataset<Label> tr = new MutableDataset<>(all.getProvenance(), new LabelFactory());
        MutableDataset<Label> te = new MutableDataset<>(all.getProvenance(), new LabelFactory());
        for (int i = 0; i < 1500; i++) {
            (i < 1200 ? tr : te).add(all.getExample(i));
        }
        train = tr;
        test = te;
    }

    static MLPTrainer.Builder net() {
        return MLPTrainerTest.bare().addLayers(2, Layer.dense(64).build()).optimiser(new Adam()).epochs(3)
                .minibatchSize(64).seed(3).numThreads(1);
    }

    @Test
    void whitenedModelPredictsOnRawExamples() {
        MLPModel baked = net().standardization(Standardization.builder().zcaWhitening(true).build()).build().train(train);
        InputTransform t = baked.getInputTransform();
        assertNotNull(t);
        assertEquals(train.getFeatureIDMap().size(), t.getDimension());
        // the same network without the transform, fed examples whitened by hand
        MLPModel plain = new MLPModel("plain", baked.getProvenance(), baked.getFeatureIDMap(), baked.getOutputIDInfo(),
                null, baked.getNetwork(), baked.getHistory());
        MutableDataset<Label> whitened = whiten(test, baked.getFeatureIDMap(), t);
        List<Prediction<Label>> raw = baked.predict(test);
        List<Prediction<Label>> pre = plain.predict(whitened);
        assertTrue(Helpers.predictionListDistributionEquals(raw, pre, 1e-6));
        // and the baked transform survives both serialization formats
        Helpers.testModelProtoSerialization(baked, Label.class, test, 0.0);
        Helpers.testModelSerialization(baked, Label.class);
        assertEquals(t, ((MLPModel) Model.deserialize(baked.serialize())).getInputTransform());
    }

    /** Whitens every example in one batch with the model's own backend, then wraps the values as dense examples. */
    private static MutableDataset<Label> whiten(Dataset<Label> data, ImmutableFeatureMap fmap, InputTransform t) {
        int d = fmap.size();
        int n = data.size();
        String[] names = new String[d];
        for (VariableInfo v : fmap) {
            names[fmap.getID(v.getName())] = v.getName();
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int row = i;
            data.getExample(i).forEach(f -> {
                int id = fmap.getID(f.getName());
                if (id >= 0) {
                    x[row * d + id] = (float) f.getValue();
                }
            });
        }
        t.applyRowwise(x, n, Backends.get()); // as the model applies it: each row alone
        MutableDataset<Label> out = new MutableDataset<>(new SimpleDataSourceProvenance("whitened", new LabelFactory()), new LabelFactory());
        for (int i = 0; i < n; i++) {
            double[] values = new double[d];
            for (int j = 0; j < d; j++) {
                values[j] = x[i * d + j];
            }
            out.add(new ArrayExample<>(data.getExample(i).getOutput(), names.clone(), values));
        }
        return out;
    }

    @Test
    void augmentationDrawsFreshTransformsEveryEpochDeterministically() {
        Augmentation aug = Augmentation.builder().rotationRange(15).widthShiftRange(0.1).heightShiftRange(0.1).zoomRange(0.1).build();
        MLPModel a = net().augmentation(aug, GEOMETRY).build().train(train);
        MLPModel b = net().augmentation(aug, GEOMETRY).build().train(train);
        MLPModel none = net().build().train(train);
        assertTrue(a.getNetwork().sameParameters(b.getNetwork()));
        assertFalse(a.getNetwork().sameParameters(none.getNetwork()));
        assertNull(a.getInputTransform());
        // augmented training still learns the task
        double acc = new org.tribuo.classification.evaluation.LabelEvaluator().evaluate(a, test).accuracy();
        assertTrue(acc > 0.5, "accuracy with augmentation " + acc);
        // an identity augmentation changes nothing
        MLPModel identity = net().augmentation(Augmentation.none(), GEOMETRY).build().train(train);
        assertTrue(identity.getNetwork().sameParameters(none.getNetwork()));
    }

    @Test
    void augmentationWithZcaRetrainsFromProvenance() {
        MLPTrainer trainer = net().epochs(2).validationFraction(0.2)
                .augmentation(Augmentation.builder().rotationRange(10).horizontalFlip(true).build(), GEOMETRY)
                .standardization(Standardization.builder().zcaWhitening(true).build())
                .earlyStopping(EarlyStopping.monitoring("val_accuracy").patience(2).build()).build();
        ConfigurableDataSource<Label> source = RescalingDataSource.of(embeddedTrain(), 1.0 / 255);
        MLPModel model = trainer.train(new MutableDataset<>(source));
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(model.getProvenance()));
        MLPTrainer rebuilt = (MLPTrainer) cm.lookup(cm.listAll(Trainer.class).get(0));
        assertNotNull(rebuilt.getAugmentation());
        assertNotNull(rebuilt.getStandardization());
        RescalingDataSource rebuiltSource = (RescalingDataSource) cm.lookup(cm.listAll(RescalingDataSource.class).get(0));
        MLPModel again = rebuilt.train(new MutableDataset<>(rebuiltSource), Map.of(), 0);
        assertTrue(model.getNetwork().sameParameters(again.getNetwork()));
        assertEquals(model.getInputTransform(), again.getInputTransform());
    }

    private static ConfigurableDataSource<Label> embeddedTrain() {
        try {
            return EmbeddedData.testSource(); // 2,000 images: enough here and quicker than the 10,000 training ones
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void geometryMustMatchTheFeatures(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        MLPTrainer wrong = net().augmentation(Augmentation.builder().rotationRange(5).build(), ImageGeometry.of(20, 20, 1)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> wrong.train(train));
        assertTrue(e.getMessage().contains("outside image geometry 20x20x1"), e.getMessage());
        // augmentation configured without a geometry is rejected at configuration time
        String xml = "<config><component name=\"t\" type=\"dev.regula.mlp.MLPTrainer\">"
                + "<property name=\"augmentation\" value=\"aug\"/></component>"
                + "<component name=\"aug\" type=\"dev.regula.augment.Augmentation\">"
                + "<property name=\"rotationRange\" value=\"5\"/></component></config>";
        java.nio.file.Path file = dir.resolve("t.xml");
        java.nio.file.Files.writeString(file, xml);
        ConfigurationManager cm = new ConfigurationManager(file.toString());
        com.oracle.labs.mlrg.olcut.config.PropertyException pe = assertThrows(
                com.oracle.labs.mlrg.olcut.config.PropertyException.class, () -> cm.lookup("t"));
        assertEquals("imageGeometry", pe.getProperty());
    }
}
