package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import dev.regula.mlp.EarlyStopping.Decision;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.mlp.optimisers.SGD;
import dev.regula.nn.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.example.NoisyInterlockingCrescentsDataSource;
import org.tribuo.test.Helpers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingTest {

    @BeforeAll
    static void quiet() {
        Logger.getLogger(MLPTrainer.class.getName()).setLevel(Level.WARNING);
    }

    /** Feeds values for epochs 1, 2, … and returns the epoch at which STOP was returned, or 0. */
    private static int stopEpoch(EarlyStopping es, double... values) {
        EarlyStopping.Tracker t = es.newTracker();
        for (int i = 0; i < values.length; i++) {
            if (t.update(i + 1, values[i]) == Decision.STOP) {
                return i + 1;
            }
        }
        return 0;
    }

    @Test
    void patienceCountsEpochsWithoutImprovement() {
        // Keras' test_early_stopping_patience: losses 10, 9, 8, 9, 8.9, 8.8, … stop at epoch index max(patience,1)+2.
        double[] losses = {10, 9, 8, 9, 8.9, 8.8, 8.7, 8.6, 8.5};
        assertEquals(4, stopEpoch(EarlyStopping.monitoring("val_loss").patience(0).build(), losses));
        assertEquals(4, stopEpoch(EarlyStopping.monitoring("val_loss").patience(1).build(), losses));
        assertEquals(5, stopEpoch(EarlyStopping.monitoring("val_loss").patience(2).build(), losses));
        assertEquals(0, stopEpoch(EarlyStopping.monitoring("val_loss").patience(3).build(), 10, 9, 8, 7, 6));
    }

    @Test
    void minDeltaMustBeStrictlyExceeded() {
        EarlyStopping es = EarlyStopping.monitoring("val_accuracy").patience(1).minDelta(0.25).build();
        EarlyStopping.Tracker t = es.newTracker();
        assertEquals(Decision.IMPROVED, t.update(1, 0.5));
        assertEquals(Decision.STOP, t.update(2, 0.75)); // exactly minDelta better: not an improvement
        EarlyStopping.Tracker t2 = es.newTracker();
        t2.update(1, 0.5);
        assertEquals(Decision.IMPROVED, t2.update(2, 0.7501));
        assertEquals(2, t2.getBestEpoch());
    }

    @Test
    void modeAutoFollowsTheMonitor() {
        assertFalse(EarlyStopping.monitoring("val_loss").build().isMaximising());
        assertTrue(EarlyStopping.monitoring("val_accuracy").build().isMaximising());
        assertTrue(EarlyStopping.monitoring("val_macro_f1").build().isMaximising());
        assertFalse(EarlyStopping.monitoring("val_balanced_error_rate").build().isMaximising());
        assertTrue(EarlyStopping.monitoring("val_loss").mode(EarlyStopping.Mode.MAX).build().isMaximising());
        // rising values: an accuracy improves, a loss does not
        assertEquals(0, stopEpoch(EarlyStopping.monitoring("val_accuracy").patience(1).build(), 0.1, 0.2, 0.3, 0.4));
        assertEquals(2, stopEpoch(EarlyStopping.monitoring("val_loss").patience(1).build(), 0.1, 0.2, 0.3, 0.4));
    }

    @Test
    void baselineNeverBeatenStopsAfterPatience() {
        EarlyStopping es = EarlyStopping.monitoring("val_accuracy").patience(3).baseline(0.9).build();
        EarlyStopping.Tracker t = es.newTracker();
        // improving, but never above the baseline: the counter is never reset (Keras still returns early on an
        // improvement), so the first non-improving epoch after `patience` epochs stops training
        assertEquals(Decision.IMPROVED, t.update(1, 0.5));
        assertEquals(Decision.IMPROVED, t.update(2, 0.6));
        assertEquals(Decision.IMPROVED, t.update(3, 0.7));
        assertEquals(Decision.STOP, t.update(4, 0.65));
        assertEquals(3, t.getBestEpoch());
        // a flat value below the baseline trains exactly `patience` epochs (Keras' test_early_stopping_baseline)
        assertEquals(3, stopEpoch(es, 0.5, 0.5, 0.5, 0.5, 0.5));
        // beating the baseline resets the counter
        assertEquals(0, stopEpoch(es, 0.95, 0.96, 0.97, 0.98));
    }

    @Test
    void startFromEpochIgnoresWarmUp() {
        EarlyStopping es = EarlyStopping.monitoring("val_loss").patience(1).startFromEpoch(3).build();
        EarlyStopping.Tracker t = es.newTracker();
        assertEquals(Decision.IGNORED, t.update(1, 1.0));
        assertEquals(Decision.IGNORED, t.update(2, 0.1));
        assertEquals(Decision.IGNORED, t.update(3, 5.0));
        assertEquals(Decision.IMPROVED, t.update(4, 2.0)); // first counted epoch is the best so far, despite epoch 2
        assertEquals(Decision.STOP, t.update(5, 3.0));
        assertEquals(4, t.getBestEpoch());
    }

    @Test
    void unknownMonitorsAreRejectedWithTheValidNames(@TempDir Path dir) throws Exception {
        PropertyException e = assertThrows(PropertyException.class, () -> EarlyStopping.monitoring("val_err"));
        assertEquals("monitor", e.getProperty());
        assertTrue(e.getMessage().contains("val_accuracy") && e.getMessage().contains("no error metric"), e.getMessage());
        PropertyException acc = assertThrows(PropertyException.class, () -> EarlyStopping.monitoring("val_acc"));
        assertTrue(acc.getMessage().contains("Did you mean 'val_accuracy'"), acc.getMessage());
        // the same check through OLCUT configuration
        String xml = "<config><component name=\"es\" type=\"dev.regula.mlp.EarlyStopping\">"
                + "<property name=\"monitor\" value=\"val_err\"/></component></config>";
        Path file = dir.resolve("es.xml");
        Files.writeString(file, xml);
        ConfigurationManager cm = new ConfigurationManager(file.toString());
        PropertyException pe = assertThrows(PropertyException.class, () -> cm.lookup("es"));
        assertEquals("monitor", pe.getProperty());
    }

    @Test
    void validationMonitorWithoutValidationDataIsAnError() {
        MLPTrainer t = MLPTrainerTest.bare().epochs(2).earlyStopping(EarlyStopping.monitoring("val_loss").build()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.train(crescents(100, 1)));
        assertTrue(e.getMessage().contains("no validation data"), e.getMessage());
        // a training-side monitor needs none
        MLPModel m = MLPTrainerTest.bare().epochs(3).numThreads(1).earlyStopping(EarlyStopping.monitoring("loss").build())
                .build().train(crescents(100, 1));
        assertEquals("loss", m.getHistory().getMonitor());
    }

    static Dataset<Label> crescents(int n, long seed) {
        return new MutableDataset<>(new NoisyInterlockingCrescentsDataSource(n, seed, 0.3));
    }

    static MLPTrainer.Builder overfitting(int epochs) {
        return MLPTrainerTest.bare().addLayers(2, Layer.dense(64).build()).optimiser(new Adam(0.02)).epochs(epochs)
                .minibatchSize(16).seed(5).numThreads(1).validationFraction(0.5);
    }

    @Test
    void overLongRunStopsAndRestoresTheBestEpoch() {
        Dataset<Label> data = crescents(120, 3);
        MLPModel stopped = overfitting(200).earlyStopping(EarlyStopping.monitoring("val_loss").patience(3)
                .restoreBestWeights(true).build()).build().train(data);
        TrainingHistory h = stopped.getHistory();
        assertEquals(StopReason.EARLY_STOPPED, h.getStopReason());
        assertTrue(h.getEpochsRun() < 200, "ran " + h.getEpochsRun());
        assertEquals(h.getBestEpoch() + 3, h.getEpochsRun());
        assertTrue(h.isRestoredBestWeights());
        // the restored weights are exactly those of a run trained for bestEpoch epochs with the same seed
        MLPModel exact = overfitting(h.getBestEpoch()).build().train(data);
        assertTrue(stopped.getNetwork().sameParameters(exact.getNetwork()));
        List<Prediction<Label>> a = stopped.predict(data);
        List<Prediction<Label>> b = exact.predict(data);
        assertTrue(Helpers.predictionListDistributionEquals(a, b, 0.0));
        // best epoch really is the minimum of the recorded validation loss
        double best = h.getEpochs().stream().mapToDouble(EpochRecord::valLoss).min().getAsDouble();
        assertEquals(best, h.getEpochs().get(h.getBestEpoch() - 1).valLoss());
    }

    @Test
    void withoutRestoreTheLastWeightsAreKeptAndRestoreAppliesWhenNotStopped() {
        Dataset<Label> data = crescents(120, 3);
        MLPModel last = overfitting(200).earlyStopping(EarlyStopping.monitoring("val_loss").patience(3).build()).build().train(data);
        assertFalse(last.getHistory().isRestoredBestWeights());
        MLPModel exact = overfitting(last.getHistory().getEpochsRun()).build().train(data);
        assertTrue(last.getNetwork().sameParameters(exact.getNetwork()));
        // patience never reached: Keras 3 semantics restore the best weights at the end anyway
        MLPModel full = overfitting(6).earlyStopping(EarlyStopping.monitoring("val_accuracy").patience(100)
                .restoreBestWeights(true).build()).build().train(data);
        assertEquals(StopReason.COMPLETED, full.getHistory().getStopReason());
        assertTrue(full.getHistory().isRestoredBestWeights());
        MLPModel atBest = overfitting(full.getHistory().getBestEpoch()).build().train(data);
        assertTrue(full.getNetwork().sameParameters(atBest.getNetwork()));
    }

    @Test
    void tribuoMetricsCanBeMonitored() {
        MLPModel m = overfitting(4).earlyStopping(EarlyStopping.monitoring("val_macro_f1").patience(5).build()).build()
                .train(crescents(200, 4));
        for (EpochRecord r : m.getHistory().getEpochs()) {
            assertTrue(r.monitorValue() > 0 && r.monitorValue() <= 1, "macro F1 " + r.monitorValue());
        }
        MLPModel auc = overfitting(2).earlyStopping(EarlyStopping.monitoring("val_auc").build()).build().train(crescents(200, 4));
        assertTrue(auc.getHistory().getEpochs().get(1).monitorValue() > 0.5);
    }

    @Test
    void validationSplitIsReproducibleAndNeverTrainedOn() {
        Dataset<Label> data = crescents(200, 6);
        MLPModel a = overfitting(3).build().train(data);
        MLPModel b = overfitting(3).build().train(data);
        assertEquals(a.getHistory().getEpochs().get(2).valLoss(), b.getHistory().getEpochs().get(2).valLoss());
        // the explicit-validation overload records the validation data's provenance
        Dataset<Label> val = crescents(50, 7);
        MLPModel c = overfitting(2).validationFraction(0).build().train(data, val);
        assertEquals(val.getProvenance(), c.getProvenance().getInstanceProvenance().getMap().get(MLPTrainer.VALIDATION_PROVENANCE));
        assertFalse(Double.isNaN(c.getHistory().getEpochs().get(0).valAccuracy()));
        // held-out examples are excluded from training: a different validation fraction changes the trained weights
        Network full = overfitting(2).validationFraction(0).build().train(data).getNetwork();
        assertFalse(full.sameParameters(overfitting(2).build().train(data).getNetwork()));
        int[] counts = new int[2];
        int[] label = new int[data.size()];
        for (int i = 0; i < label.length; i++) {
            label[i] = data.getOutputIDInfo().getID(data.getExample(i).getOutput());
        }
        boolean[] held = dev.regula.data.Splits.stratifiedHoldOut(label, data.getOutputIDInfo().size(), 0.5,
                new java.util.SplittableRandom(1));
        for (int i = 0; i < held.length; i++) {
            if (held[i]) {
                counts[data.getOutputIDInfo().getID(data.getExample(i).getOutput())]++;
            }
        }
        assertEquals(100, counts[0] + counts[1]);
        assertTrue(Math.abs(counts[0] - counts[1]) <= 1, "stratified counts " + counts[0] + "/" + counts[1]);
    }

    @Test
    void divergenceKeepsTheBestWeightsWhenEarlyStoppingIsOn() {
        // with this seed and learning rate the loss becomes NaN in epoch 6, after five finite epochs
        MLPTrainer.Builder b = MLPTrainerTest.bare().addLayer(Layer.dense(16).build()).optimiser(new SGD(1000, 0.9, false)).minibatchSize(128)
                .epochs(50).seed(1).numThreads(1).validationFraction(0.3);
        MLPModel m = b.earlyStopping(EarlyStopping.monitoring("val_loss").patience(100).build()).build().train(crescents(200, 2));
        TrainingHistory h = m.getHistory();
        assertEquals(StopReason.DIVERGED, h.getStopReason());
        assertEquals(5, h.getEpochsRun());
        assertTrue(h.getStopMessage().contains("loss became NaN at epoch 6"), h.getStopMessage());
        assertTrue(h.isRestoredBestWeights());
        assertTrue(m.getNetwork().isFinite());
        // without early stopping there is no best epoch to fall back to: a clear error, never a NaN model
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> b.earlyStopping(null).build().train(crescents(200, 2)));
        assertTrue(e.getMessage().contains("diverged"), e.getMessage());
        assertTrue(e.getMessage().contains("enable early stopping to keep the best weights"), e.getMessage());
        // with early stopping that has not counted an epoch before the loss explodes: the same error, and it says why
        IllegalStateException early = assertThrows(IllegalStateException.class, () -> b.earlyStopping(
                EarlyStopping.monitoring("val_loss").patience(100).startFromEpoch(8).build()).build().train(crescents(200, 2)));
        assertTrue(early.getMessage().contains("loss became NaN at epoch 6"), early.getMessage());
        assertTrue(early.getMessage().contains("early stopping had not yet counted an epoch (it counts epochs after "
                + "startFromEpoch = 8)"), early.getMessage());
        assertFalse(early.getMessage().contains("enable early stopping"), early.getMessage());
    }

    @Test
    void listenersSeeEveryEpochAndDoNotChangeTheResult() {
        Dataset<Label> data = crescents(100, 8);
        List<EpochRecord> seen = new ArrayList<>();
        List<Integer> batches = new ArrayList<>();
        MLPModel with = overfitting(3).epochListener(seen::add).batchListener(2, (e, b, n, loss) -> batches.add(b)).build().train(data);
        MLPModel without = overfitting(3).build().train(data);
        assertTrue(with.getNetwork().sameParameters(without.getNetwork()));
        assertEquals(with.getHistory().getEpochs(), seen);
        // 50 training rows (half held out), batches of 16: 4 batches per epoch, reported every 2nd
        assertEquals(List.of(2, 4, 2, 4, 2, 4), batches);
    }

    @Test
    void historyRoundTripsAndExportsCsv(@TempDir Path dir) throws Exception {
        MLPModel m = overfitting(3).earlyStopping(EarlyStopping.monitoring("val_accuracy").patience(1).build()).build()
                .train(crescents(100, 9));
        MLPModel proto = (MLPModel) Model.deserialize(m.serialize());
        assertEquals(m.getHistory(), proto.getHistory());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(m);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(m.getHistory(), ((MLPModel) in.readObject()).getHistory());
        }
        Path csv = dir.resolve("history.csv");
        m.getHistory().writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", TrainingHistory.CSV_COLUMNS), lines.get(0));
        assertEquals(m.getHistory().getEpochsRun() + 1, lines.size());
        assertTrue(lines.get(1).startsWith("1,"));
        assertNotEquals("NaN", lines.get(1).split(",")[5]);
    }
}
