package dev.regula.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code regula train --backup DIR}: the backup is removed after a normal end; a kept backup resumes to the model
 * of an uninterrupted run; a backup of other options, or a damaged one, is refused with one line naming the
 * difference or the file, exit code 1.
 */
class BackupCommandTest {
    private static final Logger REGULA = Logger.getLogger("dev.regula");

    @BeforeAll
    static void quiet() {
        REGULA.setLevel(Level.WARNING);
    }

    private static String[] train(Path data, Path model, Path backup, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--model",
                model.toString(), "--backup", backup.toString(), "--hidden", "24", "--dropout", "0.2", "--augment",
                "--epochs", "4", "--batch", "32", "--threads", "1"));
        args.addAll(List.of(extra));
        return args.toArray(new String[0]);
    }

    private static List<Prediction<Label>> predictions(Path model, Path data) throws Exception {
        @SuppressWarnings("unchecked")
        Model<Label> m = (Model<Label>) Model.deserializeFromFile(model);
        DataSet d = DataSet.load(data, 0.2, 42);
        return m.predict(new MutableDataset<>(d.test));
    }

    @Test
    void backupIsRemovedKeptBackupResumesAndForeignOrDamagedBackupsAreRefused(@TempDir Path tmp) throws Exception {
        Path data = CliTestSupport.writeIdx(Files.createDirectories(tmp.resolve("idx")), 300, 60);
        Path backup = tmp.resolve("backup");

        CliTestSupport.Run plain = CliTestSupport.run(train(data, tmp.resolve("a/model.tribuo"), backup));
        assertEquals(0, plain.exitCode(), plain::toString);
        assertTrue(plain.out().contains("Backup: after every epoch to " + backup.resolve("training-backup.bin")), plain::toString);
        assertFalse(Files.exists(backup), "removed after a normal end");

        CliTestSupport.Run keeping = CliTestSupport.run(train(data, tmp.resolve("b/model.tribuo"), backup,
                "--param", "backupAndRestore.deleteCheckpoint=false"));
        assertEquals(0, keeping.exitCode(), keeping::toString);
        Path file = backup.resolve("training-backup.bin");
        assertTrue(Files.isRegularFile(file), "kept: the backup after epoch 3");
        byte[] kept = Files.readAllBytes(file);

        CliTestSupport.Run foreign = CliTestSupport.run(train(data, tmp.resolve("c/model.tribuo"), backup,
                "--param", "backupAndRestore.deleteCheckpoint=false", "--param", "epochs=5"));
        assertEquals(1, foreign.exitCode(), foreign::toString);
        assertTrue(foreign.err().contains("trainer.epochs: 4 vs 5") && foreign.err().contains(file.toString()),
                foreign::toString);

        Files.write(file, java.util.Arrays.copyOf(kept, kept.length / 2));
        CliTestSupport.Run damaged = CliTestSupport.run(train(data, tmp.resolve("d/model.tribuo"), backup,
                "--param", "backupAndRestore.deleteCheckpoint=false"));
        assertEquals(1, damaged.exitCode(), damaged::toString);
        assertTrue(damaged.err().contains(file + " is corrupt or truncated"), damaged::toString);

        Files.write(file, kept);
        CliTestSupport.Run resumed = CliTestSupport.run(train(data, tmp.resolve("e/model.tribuo"), backup,
                "--param", "backupAndRestore.deleteCheckpoint=false"));
        assertEquals(0, resumed.exitCode(), resumed::toString);
        assertTrue(resumed.out().contains("exists; training resumes from it"), resumed::toString);
        assertSamePredictions(predictions(tmp.resolve("a/model.tribuo"), data),
                predictions(tmp.resolve("e/model.tribuo"), data));
    }

    private static void assertSamePredictions(List<Prediction<Label>> expected, List<Prediction<Label>> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            for (String label : expected.get(i).getOutputScores().keySet()) {
                assertEquals(expected.get(i).getOutputScores().get(label).getScore(),
                        actual.get(i).getOutputScores().get(label).getScore(), 0.0, "example " + i + ", label " + label);
            }
        }
    }
}
