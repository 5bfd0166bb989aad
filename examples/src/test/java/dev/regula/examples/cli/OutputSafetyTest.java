package dev.regula.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static dev.regula.examples.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No command overwrites or loses user data: outputs that are inputs, files next to a model, folders the command
 * did not create, concurrent runs into one folder, an evaluation failure after training, and stale variant folders.
 */
class OutputSafetyTest {
    private static final Logger REGULA = Logger.getLogger("dev.regula");

    @TempDir
    static Path tmp;
    static Path data;
    static Path model;

    @BeforeAll
    static void trainOnce() throws IOException {
        REGULA.setLevel(Level.WARNING);
        data = CliTestSupport.writeIdx(Files.createDirectories(tmp.resolve("idx")), 200, 40);
        model = tmp.resolve("model/model.tribuo");
        CliTestSupport.Run t = run("train", "--data", data.toString(), "--model", model.toString(), "--hidden", "8",
                "--epochs", "1", "--threads", "1");
        assertEquals(0, t.exitCode(), t.toString());
    }

    private static void assertUserError(CliTestSupport.Run r, String... fragments) {
        assertEquals(RegulaCli.EXIT_ERROR, r.exitCode(), r.toString());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' missing from: " + r.err());
        }
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "stack trace: " + r.err());
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void predictRefusesToWriteOverItsInputs() throws IOException {
        Path ref = tmp.resolve("ref");
        assertEquals(0, run("convert", "--images", data.resolve("t10k-images-idx3-ubyte").toString(), "--labels",
                data.resolve("t10k-labels-idx1-ubyte").toString(), "--out", ref.toString(), "--test", "--limit", "10").exitCode());
        Path csv = ref.resolve("Test.csv");
        String before = Files.readString(csv);
        assertUserError(run("predict", "--model", model.toString(), "--input", csv.toString(), "--out", csv.toString()),
                "regula predict: --out " + csv + " is the index CSV given as --input, an input of this command");
        assertEquals(before, Files.readString(csv), "Test.csv untouched");
        assertUserError(run("predict", "--model", model.toString(), "--input", csv.toString(), "--out", model.toString()),
                "is the --model file");
        Path image = ref.resolve("Train/Images/test/3.png");
        assertUserError(run("predict", "--model", model.toString(), "--input", ref.toString(), "--out", image.toString()),
                "is an image listed in " + csv);
        assertUserError(run("predict", "--model", model.toString(), "--input", data.toString(), "--out",
                data.resolve("t10k-labels-idx1-ubyte").toString()), "is the IDX labels file");
        // a separate output is written, atomically: no temporary file is left next to it
        Path out = tmp.resolve("pred/submission.csv");
        assertEquals(0, run("predict", "--model", model.toString(), "--input", csv.toString(), "--out", out.toString()).exitCode());
        assertEquals(List.of("submission.csv"), names(out.getParent()));
    }

    @Test
    void trainDoesNotReplaceFilesNextToTheModelWithoutOverwrite() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("user-folder"));
        Files.writeString(dir.resolve("history.csv"), "my own history");
        Files.writeString(dir.resolve("provenance.json"), "{\"mine\": true}");
        Path m = dir.resolve("model.tribuo");
        assertUserError(run("train", "--data", data.toString(), "--model", m.toString(), "--hidden", "8", "--epochs", "1"),
                "regula train: --model " + m + ": " + dir.resolve("provenance.json") + ", " + dir.resolve("history.csv")
                        + " already exist; choose another folder or add --overwrite to replace them");
        assertEquals("my own history", Files.readString(dir.resolve("history.csv")));
        assertFalse(Files.exists(m));
        CliTestSupport.Run ok = run("train", "--data", data.toString(), "--model", m.toString(), "--hidden", "8",
                "--epochs", "1", "--threads", "1", "--overwrite");
        assertEquals(0, ok.exitCode(), ok.toString());
        assertTrue(Files.readString(dir.resolve("history.csv")).startsWith("epoch,"));
        assertEquals(List.of("confusion-matrix.txt", "history.csv", "model.tribuo", "provenance.json"), names(dir),
                "no temporary or lock file left behind");
        // re-running into the same model is the same case
        assertUserError(run("train", "--data", data.toString(), "--model", m.toString(), "--epochs", "1"), "already exist");
    }

    @Test
    void convertAndGridRefuseFoldersTheyDidNotCreate() throws IOException {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "mine");
        assertUserError(run("convert", "--images", data.resolve("train-images-idx3-ubyte").toString(), "--labels",
                data.resolve("train-labels-idx1-ubyte").toString(), "--out", mine.toString(), "--limit", "5"),
                "regula convert: --out " + mine + " exists, is not empty and is not a convert folder (no .regula-convert file); "
                        + "choose a new or empty folder, or add --overwrite to write into it anyway");
        assertUserError(run("grid", "--data", data.toString(), "--out", mine.toString(), "--epochs", "1"),
                "regula grid: --out " + mine + " exists, is not empty and is not a grid folder (no .regula-grid file)");
        assertEquals(List.of("notes.txt"), names(mine), "nothing written");
        // a folder convert created may be written again (the test part after the training part)
        Path ref = tmp.resolve("converted");
        for (String side : List.of("", "--test")) {
            List<String> args = new java.util.ArrayList<>(List.of("convert", "--images", data.resolve("t10k-images-idx3-ubyte").toString(),
                    "--labels", data.resolve("t10k-labels-idx1-ubyte").toString(), "--out", ref.toString(), "--limit", "5"));
            if (!side.isEmpty()) {
                args.add(side);
            }
            CliTestSupport.Run r = run(args.toArray(new String[0]));
            assertEquals(0, r.exitCode(), r.toString());
        }
        assertEquals(List.of(".regula-convert", "Test.csv", "Train"), names(ref));
        CliTestSupport.Run forced = run("convert", "--images", data.resolve("train-images-idx3-ubyte").toString(), "--labels",
                data.resolve("train-labels-idx1-ubyte").toString(), "--out", mine.toString(), "--limit", "5", "--overwrite");
        assertEquals(0, forced.exitCode(), forced.toString());
        assertEquals("mine", Files.readString(mine.resolve("notes.txt")));
    }

    @Test
    void aSecondRunIntoALockedFolderIsRefused() throws IOException {
        Path out = tmp.resolve("locked");
        try (Outputs.OutputLock lock = Outputs.lock(out, "study")) {
            assertUserError(run("study", "--seeds", "1", "--data", data.toString(), "--out", out.toString(), "--epochs", "1",
                    "--variants", "baseline", "--hidden", "8"),
                    "regula study: another regula command is writing into " + out + " (regula study, process "
                            + ProcessHandle.current().pid() + ", since ", "wait for it to finish or choose another folder");
            assertUserError(run("train", "--data", data.toString(), "--model", out.resolve("model.tribuo").toString(),
                    "--epochs", "1", "--hidden", "8"), "another regula command is writing into " + out);
        }
        assertFalse(Files.exists(out.resolve(Outputs.LOCK_FILE)), "the lock file goes with the lock");
        CliTestSupport.Run r = run("study", "--seeds", "1", "--data", data.toString(), "--out", out.toString(), "--epochs", "1",
                "--variants", "baseline", "--hidden", "8", "--threads", "1");
        assertEquals(0, r.exitCode(), r.toString());
        assertFalse(Files.exists(out.resolve(Outputs.LOCK_FILE)));
    }

    @Test
    void anEvaluationFailureKeepsTheTrainedModel() throws IOException {
        // 200 images without a test set: 0.001 of each class holds out nothing, so the test set is empty.
        Path noTest = CliTestSupport.writeIdx(Files.createDirectories(tmp.resolve("no-test")), 200, 0);
        Path m = tmp.resolve("kept/model.tribuo");
        CliTestSupport.Run r = run("train", "--data", noTest.toString(), "--model", m.toString(), "--hidden", "8",
                "--epochs", "1", "--threads", "1", "--test-fraction", "0.001");
        assertUserError(r, "regula train: the model was trained and saved to " + m.toAbsolutePath()
                + ", but it could not be evaluated: the test set is empty");
        assertTrue(Files.isRegularFile(m), "the trained model is kept");
        assertTrue(Files.isRegularFile(m.resolveSibling("history.csv")));
        assertFalse(Files.exists(m.resolveSibling("confusion-matrix.txt")));
        assertEquals(0, run("reproduce", "--model", m.toString()).exitCode(), "and it is a complete model");
    }

    @Test
    void rerunningAStudyWithFewerVariantsReportsTheStaleFolders() throws IOException {
        Path out = tmp.resolve("study");
        CliTestSupport.Run first = run("study", "--seeds", "1", "--data", data.toString(), "--out", out.toString(), "--epochs", "1",
                "--variants", "baseline,l2,dropout", "--hidden", "8", "--threads", "1");
        assertEquals(0, first.exitCode(), first.toString());
        CliTestSupport.Run second = run("study", "--seeds", "1", "--data", data.toString(), "--out", out.toString(), "--epochs", "1",
                "--variants", "baseline", "--hidden", "8", "--threads", "1");
        assertEquals(0, second.exitCode(), second.toString());
        assertTrue(second.out().contains("Note: " + out + " still holds the variant folders l2, dropout of an earlier run; "
                + "they are not part of this run's results.csv and report.html"), second.out());
        assertEquals(2, Files.readAllLines(out.resolve("results.csv")).size());
        assertTrue(Files.readString(out.resolve("report.html")).contains("l2, dropout"), "the report names them too");
        assertTrue(Files.isRegularFile(out.resolve("l2/model.tribuo")), "reported, not deleted");
    }
}
