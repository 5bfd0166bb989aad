package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import dev.regula.mlp.optimisers.Adam;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.example.NoisyInterlockingCrescentsDataSource;
import org.tribuo.provenance.ModelProvenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.regula.testing.ErrorAssertions.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The regularization toolbox at the trainer level (issue #20): each technique is validated at configuration
 * time, recorded in provenance, re-trainable from it bit for bit, and changes training.
 */
class ToolboxTest {

    @BeforeAll
    static void quiet() {
        Logger.getLogger(MLPTrainer.class.getName()).setLevel(Level.WARNING);
    }

    static final ConfigurableDataSource<Label> SOURCE = new NoisyInterlockingCrescentsDataSource(300, 11, 0.2);

    static MLPTrainer.Builder small() {
        return MLPTrainer.builder().earlyStopping(null).addLayers(2, Layer.dense(16).build())
                .optimiser(new Adam(0.01)).epochs(5).minibatchSize(32).seed(5).numThreads(1);
    }

    /** Re-creates the trainer and data from the model's provenance alone and asserts the same weights. */
    static void retrainsBitForBit(MLPModel model) {
        ModelProvenance prov = model.getProvenance();
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(prov));
        MLPTrainer rebuilt = (MLPTrainer) cm.lookup(cm.listAll(Trainer.class).get(0));
        @SuppressWarnings("unchecked")
        DataSource<Label> source = (DataSource<Label>) cm.lookup(cm.listAll(ConfigurableDataSource.class).get(0));
        int count = ((IntProvenance) prov.getTrainerProvenance().getInstanceValues().get("train-invocation-count")).getValue();
        MLPModel again = rebuilt.train(new MutableDataset<>(source), Map.of(), count);
        assertTrue(model.getNetwork().sameParameters(again.getNetwork()), "re-trained from provenance: same weights");
        assertEquals(withoutTimes(model.getHistory()), withoutTimes(again.getHistory()), "same history");
    }

    /** The history's records with the wall-clock seconds zeroed. */
    static List<EpochRecord> withoutTimes(TrainingHistory h) {
        List<EpochRecord> out = new ArrayList<>();
        for (EpochRecord r : h.getEpochs()) {
            out.add(new EpochRecord(r.epoch(), r.loss(), r.penalty(), r.accuracy(), r.valLoss(), r.valAccuracy(),
                    r.monitorValue(), r.learningRate(), 0));
        }
        return out;
    }

    static MLPModel train(MLPTrainer trainer) {
        return trainer.train(new MutableDataset<>(SOURCE));
    }

    @Test
    void labelSmoothing() {
        rejects("labelSmoothing", () -> small().labelSmoothing(1.0).build(), "[0, 1)", "1.0");
        rejects("labelSmoothing", () -> small().labelSmoothing(-0.1).build(), "-0.1");
        rejects("labelSmoothing", () -> small().labelSmoothing(Double.NaN).build(), "NaN");

        MLPTrainer smoothed = small().labelSmoothing(0.2).validationFraction(0.3).build();
        assertEquals(0.2, smoothed.getLabelSmoothing());
        MLPModel model = train(smoothed);
        assertTrue(model.getProvenance().getTrainerProvenance().getConfiguredParameters().containsKey("labelSmoothing"));
        retrainsBitForBit(model);
        MLPModel plain = train(small().validationFraction(0.3).build());
        assertFalse(plain.getNetwork().sameParameters(model.getNetwork()), "smoothing changes the gradients");
        // the smoothed loss cannot fall below the entropy of the smoothed target (0.2/2 on the wrong label, 0.9 on
        // the true one: H = −0.9 ln 0.9 − 0.1 ln 0.1 ≈ 0.325), the plain one can approach 0
        double floor = -0.9 * Math.log(0.9) - 0.1 * Math.log(0.1);
        for (EpochRecord r : model.getHistory().getEpochs()) {
            assertTrue(r.crossEntropy() > floor - 1e-6, "training loss " + r.crossEntropy() + " above " + floor);
            assertTrue(r.valLoss() > floor - 1e-6, "validation loss (smoothed, as Keras) " + r.valLoss());
        }
        Dataset<Label> data = new MutableDataset<>(SOURCE);
        assertTrue(new LabelEvaluator().evaluate(model, data).accuracy() > 0.8, "still learns");
    }

    @Test
    void gaussianNoiseAndGaussianDropout() {
        rejects("gaussianNoise", () -> Layer.dense(4).gaussianNoise(-1).build(), "-1");
        rejects("gaussianDropout", () -> Layer.dense(4).gaussianDropout(1).build(), "[0, 1)");
        rejects("inputGaussianNoise", () -> small().inputGaussianNoise(Double.NaN).build(), "NaN");
        rejects("inputGaussianDropout", () -> small().inputGaussianDropout(-0.5).build(), "-0.5");

        MLPTrainer.Builder noisy = small().withoutHiddenLayers()
                .addLayers(2, Layer.dense(16).gaussianNoise(0.1).gaussianDropout(0.2).dropout(0.1).build())
                .inputGaussianNoise(0.05).inputGaussianDropout(0.1);
        MLPModel model = train(noisy.build());
        retrainsBitForBit(model);
        assertTrue(train(noisy.build()).getNetwork().sameParameters(model.getNetwork()), "same seed, same weights");
        MLPModel quiet = train(small().withoutHiddenLayers().addLayers(2, Layer.dense(16).dropout(0.1).build()).build());
        assertFalse(quiet.getNetwork().sameParameters(model.getNetwork()), "the noise changes training");
        for (String field : new String[]{"inputGaussianNoise", "inputGaussianDropout"}) {
            assertTrue(model.getProvenance().getTrainerProvenance().getConfiguredParameters().containsKey(field), field);
        }
        assertTrue(model.getProvenance().toString().contains("gaussianDropout"), "the layers' noise is in provenance");
        Dataset<Label> data = new MutableDataset<>(SOURCE);
        assertTrue(new LabelEvaluator().evaluate(model, data).accuracy() > 0.8, "still learns");
        MLPModel read = (MLPModel) org.tribuo.Model.deserialize(model.serialize());
        assertTrue(read.getNetwork().sameParameters(model.getNetwork()), "protobuf round trip (noise is training-only)");
        // at inference the noise is off: predictions are a deterministic function of the example
        assertEquals(model.predict(data.getExample(0)).getOutputScores().toString(),
                model.predict(data.getExample(0)).getOutputScores().toString());
    }
}
