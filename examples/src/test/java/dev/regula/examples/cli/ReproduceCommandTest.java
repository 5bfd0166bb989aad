package dev.regula.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.regula.examples.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code reproduce} on an unchanged and on a changed training file. */
class ReproduceCommandTest {
    private static final Logger REGULA = Logger.getLogger("dev.regula");

    @TempDir
    static Path tmp;

    @BeforeAll
    static void quiet() {
        REGULA.setLevel(Level.WARNING);
    }

    @Test
    void reportsIdenticalThenDifferentAfterTheDataChanged() throws IOException {
        Path data = CliTestSupport.writeIdx(Files.createDirectories(tmp.resolve("idx")), 200, 50);
        Path model = tmp.resolve("m/model.tribuo");
        CliTestSupport.Run t = run("train", "--data", data.toString(), "--model", model.toString(), "--hidden", "16",
                "--epochs", "2", "--dropout", "0.2", "--threads", "1");
        assertEquals(0, t.exitCode(), t.toString());

        CliTestSupport.Run same = run("reproduce", "--model", model.toString(), "--data", data.toString());
        assertEquals(0, same.exitCode(), same.toString());
        assertTrue(same.out().contains("IDENTICAL: all 50 predictions are bitwise equal"), same.out());
        assertTrue(same.out().contains("Provenance differences (times excluded): none"), same.out());

        CliTestSupport.writeIdx(data, 150, 0); // different training images under the same file names
        CliTestSupport.Run changed = run("reproduce", "--model", model.toString(), "--data", data.toString());
        assertEquals(RegulaCli.EXIT_NOT_REPRODUCED, changed.exitCode(), changed.toString());
        assertTrue(changed.out().contains("DIFFERENT: "), changed.out());
        assertTrue(changed.out().contains("features-resource-hash"), changed.out());
        assertTrue(changed.out().contains("The training data changed since the model was trained:"), changed.out());
        assertTrue(changed.out().contains("features-resource-hash of " + data.resolve("train-images-idx3-ubyte").toAbsolutePath()),
                changed.out());
    }

    @Test
    void reproducesAModelTrainedOnTheCsvAndImageLayoutAndNamesChangedImages() throws IOException {
        // The reference layout (Train/train.csv + Train/Images/train/*.png) of 120 images, 20 % held out as the test set.
        Path idx = CliTestSupport.writeIdx(Files.createDirectories(tmp.resolve("for-png")), 120, 0);
        Path root = tmp.resolve("png");
        assertEquals(0, run("convert", "--images", idx.resolve("train-images-idx3-ubyte").toString(), "--labels",
                idx.resolve("train-labels-idx1-ubyte").toString(), "--out", root.toString()).exitCode());
        Path model = tmp.resolve("png-model/model.tribuo");
        CliTestSupport.Run t = run("train", "--data", root.toString(), "--model", model.toString(), "--hidden", "16",
                "--epochs", "2", "--threads", "1");
        assertEquals(0, t.exitCode(), t.toString());

        CliTestSupport.Run same = run("reproduce", "--model", model.toString());
        assertEquals(0, same.exitCode(), same.toString());
        assertTrue(same.out().contains("IDENTICAL: all 96 predictions are bitwise equal"), same.out());
        assertTrue(same.out().contains("Provenance differences (times excluded): none"), same.out());
        assertFalse(same.out().contains("changed since"), same.out());

        // Images 1 to 12 replaced by image 0 (same names, same size): the image hash and those files are named.
        Path images = root.resolve("Train/Images/train");
        for (int i = 1; i <= 12; i++) {
            Path image = images.resolve(i + ".png");
            Files.copy(images.resolve("0.png"), image, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(image, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        }
        CliTestSupport.Run changed = run("reproduce", "--model", model.toString());
        assertEquals(RegulaCli.EXIT_NOT_REPRODUCED, changed.exitCode(), changed.toString());
        assertTrue(changed.out().contains("The training data changed since the model was trained:"), changed.out());
        assertTrue(changed.out().contains("images-resource-hash of the images listed in "
                + root.resolve("Train/train.csv").toAbsolutePath()), changed.out());
        assertTrue(changed.out().contains("images modified since the model was trained: 1.png, 2.png, 3.png, 4.png, 5.png, "
                + "6.png, 7.png, 8.png, 9.png, 10.png and 2 more (in " + images.toRealPath() + ")"), changed.out());
        assertFalse(changed.out().contains("index-resource-hash of"), "the index did not change: " + changed.out());
    }
}
