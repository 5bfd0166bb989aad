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
    }
}
