package dev.regula.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.regula.examples.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** User errors: one line on stderr naming the problem, a non-zero exit code, no stack trace, nothing trained. */
class BadInputTest {
    private static final Logger REGULA = Logger.getLogger("dev.regula");

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void data() throws IOException {
        REGULA.setLevel(Level.WARNING);
        data = CliTestSupport.writeIdx(Files.createDirectories(tmp.resolve("idx")), 60, 0);
    }

    private static void assertUserError(CliTestSupport.Run r, int code, String expected) {
        assertEquals(code, r.exitCode(), r.toString());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "stack trace: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void unknownVariant() {
        assertUserError(run("study", "--seeds", "1", "--variants", "baseline,l3", "--out", tmp.resolve("v").toString()), 1,
                "regula study: unknown variant 'l3'; valid variants: baseline, l2, l1, dropout, augmented, zca_dropout, augmented_zca, early_stopping");
        assertFalse(Files.exists(tmp.resolve("v")), "nothing written before the input is checked");
    }

    @Test
    void unknownParameterListsTheValidOnes() {
        CliTestSupport.Run r = run("grid", "--data", data.toString(), "--out", tmp.resolve("g").toString(), "--param", "epoch=1,2");
        assertUserError(r, 1, "regula grid: unknown trainer parameter 'epoch'; valid parameters: ");
        assertTrue(r.err().contains("epochs, "), r.err());
        assertTrue(r.err().contains("optimiser.learningRate"), r.err());
    }

    @Test
    void invalidParameterValueNamesTheField() {
        CliTestSupport.Run r = run("train", "--data", data.toString(), "--model", tmp.resolve("m/model.tribuo").toString(),
                "--param", "epochs=0");
        assertUserError(r, 1, "epochs must be >= 1, found 0");
    }

    @Test
    void missingAndUnrecognisedDataDirectories() throws IOException {
        Path missing = tmp.resolve("nope");
        assertUserError(run("study", "--seeds", "1", "--data", missing.toString(), "--out", tmp.resolve("o1").toString()), 1,
                "regula study: data directory " + missing + " does not exist");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertUserError(run("train", "--data", empty.toString()), 1, "no training data found in " + empty);
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        assertUserError(run("grid", "--data", file.toString()), 1, "--data " + file + " is not a directory");
    }

    @Test
    void invalidValues() {
        assertUserError(run("study", "--seeds", "1", "--epochs", "0", "--out", tmp.resolve("o2").toString()), 1, "regula study: epochs must be >= 1, found 0");
        assertUserError(run("study", "--seeds", "1", "--dropout", "1.5", "--out", tmp.resolve("o3").toString()), 1, "dropout must be in (0, 1), found 1.5");
        assertUserError(run("study", "--seeds", "1", "--hidden", "32,0", "--out", tmp.resolve("o4").toString()), 1, "hidden layer width must be >= 1, found 0");
        assertUserError(run("grid", "--data", data.toString(), "--folds", "1"), 1, "--folds must be >= 2");
        assertUserError(run("train", "--data", data.toString(), "--test-fraction", "1"), 1, "--test-fraction must be in (0, 1), found 1.0");
        // picocli conversion errors: exit 2, the message and a hint, no usage dump
        CliTestSupport.Run r = run("study", "--seeds", "1", "--epochs", "ten");
        assertEquals(RegulaCli.EXIT_USAGE, r.exitCode());
        assertTrue(r.err().startsWith("regula study: Invalid value for option '--epochs': 'ten' is not an int"), r.err());
        assertTrue(r.err().contains("Try 'regula study --help'"));
        assertEquals(RegulaCli.EXIT_USAGE, run("stduy").exitCode());
    }

    @Test
    void missingFilesForPredictReproduceAndTrain() throws IOException {
        Path model = tmp.resolve("missing.tribuo");
        assertUserError(run("reproduce", "--model", model.toString()), 1, "model file " + model + " does not exist");
        assertUserError(run("predict", "--model", model.toString(), "--input", data.toString()), 1, "model file " + model + " does not exist");
        Path junk = Files.writeString(tmp.resolve("junk.tribuo"), "not a model");
        assertUserError(run("reproduce", "--model", junk.toString()), 1, "cannot read " + junk + " as a Tribuo protobuf model");
        Path config = tmp.resolve("none.xml");
        assertUserError(run("train", "--data", data.toString(), "--config", config.toString()), 1,
                "configuration file " + config + " does not exist");
    }

