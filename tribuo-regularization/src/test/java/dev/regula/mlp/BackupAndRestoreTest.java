package dev.regula.mlp;

import dev.regula.augment.Augmentation;
import dev.regula.data.EmbeddedData;
import dev.regula.data.RescalingDataSource;
import dev.regula.experiment.ProvenanceDiff;
import dev.regula.mlp.optimisers.AdaGrad;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.mlp.optimisers.AdamW;
import dev.regula.mlp.optimisers.Optimiser;
import dev.regula.mlp.optimisers.RMSProp;
import dev.regula.mlp.optimisers.SGD;
import dev.regula.testing.FriedmanDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.regression.Regressor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash-safe training ({@link BackupAndRestore}): a run killed after epoch k and started again finishes with the
 * weights, history and provenance of an uninterrupted run, bit for bit, for every optimiser, with dropout, early
 * stopping and augmentation (whose random streams must be advanced exactly), also when a separate JVM is killed
 * mid-run; a backup of another configuration or other data, or a damaged one, is refused naming what is wrong;
 * the backup is deleted when training ends normally.
 */
class BackupAndRestoreTest {
    private static Dataset<Label> images;
    /** Held so that their levels stay set (the logging framework keeps loggers weakly). */
    private static final List<Logger> QUIET = List.of(Logger.getLogger(MLPTrainer.class.getName()),
            Logger.getLogger(MLPRegressionTrainer.class.getName()), Logger.getLogger(TrainingLoop.class.getName()),
            Logger.getLogger(TrainingBackup.class.getName()), Logger.getLogger(RunChecks.class.getName()));

