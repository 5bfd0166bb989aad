package dev.regula.mlp;

import dev.regula.augment.Standardization;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.nn.Activation;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.example.LabelledDataGenerator;
import org.tribuo.test.Helpers;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model serialized by version 0 of the format is checked in ({@code mlp-model-v0.tribuo}); it must keep loading
 * and predicting like a freshly trained model of the same configuration. Regenerate it with
 * {@code main} only when the format version changes (and keep the old file).
 */
class SerializedModelFixtureTest {
    static final String FIXTURE = "mlp-model-v0.tribuo";

    static MLPModel generateModel() {
        Dataset<Label> train = LabelledDataGenerator.denseTrainTest().getA();
        MLPTrainer trainer = MLPTrainer.builder()
                .addLayer(Layer.dense(12).activation(Activation.TANH).kernelRegularizer(Regularizer.l2(1e-3)).dropout(0.1).build())
                .standardization(Standardization.builder().featurewiseCenter(true).featurewiseStdNormalization(true).build())
                .earlyStopping(EarlyStopping.monitoring("val_accuracy").patience(3).restoreBestWeights(true).build())
                .validationFraction(0.25).optimiser(new Adam(0.01)).epochs(8).minibatchSize(4).seed(17).numThreads(1).build();
        return trainer.train(train);
    }

    @Test
    void loadsTheCheckedInModel() throws Exception {
        Path path = Paths.get(SerializedModelFixtureTest.class.getResource(FIXTURE).toURI());
        Model<?> loaded = Model.deserializeFromFile(path);
        assertTrue(loaded.validate(Label.class));
        MLPModel model = (MLPModel) loaded;
        assertNotNull(model.getInputTransform());
        assertEquals("val_accuracy", model.getHistory().getMonitor());
        assertEquals(8, model.getHistory().getEpochsConfigured());
        Dataset<Label> test = LabelledDataGenerator.denseTrainTest().getB();
        List<Prediction<Label>> expected = generateModel().predict(test);
        List<Prediction<Label>> actual = model.predict(test);
        assertTrue(Helpers.predictionListDistributionEquals(expected, actual, 1e-5));
    }

    /**
     * Writes the fixture.
     * @param args the output path.
     * @throws Exception if writing fails.
     */
    public static void main(String[] args) throws Exception {
        generateModel().serializeToFile(Paths.get(args[0]));
    }
}