    @Test
    void imagesOfAnotherSizeAreRefusedNotScored() throws IOException {
        // 28×28 training images with 14×14 test images beside them: the test split cannot be scored by that model
        Path mixed = CliTestSupport.writeIdx(Files.createDirectories(tmp.resolve("mixed")), 60, 0);
        writeSmallIdx(mixed, "t10k", 20);
        assertUserError(run("train", "--data", mixed.toString(), "--hidden", "8", "--epochs", "1",
                "--model", tmp.resolve("mixed-model/model.tribuo").toString()), 1,
                "test images " + mixed.resolve("t10k-images-idx3-ubyte") + " are 14x14x1 but the training images "
                        + mixed.resolve("train-images-idx3-ubyte") + " are 28x28x1; both splits need the same geometry");
        assertFalse(Files.exists(tmp.resolve("mixed-model")), "nothing trained");

        // a 28×28 model asked to predict 14×14 images
        Path model = tmp.resolve("m28/model.tribuo");
        CliTestSupport.Run trained = run("train", "--data", data.toString(), "--hidden", "8", "--epochs", "1",
                "--model", model.toString());
        assertEquals(0, trained.exitCode(), trained.toString());
        Path small = writeSmallIdx(Files.createDirectories(tmp.resolve("small")), "t10k", 20);
        assertUserError(run("predict", "--model", model.toString(), "--input", small.toString(),
                "--out", tmp.resolve("small.csv").toString()), 1,
                "the images in " + small.resolve("t10k-images-idx3-ubyte") + " are 14x14x1 but the model was trained on "
                        + "28x28x1 images");
        assertFalse(Files.exists(tmp.resolve("small.csv")), "no submission written");

        // a byte flipped in the weights: the CLI names the integrity failure, not the wrapper exception around it
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length / 2] ^= 0x10;
        Path damaged = Files.write(tmp.resolve("damaged.tribuo"), bytes);
        CliTestSupport.Run refused = run("predict", "--model", damaged.toString(), "--input", data.toString(),
                "--out", tmp.resolve("damaged.csv").toString());
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains(damaged.toString()), refused.err());
        assertTrue(refused.err().contains("is corrupt: its SHA-256 checksum"), refused.err());
        assertFalse(refused.err().contains("deserializeFromProto"), refused.err());
        assertFalse(Files.exists(tmp.resolve("damaged.csv")));

        // the other way round, which pixel indices alone cannot reveal: a 14×14 model asked to predict 28×28 images
        Path smallTrain = writeSmallIdx(Files.createDirectories(tmp.resolve("small-train")), "train", 40);
        Path smallModel = tmp.resolve("m14/model.tribuo");
        CliTestSupport.Run trainedSmall = run("train", "--data", smallTrain.toString(), "--hidden", "8", "--epochs", "1",
                "--model", smallModel.toString());
        assertEquals(0, trainedSmall.exitCode(), trainedSmall.toString());
        assertUserError(run("predict", "--model", smallModel.toString(), "--input", data.toString(),
                "--out", tmp.resolve("big.csv").toString()), 1,
                "the images in " + data.resolve("train-images-idx3-ubyte") + " are 28x28x1 but the model was trained on "
                        + "14x14x1 images");
        assertFalse(Files.exists(tmp.resolve("big.csv")), "no submission written");
    }

    /** Writes {@code count} random 14×14 gray images and labels 0–9 as the IDX pair of {@code split} in {@code dir}. */
    private static Path writeSmallIdx(Path dir, String split, int count) throws IOException {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        java.util.List<double[]> images = new java.util.ArrayList<>();
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            double[] image = new double[14 * 14];
            for (int p = 0; p < image.length; p++) {
                image[p] = 1 + rng.nextInt(255);
            }
            images.add(image);
            labels[i] = i % 10;
        }
        dev.regula.data.IdxFiles.writeImages(dir.resolve(split + "-images-idx3-ubyte"),
                dev.regula.data.ImageGeometry.of(14, 14, 1), images, false);
        dev.regula.data.IdxFiles.writeLabels(dir.resolve(split + "-labels-idx1-ubyte"), labels, false);
        return dir;
    }

    @Test
    void plainCommandLineAlsoReportsUserErrorsInOneLine() {
        CliTestSupport.Run r = CliTestSupport.run(new CommandLine(new RegulaCli()), "study", "--variants", "foo",
                "--out", tmp.resolve("o5").toString());
        assertUserError(r, 1, "unknown variant 'foo'");
        CliTestSupport.Run help = CliTestSupport.run(new CommandLine(new RegulaCli()), "grid", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--folds=K"), help.out());
    }
}