    /** What the crashing listener throws. */
    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(String message) {
            super(message);
        }
    }

    @BeforeAll
    static void load() throws IOException {
        QUIET.forEach(l -> l.setLevel(Level.SEVERE));
        images = images(400);
    }

    static Dataset<Label> images(int n) throws IOException {
        Dataset<Label> all = new MutableDataset<>(RescalingDataSource.of(EmbeddedData.trainSource(), 1.0 / 255));
        MutableDataset<Label> some = new MutableDataset<>(all.getProvenance(), new LabelFactory());
        for (int i = 0; i < n; i++) {
            some.add(all.getExample(i));
        }
        return some;
    }

    /** Dropout (input and hidden), L2, early stopping with restored best weights, augmentation, a validation split. */
    static MLPTrainer.Builder everything(Path backup, int epochs, int threads) {
        return MLPTrainerTest.bare()
                .addLayer(Layer.dense(48).kernelRegularizer(Regularizer.l2(1e-4)).dropout(0.3).build())
                .addLayer(Layer.dense(32).dropout(0.2).build())
                .inputDropout(0.1).optimiser(new Adam(0.003)).epochs(epochs).minibatchSize(32).seed(11)
                .numThreads(threads).validationFraction(0.25)
                .earlyStopping(EarlyStopping.monitoring("val_accuracy").patience(epochs).restoreBestWeights(true).build())
                .augmentation(Augmentation.builder().rotationRange(10).widthShiftRange(0.1).heightShiftRange(0.1)
                        .zoomRange(0.1).horizontalFlip(true).build(), EmbeddedData.geometry())
                .backupAndRestore(BackupAndRestore.inFolder(backup));
    }

    /** Trains with a batch listener that throws in the given epoch's second batch: a crash after epoch − 1. */
    static <M extends Model<?>> void crashIn(int epoch, Supplier<? extends AbstractMLPTrainer<?, ?>> trainer,
                                            java.util.function.Consumer<AbstractMLPTrainer<?, ?>> train) {
        AbstractMLPTrainer<?, ?> t = trainer.get();
        t.addBatchListener(1, (e, batch, batches, loss) -> {
            if (e == epoch && batch == 2) {
                throw new Crash("killed in epoch " + e);
            }
        });
        Crash c = assertThrows(Crash.class, () -> train.accept(t));
        assertEquals("killed in epoch " + epoch, c.getMessage());
    }

    static void assertSameWeights(AbstractMLPModel<?> expected, AbstractMLPModel<?> actual) {
        assertEquals(expected.network.getLayers().size(), actual.network.getLayers().size());
        for (int l = 0; l < expected.network.getLayers().size(); l++) {
            assertArrayEquals(expected.network.getKernel(l), actual.network.getKernel(l), 0f, "kernel " + l);
            assertArrayEquals(expected.network.getBias(l), actual.network.getBias(l), 0f, "bias " + l);
        }
    }

    /** The histories agree in everything but the wall-clock seconds of the epochs the resumed run trained itself. */
    static void assertSameHistory(TrainingHistory expected, TrainingHistory actual) {
        assertEquals(expected.getEpochsRun(), actual.getEpochsRun());
        for (int i = 0; i < expected.getEpochsRun(); i++) {
            EpochRecord a = expected.getEpochs().get(i);
            EpochRecord b = actual.getEpochs().get(i);
            assertEquals(new EpochRecord(a.epoch(), a.loss(), a.penalty(), a.accuracy(), a.valLoss(), a.valAccuracy(),
                    a.monitorValue(), a.learningRate(), 0), new EpochRecord(b.epoch(), b.loss(), b.penalty(), b.accuracy(),
                    b.valLoss(), b.valAccuracy(), b.monitorValue(), b.learningRate(), 0), "epoch " + (i + 1));
        }
        assertEquals(expected.getBestEpoch(), actual.getBestEpoch());
        assertEquals(expected.getStopReason(), actual.getStopReason());
        assertEquals(expected.getStopMessage(), actual.getStopMessage());
        assertEquals(expected.isRestoredBestWeights(), actual.isRestoredBestWeights());
    }

    @Test
    void crashedAndResumedRunEqualsUninterruptedWithDropoutEarlyStoppingAndAugmentation(@TempDir Path dir) {
        for (int threads : new int[]{1, 2}) {
            Path a = dir.resolve("a" + threads);
            Path b = dir.resolve("b" + threads);
            MLPModel uninterrupted = everything(a, 6, threads).build().train(images);
            assertFalse(Files.exists(a), "the backup folder it created is removed on success");

            crashIn(4, () -> everything(b, 6, threads).build(), t -> ((MLPTrainer) t).train(images));
            assertTrue(Files.isRegularFile(b.resolve(TrainingBackup.FILE_NAME)), "a backup after epoch 3");
            List<Integer> resumedEpochs = new ArrayList<>();
            MLPModel resumed = everything(b, 6, threads).epochListener(r -> resumedEpochs.add(r.epoch())).build()
                    .train(images);
            assertEquals(List.of(4, 5, 6), resumedEpochs, "resumed after epoch 3");
            assertSameWeights(uninterrupted, resumed);
            assertSameHistory(uninterrupted.getHistory(), resumed.getHistory());
            assertTrue(ProvenanceDiff.of(uninterrupted.getProvenance(), resumed.getProvenance()).isEmpty(),
                    () -> ProvenanceDiff.of(uninterrupted.getProvenance(), resumed.getProvenance()).toString());
            assertFalse(Files.exists(b), "backup deleted on success");
        }
    }

    /** Sparse inputs (CSR first layer, input dropout on the stored values), the backup hashes the CSR rows. */
    static MLPTrainer.Builder sparse(Path backup) {
        return MLPTrainerTest.bare().addLayer(Layer.dense(16).dropout(0.2).build()).inputDropout(0.1)
                .optimiser(new Adam(0.01)).epochs(5).minibatchSize(16).seed(5).numThreads(1)
                .inputKind(InputKind.SPARSE).validationFraction(0.2).backupAndRestore(BackupAndRestore.inFolder(backup));
    }

    @Test
    void sparseRunResumesBitForBitAndOtherSparseDataIsRefused(@TempDir Path dir) {
        Dataset<Label> data = SparseInputTest.labels(300, 3);
        MLPModel uninterrupted = sparse(dir.resolve("a")).build().train(data);
        assertEquals(InputKind.SPARSE, uninterrupted.getInputKind());
        crashIn(3, () -> sparse(dir.resolve("b")).build(), t -> ((MLPTrainer) t).train(data));
        MLPModel resumed = sparse(dir.resolve("b")).build().train(data);
        assertSameWeights(uninterrupted, resumed);
        assertSameHistory(uninterrupted.getHistory(), resumed.getHistory());

        crashIn(3, () -> sparse(dir.resolve("c")).build(), t -> ((MLPTrainer) t).train(data));
        // the same labels, one stored value changed: only the hash of the CSR rows can tell
        MutableDataset<Label> changed = new MutableDataset<>(data.getProvenance(), new LabelFactory());
        for (Example<Label> ex : data) {
            if (changed.size() == 0) {
                List<String> names = new ArrayList<>();
                List<Double> values = new ArrayList<>();
                for (org.tribuo.Feature f : ex) {
                    names.add(f.getName());
                    values.add(values.isEmpty() ? f.getValue() * 2 : f.getValue());
                }
                changed.add(new org.tribuo.impl.ArrayExample<>(ex.getOutput(), names.toArray(new String[0]),
                        values.stream().mapToDouble(Double::doubleValue).toArray()));
            } else {
                changed.add(ex);
            }
        }
        BackupException e = assertThrows(BackupException.class, () -> sparse(dir.resolve("c")).build().train(changed));
        assertTrue(e.getMessage().contains(TrainingBackup.DATA_KEY), e.getMessage());
    }

    @Test
    void resumingWithoutAdvancingTheRandomStreamsWouldDiffer(@TempDir Path dir) {
        // the comparison above can fail: a run that only restores the weights and optimiser (fresh random streams)
        // does not reproduce the uninterrupted one
        MLPModel uninterrupted = everything(dir.resolve("a"), 4, 1).build().train(images);
        MLPModel twoEpochs = everything(dir.resolve("b"), 2, 1).backupAndRestore(null).build().train(images);
        assertNotEquals(uninterrupted.network.getKernel(0)[0], twoEpochs.network.getKernel(0)[0]);
    }

    static List<Optimiser> optimisers() {
        return List.of(new Adam(0.01), new AdamW(0.01, 0.01), new SGD(0.05, 0.9, true), new SGD(0.05, 0, false),
                new RMSProp(0.005, 0.9), new AdaGrad(0.05));
    }

    @Test
    void everyOptimiserResumesBitForBit(@TempDir Path dir) {
        Dataset<Label> train = EarlyStoppingTest.crescents(200, 1);
        int i = 0;
        for (Optimiser o : optimisers()) {
            Path a = dir.resolve("a" + i);
            Path b = dir.resolve("b" + i++);
            Supplier<MLPTrainer> trainer = () -> EarlyStoppingTest.overfitting(5).optimiser(o)
                    .backupAndRestore(BackupAndRestore.inFolder(b)).build();
            MLPModel expected = EarlyStoppingTest.overfitting(5).optimiser(o).backupAndRestore(BackupAndRestore.inFolder(a))
                    .build().train(train);
            assertFalse(Files.exists(a));
            crashIn(3, trainer, t -> ((MLPTrainer) t).train(train));
            MLPModel resumed = trainer.get().train(train);
            assertSameWeights(expected, resumed);
            assertSameHistory(expected.getHistory(), resumed.getHistory());
        }
    }

    @Test
    void regressionResumesBitForBit(@TempDir Path dir) {
        Dataset<Regressor> train = new MutableDataset<>(FriedmanDataSource.of(300, 0.5, 3));
        Supplier<MLPRegressionTrainer> trainer = () -> MLPRegressionTrainer.builder()
                .addLayer(Layer.dense(32).dropout(0.2).build()).epochs(5).minibatchSize(32).seed(3).numThreads(1)
                .earlyStopping(EarlyStopping.monitoring("val_loss").patience(9).build()).validationFraction(0.2)
                .backupAndRestore(BackupAndRestore.inFolder(dir)).build();
        MLPRegressionModel expected = trainer.get().train(train);
        crashIn(5, trainer, t -> ((MLPRegressionTrainer) t).train(train));
        MLPRegressionModel resumed = trainer.get().train(train);
        assertSameWeights(expected, resumed);
        assertSameHistory(expected.getHistory(), resumed.getHistory());
    }

    @Test
    void earlyStoppingStateIsResumed(@TempDir Path dir) {
        // patience 2 on an overfitting run: the stop epoch and the restored best epoch depend on the saved wait
        // counter and best value; the crash comes after the best epoch, while the counter runs
        Dataset<Label> train = EarlyStoppingTest.crescents(120, 3);
        Supplier<MLPTrainer> trainer = () -> EarlyStoppingTest.overfitting(200)
                .earlyStopping(EarlyStopping.monitoring("val_loss").patience(4).restoreBestWeights(true).build())
                .backupAndRestore(BackupAndRestore.inFolder(dir)).build();
        MLPModel expected = trainer.get().train(train);
        TrainingHistory h = expected.getHistory();
        assertEquals(StopReason.EARLY_STOPPED, h.getStopReason());
        int crash = h.getBestEpoch() + 2;
        assertTrue(crash <= h.getEpochsRun(), "the crash falls while the wait counter runs");
        crashIn(crash, trainer, t -> ((MLPTrainer) t).train(train));
        MLPModel resumed = trainer.get().train(train);
        assertSameWeights(expected, resumed);
        assertSameHistory(h, resumed.getHistory());
    }

    @Test
    void backupOfAnotherConfigurationOrOtherDataIsRefusedNamingTheDifference(@TempDir Path dir) throws IOException {
        Dataset<Label> train = EarlyStoppingTest.crescents(200, 1);
        crashIn(3, () -> EarlyStoppingTest.overfitting(5).backupAndRestore(BackupAndRestore.inFolder(dir)).build(),
                t -> ((MLPTrainer) t).train(train));
        Path file = dir.resolve(TrainingBackup.FILE_NAME);
        byte[] before = Files.readAllBytes(file);

        BackupException e = assertThrows(BackupException.class, () -> EarlyStoppingTest.overfitting(5)
                .optimiser(new Adam(0.03)).backupAndRestore(BackupAndRestore.inFolder(dir)).build().train(train));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("trainer.optimiser.learningRate: 0.02 vs 0.03"), e.getMessage());

        e = assertThrows(BackupException.class, () -> EarlyStoppingTest.overfitting(6)
                .backupAndRestore(BackupAndRestore.inFolder(dir)).build().train(train));
        assertTrue(e.getMessage().contains("trainer.epochs: 5 vs 6"), e.getMessage());

        e = assertThrows(BackupException.class, () -> EarlyStoppingTest.overfitting(5)
                .backupAndRestore(BackupAndRestore.inFolder(dir)).build().train(EarlyStoppingTest.crescents(200, 2)));
        assertTrue(e.getMessage().contains(TrainingBackup.DATA_KEY + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("trainer."), "only the data differs: " + e.getMessage());

        e = assertThrows(BackupException.class, () -> EarlyStoppingTest.overfitting(5).numThreads(2)
                .backupAndRestore(BackupAndRestore.inFolder(dir)).build().train(train));
        assertTrue(e.getMessage().contains("run.blas-threads: 1 vs 2"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "a refused backup is left as it was");

        // the folder's name is not part of the configuration: a moved backup folder still resumes
        Path moved = Files.move(dir, dir.resolveSibling(dir.getFileName() + "-moved"));
        MLPModel resumed = EarlyStoppingTest.overfitting(5).backupAndRestore(BackupAndRestore.inFolder(moved)).build().train(train);
        assertEquals(5, resumed.getHistory().getEpochsRun());
        Files.createDirectories(dir); // for @TempDir's clean-up
    }

    @Test
    void damagedBackupIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Dataset<Label> train = EarlyStoppingTest.crescents(200, 1);
        Supplier<MLPTrainer> trainer = () -> EarlyStoppingTest.overfitting(5)
                .backupAndRestore(BackupAndRestore.inFolder(dir)).build();
        crashIn(3, trainer, t -> ((MLPTrainer) t).train(train));
        Path file = dir.resolve(TrainingBackup.FILE_NAME);
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Files.write(file, flipped);
        BackupException e = assertThrows(BackupException.class, () -> trainer.get().train(train));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("checksum"), e.getMessage());

        Files.write(file, java.util.Arrays.copyOf(good, good.length - 100));
        e = assertThrows(BackupException.class, () -> trainer.get().train(train));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("corrupt or truncated"), e.getMessage());

        Files.write(file, java.util.Arrays.copyOf(good, 20));
        e = assertThrows(BackupException.class, () -> trainer.get().train(train));
        assertTrue(e.getMessage().contains("is truncated"), e.getMessage());

        Files.writeString(file, "epoch=3\n");
        e = assertThrows(BackupException.class, () -> trainer.get().train(train));
        assertTrue(e.getMessage().contains("is not a Regula training backup"), e.getMessage());

        // a newer format version, with a valid checksum
        byte[] newer = good.clone();
        ByteBuffer.wrap(newer).putInt(8, BackupFile.VERSION + 1);
        byte[] sha = dev.regula.data.Sha256.newDigest().digest(java.util.Arrays.copyOf(newer, newer.length - 32));
        System.arraycopy(sha, 0, newer, newer.length - 32, 32);
        Files.write(file, newer);
        e = assertThrows(BackupException.class, () -> trainer.get().train(train));
        assertTrue(e.getMessage().contains("format version " + (BackupFile.VERSION + 1)), e.getMessage());

        Files.write(file, good); // the intact backup resumes
        assertEquals(5, trainer.get().train(train).getHistory().getEpochsRun());
        assertFalse(Files.exists(file));
    }

    @Test
    void keptBackupAndLockedFolder(@TempDir Path dir) {
        Dataset<Label> train = EarlyStoppingTest.crescents(200, 1);
        Supplier<MLPTrainer> keeping = () -> EarlyStoppingTest.overfitting(4)
                .backupAndRestore(BackupAndRestore.builder(dir).deleteCheckpoint(false).build()).build();
        List<BackupException> refused = new ArrayList<>();
        MLPTrainer first = keeping.get();
        first.addEpochListener(r -> {
            if (r.epoch() == 2) {
                refused.add(assertThrows(BackupException.class, () -> keeping.get().train(train)));
            }
        });
        MLPModel kept = first.train(train);
        assertEquals(1, refused.size());
        assertTrue(refused.get(0).getMessage().contains("Another training run is using the backup folder"),
                refused.get(0).getMessage());
        assertTrue(Files.isRegularFile(dir.resolve(TrainingBackup.FILE_NAME)), "kept with deleteCheckpoint(false)");
        // the kept backup (after epoch 3 of 4) resumes to the same model
        assertSameWeights(kept, keeping.get().train(train));
    }

    @Test
    void reproductionRetrainsIdenticallyWithoutTouchingTheRecordedFolder(@TempDir Path dir) throws IOException {
        // a model trained with backups on crescents (a configurable data source, so Reproduction can rebuild it)
        Path recorded = dir.resolve("recorded");
        MLPModel model = EarlyStoppingTest.overfitting(4).backupAndRestore(BackupAndRestore.inFolder(recorded)).build()
                .train(EarlyStoppingTest.crescents(200, 1));
        dev.regula.experiment.Reproduction<Label, MLPModel> r = dev.regula.experiment.Reproduction.of(model);
        BackupAndRestore kept = r.getTrainer().getBackupAndRestore();
        assertTrue(kept != null && !kept.getBackupDir().equals(recorded), "still backed up, in a fresh folder: " + kept);
        Files.createDirectories(recorded); // another run's file there would be refused if the re-training looked
        Path foreign = Files.writeString(recorded.resolve(BackupAndRestore.FILE_NAME), "another run's backup");
        assertTrue(r.reproduce(model, null).identical());
        assertEquals("another run's backup", Files.readString(foreign), "the recorded folder is never used");
    }

    @Test
    void backupConfigurationIsValidated() {
        dev.regula.testing.ErrorAssertions.rejects("backupDir", () -> BackupAndRestore.inFolder(Path.of(" ")), "backupDir");
    }

    @Test
    void techniquesWhoseStateIsNotBackedUpAreRefusedAtConfiguration(@TempDir Path dir) {
        BackupAndRestore backup = BackupAndRestore.inFolder(dir);
        dev.regula.testing.ErrorAssertions.rejects("backupAndRestore", () -> MLPTrainer.builder().backupAndRestore(backup)
                .learningRateSchedule(dev.regula.mlp.schedules.CosineDecay.overSteps(100).build()).build(), "learningRateSchedule");
        dev.regula.testing.ErrorAssertions.rejects("backupAndRestore", () -> MLPTrainer.builder().backupAndRestore(backup)
                .validationFraction(0.2).reduceLROnPlateau(ReduceLROnPlateau.monitoring("val_loss").build()).build(),
                "reduceLROnPlateau");
        dev.regula.testing.ErrorAssertions.rejects("backupAndRestore", () -> MLPTrainer.builder().backupAndRestore(backup)
                .mixUp(0.2).build(), "mixUpAlpha");
        dev.regula.testing.ErrorAssertions.rejects("backupAndRestore", () -> MLPTrainer.builder().backupAndRestore(backup)
                .addLayer(Layer.dense(8).gaussianNoise(0.1).build()).build(), "Gaussian noise in a hidden layer");
        // label smoothing is deterministic: accepted
        MLPTrainer.builder().backupAndRestore(backup).labelSmoothing(0.1).build();
    }

    // ---- a real crash: a separate JVM killed with destroyForcibly mid-run ----

    static final int CHILD_EPOCHS = 8;

    static MLPTrainer childTrainer(Path backup) {
        return everything(backup, CHILD_EPOCHS, 1).build();
    }

    /**
     * The child process: trains with backups, printing each finished epoch.
     * @param args the backup folder.
     */
    public static void main(String[] args) throws IOException {
        QUIET.forEach(l -> l.setLevel(Level.SEVERE));
        MLPTrainer t = childTrainer(Path.of(args[0]));
        t.addEpochListener(r -> {
            System.out.println("epoch " + r.epoch());
            System.out.flush();
        });
        t.train(images(400));
        System.out.println("done");
    }

    @Test
    void killedJvmResumesBitForBit(@TempDir Path dir) throws Exception {
        Path backup = dir.resolve("backup");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                BackupAndRestoreTest.class.getName(), backup.toString()).redirectErrorStream(true).start();
        List<String> seen = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                seen.add(line);
                if (line.equals("epoch 4")) { // epoch 3's backup is on disk; epoch 4's may be being written
                    child.destroyForcibly();
                    break;
                }
            }
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertTrue(seen.contains("epoch 4") && !seen.contains("done"), "killed mid-run: " + seen);
        assertTrue(Files.isRegularFile(backup.resolve(TrainingBackup.FILE_NAME)), "a backup survived the kill");
        try (var files = Files.list(backup)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(TrainingBackup.FILE_NAME) && !n.equals(TrainingBackup.LOCK_NAME)
                            && !n.contains(".tmp")).toList());
        }
        List<Integer> resumedEpochs = new ArrayList<>();
        MLPTrainer again = childTrainer(backup);
        again.addEpochListener(r -> resumedEpochs.add(r.epoch()));
        MLPModel resumed = again.train(images(400));
        assertTrue(resumedEpochs.get(0) == 4 || resumedEpochs.get(0) == 5, "resumed after epoch 3 or 4: " + resumedEpochs);
        MLPModel uninterrupted = childTrainer(dir.resolve("uninterrupted")).train(images(400));
        assertSameWeights(uninterrupted, resumed);
        assertSameHistory(uninterrupted.getHistory(), resumed.getHistory());
    }
}
