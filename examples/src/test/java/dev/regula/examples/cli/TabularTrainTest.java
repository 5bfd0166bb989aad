package dev.regula.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.regula.examples.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --csv} for the three output types, and {@code reproduce} of a CSV-trained regression model. */
class TabularTrainTest {
    private static final Logger REGULA = Logger.getLogger("dev.regula");

    @TempDir
    static Path tmp;

    @BeforeAll
    static void quiet() {
        REGULA.setLevel(Level.WARNING);
    }

    /**
     * 300 rows of features a, b and one response: y = a² + b (regression), class = sign(a·b), or tags ("hi" if a > 0,
     * "lo" if b > 0).
     */
    private static Path table(String response) throws IOException {
        Path csv = tmp.resolve(response + ".csv");
        if (Files.exists(csv)) {
            return csv;
        }
        StringBuilder sb = new StringBuilder("a,b," + response + "\n");
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 300; i++) {
            double a = 2 * rng.nextDouble() - 1;
            double b = 2 * rng.nextDouble() - 1;
            String tags = (a > 0 ? "hi" : "") + (a > 0 && b > 0 ? "," : "") + (b > 0 ? "lo" : "");
            String value = switch (response) {
                case "y" -> String.format(Locale.ROOT, "%.6f", 100 * (a * a + b) + 500);
                case "class" -> a * b > 0 ? "same" : "differ";
                default -> "\"" + (tags.isEmpty() ? "none" : tags) + "\"";
            };
            sb.append(String.format(Locale.ROOT, "%.6f,%.6f,%s%n", a, b, value));
        }
        Files.writeString(csv, sb.toString());
        return csv;
    }

    @Test
    void regressionTrainsEvaluatesAndReproduces() throws IOException {
        Path model = tmp.resolve("reg/model.tribuo");
        CliTestSupport.Run r = run("train", "--csv", table("y").toString(), "--task", "REGRESSION", "--response", "y",
                "--hidden", "32", "--epochs", "60", "--batch", "32", "--learning-rate", "0.01", "--validation", "0.2",
                "--early-stopping", "10", "--threads", "1", "--model", model.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("task regression, response y"), r.out());
        assertTrue(r.out().contains("test RMSE"), r.out());
        assertTrue(Files.readString(model.resolveSibling("evaluation.txt")).contains("RMSE"));
        CliTestSupport.Run again = run("reproduce", "--model", model.toString());
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().contains("IDENTICAL: all"), again.out());
    }

    @Test
    void classificationAndMultiLabel() throws IOException {
        Path cls = tmp.resolve("cls/model.tribuo");
        CliTestSupport.Run c = run("train", "--csv", table("class").toString(), "--response", "class", "--hidden", "16",
                "--epochs", "30", "--batch", "32", "--learning-rate", "0.01", "--threads", "1", "--model", cls.toString());
        assertEquals(0, c.exitCode(), c.toString());
        assertTrue(c.out().contains("test accuracy"), c.out());
        Path ml = tmp.resolve("ml/model.tribuo");
        CliTestSupport.Run m = run("train", "--csv", table("tags").toString(), "--task", "MULTILABEL", "--response", "tags",
                "--hidden", "16", "--epochs", "30", "--batch", "32", "--learning-rate", "0.01", "--threads", "1",
                "--model", ml.toString());
        assertEquals(0, m.exitCode(), m.toString());
        assertTrue(m.out().contains("test Jaccard"), m.out());
    }

    @Test
    void badTabularOptionsAreUserErrors() throws IOException {
        CliTestSupport.Run missing = run("train", "--csv", table("y").toString(), "--task", "REGRESSION", "--response", "nope",
                "--model", tmp.resolve("x/model.tribuo").toString());
        assertEquals(1, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("nope"), missing.err());
        CliTestSupport.Run text = run("train", "--csv", table("class").toString(), "--task", "REGRESSION", "--response", "a",
                "--model", tmp.resolve("z/model.tribuo").toString());
        assertEquals(1, text.exitCode(), text.toString());
        assertTrue(text.err().contains("every column other than the --response column(s) must be numeric"), text.err());
        // a divergence is a one-line user error with its advice, not a stack trace
        CliTestSupport.Run diverged = run("train", "--csv", table("y").toString(), "--task", "REGRESSION", "--response", "y",
                "--hidden", "16", "--learning-rate", "1e6", "--epochs", "5", "--threads", "1",
                "--model", tmp.resolve("d/model.tribuo").toString());
        assertEquals(1, diverged.exitCode(), diverged.toString());
        assertTrue(diverged.err().startsWith("regula train: Training diverged: "), diverged.err());
        assertTrue(!diverged.err().contains("\tat "), "no stack trace: " + diverged.err());
        CliTestSupport.Run none = run("train", "--csv", table("y").toString(), "--model", tmp.resolve("y/model.tribuo").toString());
        assertEquals(1, none.exitCode(), none.toString());
        assertTrue(none.err().contains("--response"), none.err());
    }
}
