package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.mlp.schedules.CosineDecay;
import dev.regula.mlp.schedules.ExponentialDecay;
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

    @Test
    void cosineDecayAndStepDecayFollowTheirClosedForms() {
        CosineDecay cosine = CosineDecay.overSteps(10).alpha(0.1).build();
        for (long t = 0; t <= 25; t++) {
            double expected = 2.0 * (0.9 * 0.5 * (1 + Math.cos(Math.PI * Math.min(t, 10) / 10.0)) + 0.1);
            assertEquals(expected, cosine.learningRate(t, 2.0), 1e-15, "step " + t);
        }
        assertEquals(2.0, cosine.learningRate(0, 2.0), 1e-15);
        assertEquals(2.0 * 0.55, cosine.learningRate(5, 2.0), 1e-15, "halfway: (1 + α) / 2");
        assertEquals(0.2, cosine.learningRate(10, 2.0), 1e-15, "the end: α·η₀, and it stays");
        CosineDecay warm = CosineDecay.overSteps(10).warmup(4, 1.0).build();
        double[] expected = {0.1, 0.325, 0.55, 0.775, 1.0};
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t], warm.learningRate(t, 0.1), 1e-15, "linear warm-up from η₀ = 0.1 to 1, step " + t);
        }
        assertEquals(0.5, warm.learningRate(9, 0.1), 1e-15, "half the decay after the warm-up");
        assertEquals(0.0, warm.learningRate(14, 0.1), 1e-15, "alpha 0: the rate ends at 0");
        assertEquals(0.0, warm.learningRate(100, 0.1), 1e-15);

        ExponentialDecay step = ExponentialDecay.stepDecay(3, 0.5);
        double[] steps = {1, 1, 1, 0.5, 0.5, 0.5, 0.25};
        for (int t = 0; t < steps.length; t++) {
            assertEquals(steps[t], step.learningRate(t, 1.0), 1e-15, "step decay, step " + t);
        }
        ExponentialDecay smooth = ExponentialDecay.smooth(3, 0.5);
        assertEquals(Math.pow(0.5, 1 / 3.0), smooth.learningRate(1, 1.0), 1e-15);
        assertEquals(0.5, smooth.learningRate(3, 1.0), 1e-15);

        rejects("decaySteps", () -> CosineDecay.overSteps(0).build(), ">= 1");
        rejects("alpha", () -> CosineDecay.overSteps(5).alpha(1.5).build(), "[0, 1]");
        rejects("warmupSteps", () -> CosineDecay.overSteps(5).warmup(-1, 1e-3).build(), "-1");
        rejects("warmupTarget", () -> CosineDecay.overSteps(5).warmup(3, 0).build());
        rejects("warmupTarget", () -> CosineDecay.overSteps(5).warmup(0, 1e-2).build(), "end before it starts");
        rejects("decayRate", () -> ExponentialDecay.stepDecay(3, 0), "decayRate");
        rejects("decaySteps", () -> ExponentialDecay.smooth(0, 0.5), ">= 1");
    }

    @Test
    void theHistoryRecordsTheScheduledRateOfEachEpochsLastStep() {
        CosineDecay schedule = CosineDecay.overSteps(20).warmup(7, 0.02).build();
        MLPTrainer trainer = small().learningRateSchedule(schedule).epochs(6).build();
        MLPModel model = train(trainer);
        int stepsPerEpoch = (300 + 31) / 32;
        for (EpochRecord r : model.getHistory().getEpochs()) {
            long lastStep = (long) r.epoch() * stepsPerEpoch - 1;
            assertEquals(schedule.learningRate(lastStep, 0.01), r.learningRate(), 1e-12, "epoch " + r.epoch());
        }
        assertTrue(model.getProvenance().getTrainerProvenance().getConfiguredParameters().containsKey("learningRateSchedule"));
        retrainsBitForBit(model);
        assertFalse(train(small().epochs(6).build()).getNetwork().sameParameters(model.getNetwork()), "the schedule acts");
        retrainsBitForBit(train(small().learningRateSchedule(ExponentialDecay.stepDecay(10, 0.5)).build()));
    }

    @Test
    void reduceLROnPlateauFollowsKerasOnAScriptedMonitor() {
        // Keras 3 ReduceLROnPlateau(factor=0.5, patience=2, cooldown=1, min_delta=0, min_lr=0.1), mode min, worked by
        // hand from its on_epoch_end: the rate of the next epoch after each of 14 epochs
        ReduceLROnPlateau r = ReduceLROnPlateau.monitoring("val_loss").factor(0.5).patience(2).cooldown(1)
                .minDelta(0).minLr(0.1).build();
        double[] values = {1.0, 1.0, 1.0, 1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95};
        double[] rates = {1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.125, 0.125, 0.1, 0.1, 0.1, 0.1};
        ReduceLROnPlateau.Tracker t = r.newTracker();
        double rate = 1;
        for (int e = 0; e < values.length; e++) {
            rate = t.update(values[e], rate);
            assertEquals(rates[e], rate, 1e-15, "after epoch " + (e + 1));
        }
        assertEquals(3, t.getWait(), "at min_lr the wait keeps growing (Keras does not reset it)");
        // mode max (AUTO for an accuracy), min_delta strict, a NaN never improves
        ReduceLROnPlateau acc = ReduceLROnPlateau.monitoring("val_accuracy").factor(0.1).patience(1).minDelta(0.01).build();
        ReduceLROnPlateau.Tracker ta = acc.newTracker();
        assertEquals(1.0, ta.update(0.5, 1.0), "the first value improves on -inf");
        assertEquals(1.0, ta.update(0.52, 1.0), 1e-15, "+0.02 > min_delta improves");
        assertEquals(0.1, ta.update(0.53, 1.0), 1e-15, "+0.01 is not more than min_delta: patience 1 is reached");
        assertEquals(0.1, ta.update(Double.NaN, 0.1) * 10, 1e-15, "NaN: no improvement, reduce again");

        rejects("factor", () -> ReduceLROnPlateau.monitoring("val_loss").factor(1.0).build(), "(0, 1)");
        rejects("factor", () -> ReduceLROnPlateau.monitoring("val_loss").factor(0).build(), "(0, 1)");
        rejects("patience", () -> ReduceLROnPlateau.monitoring("val_loss").patience(-1).build(), "-1");
        rejects("cooldown", () -> ReduceLROnPlateau.monitoring("val_loss").cooldown(-2).build(), "-2");
        rejects("minLr", () -> ReduceLROnPlateau.monitoring("val_loss").minLr(-1e-3).build(), "-0.001");
        rejects("minDelta", () -> ReduceLROnPlateau.monitoring("val_loss").minDelta(Double.NaN).build(), "NaN");
        rejects("monitor", () -> ReduceLROnPlateau.monitoring("val_acc").build(), "val_accuracy");
        rejects("reduceLROnPlateau", () -> small().learningRateSchedule(ExponentialDecay.stepDecay(3, 0.5))
                .reduceLROnPlateau(ReduceLROnPlateau.monitoring("loss").build()).build(), "schedule");
        rejects("reduceLROnPlateau", () -> MLPRegressionTrainer.builder()
                .reduceLROnPlateau(ReduceLROnPlateau.monitoring("val_accuracy").build()).build(), "does not compute");
        dev.regula.testing.ErrorAssertions.failsClearly(() -> train(small()
                .reduceLROnPlateau(ReduceLROnPlateau.monitoring("val_loss").build()).build()),
                "ReduceLROnPlateau monitors 'val_loss'", "validationFraction");
    }

    @Test
    void earlyStoppingAndReduceLROnPlateauSeeTheSameEpochValues() {
        // Keras: both callbacks get the same logs at each epoch end; the reduced rate applies from the next epoch
        EarlyStopping stop = EarlyStopping.monitoring("val_loss").patience(4).build();
        ReduceLROnPlateau reduce = ReduceLROnPlateau.monitoring("val_loss").factor(0.5).patience(1).minDelta(0).build();
        MLPTrainer trainer = small().optimiser(new Adam(0.05)).epochs(40).validationFraction(0.3)
                .earlyStopping(stop).reduceLROnPlateau(reduce).build();
        MLPModel model = train(trainer);
        List<EpochRecord> epochs = model.getHistory().getEpochs();
        ReduceLROnPlateau.Tracker replayReduce = reduce.newTracker();
        EarlyStopping.Tracker replayStop = stop.newTracker();
        double rate = 0.05;
        int reductions = 0;
        EarlyStopping.Decision last = null;
        for (EpochRecord r : epochs) {
            assertEquals(rate, r.learningRate(), 1e-15, "epoch " + r.epoch() + " trains with the rate set after the last");
            assertEquals(r.valLoss(), r.monitorValue(), "early stopping sees val_loss");
            last = replayStop.update(r.epoch(), r.valLoss());
            double next = replayReduce.update(r.valLoss(), rate);
            reductions += next < rate ? 1 : 0;
            rate = next;
        }
        assertTrue(reductions >= 1, "the rate was reduced at least once: " + epochs);
        if (model.getHistory().getStopReason() == StopReason.EARLY_STOPPED) {
            assertEquals(EarlyStopping.Decision.STOP, last, "early stopping stopped where its replay stops");
        }
        assertTrue(model.getProvenance().getTrainerProvenance().getConfiguredParameters().containsKey("reduceLROnPlateau"));
        retrainsBitForBit(model);
    }

    @Test
    void randomErasing() throws Exception {
        org.tribuo.DataSource<Label> images = dev.regula.data.RescalingDataSource.of(dev.regula.data.EmbeddedData.testSource(), 1.0 / 255);
        dev.regula.data.ImageGeometry g = dev.regula.data.EmbeddedData.geometry();
        dev.regula.augment.RandomErasing erasing = dev.regula.augment.RandomErasing.builder().probability(0.7).build();
        MLPTrainer.Builder erased = small().epochs(2).minibatchSize(64).randomErasing(erasing, g);
        MLPModel model = erased.build().train(new MutableDataset<>(images));
        retrainsBitForBit(model);
        assertTrue(model.getProvenance().toString().contains("RandomErasing"), "in provenance");
        MLPModel plain = small().epochs(2).minibatchSize(64).imageGeometry(g).build().train(new MutableDataset<>(images));
        assertFalse(plain.getNetwork().sameParameters(model.getNetwork()), "erasing changes training");
        MLPModel both = small().epochs(2).minibatchSize(64).randomErasing(erasing, g)
                .augmentation(dev.regula.augment.Augmentation.builder().rotationRange(5).build(), g).build()
                .train(new MutableDataset<>(images));
        retrainsBitForBit(both);
        rejects("imageGeometry", () -> small().randomErasing(erasing, g).imageGeometry(null).build(), "randomErasing");
    }

    @Test
    void mixUp() {
        rejects("mixUpAlpha", () -> small().mixUp(-0.2).build(), "-0.2");
        rejects("mixUpAlpha", () -> small().mixUp(Double.POSITIVE_INFINITY).build(), "Infinity");
        MLPTrainer.Builder mixed = small().mixUp(0.2).labelSmoothing(0.05).validationFraction(0.3);
        MLPModel model = train(mixed.build());
        retrainsBitForBit(model);
        assertEquals(0.2, mixed.build().getMixUpAlpha());
        assertTrue(model.getProvenance().getTrainerProvenance().getConfiguredParameters().containsKey("mixUpAlpha"));
        MLPModel plain = train(small().labelSmoothing(0.05).validationFraction(0.3).build());
        assertFalse(plain.getNetwork().sameParameters(model.getNetwork()), "MixUp changes training");
        Dataset<Label> data = new MutableDataset<>(SOURCE);
        assertTrue(new LabelEvaluator().evaluate(model, data).accuracy() > 0.8, "still learns");
    }
}
