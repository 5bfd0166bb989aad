package dev.regula.examples.cli;

import dev.regula.nn.Activation;
import dev.regula.nn.Backends;
import dev.regula.nn.LayerSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.regula.examples.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code regula bench}: the JSON line it prints is complete and self-consistent, and bad options are user errors. */
class BenchCommandTest {
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void data() throws IOException {
        data = CliTestSupport.writeIdx(Files.createDirectories(tmp.resolve("idx")), 200, 50);
    }

    @Test
    void printsOneConsistentJsonLine() {
        CliTestSupport.Run r = run("bench", "--data", data.toString(), "--train", "150", "--epochs", "3",
                "--threads", "1", "--variant", "l2");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(1, lines.size(), "one JSON line on stdout: " + r.out());
        String json = lines.get(0);
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        assertEquals("\"regula\"", field(json, "tool"));
        assertEquals("\"l2\"", field(json, "variant"));
        assertEquals("\"" + Backends.get(1).name() + "\"", field(json, "backend"));
        assertEquals(1, number(json, "threads"));
        assertEquals(150, number(json, "train_examples"));
        assertEquals(0, number(json, "validation_examples"));
        assertEquals(3, number(json, "epochs"));
        assertEquals(3, r.err().lines().filter(l -> l.startsWith("epoch ")).count(), "one progress line per epoch: " + r.err());

        // The median is over the epochs after the first; the rates follow from it.
        List<Double> seconds = numbers(field(json, "seconds_per_epoch"));
        assertEquals(3, seconds.size(), json);
        double median = number(json, "seconds_per_epoch_median");
        assertEquals(BenchCommand.medianAfterFirst(seconds), median, 1.5e-3, json);
        assertTrue(median > 0, json);
        // The JSON rounds the median to 1 ms: the rates must lie between those of the median ± 0.5 ms.
        double slow = median + 6e-4;
        double fast = median - 6e-4;
        assertBetween(150 / slow, number(json, "examples_per_second"), 150 / fast, json);
        double flops = BenchCommand.trainingFlopsPerExample(referenceLayers());
        assertBetween(150 * flops / slow / 1e9 - 0.1, number(json, "gflops"), 150 * flops / fast / 1e9 + 0.1, json);
        assertTrue(number(json, "predict_examples_per_second") > 0, json);
        assertTrue(number(json, "network_predict_examples_per_second") > 0, json);
        assertTrue(Double.isFinite(number(json, "final_loss")) && number(json, "final_loss") > 0, json);
    }

    @Test
    void printsValidJsonWithNullsAndNotesWhenAFigureCannotBeMeasured() throws IOException {
        // No t10k files: nothing to predict, so the two prediction rates are not numbers.
        Path trainOnly = CliTestSupport.writeIdx(Files.createDirectories(tmp.resolve("train-only")), 120, 0);
        CliTestSupport.Run r = run("bench", "--data", trainOnly.toString(), "--train", "100", "--epochs", "1", "--threads", "1");
        assertEquals(0, r.exitCode(), r.toString());
        String json = r.out().strip();
        assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
        // Strict JSON (Jackson rejects NaN and Infinity tokens by default).
        com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertTrue(node.get("predict_examples_per_second").isNull(), json);
        assertTrue(node.get("network_predict_examples_per_second").isNull(), json);
        assertTrue(node.get("final_loss").isNumber(), json);
        assertEquals("predict_examples_per_second and network_predict_examples_per_second are null: " + trainOnly
                + " has no t10k test files to predict", node.get("notes").get(0).asText());
        assertTrue(r.err().contains("bench: predict_examples_per_second and network_predict_examples_per_second are null"), r.err());
        assertEquals("null", BenchCommand.number(Double.NaN, 1));
        assertEquals("null", BenchCommand.number(Double.POSITIVE_INFINITY, 1));
        assertEquals("2.50", BenchCommand.number(2.5, 2));
    }

    @Test
    void medianLeavesOutTheFirstEpoch() {
        assertEquals(2.0, BenchCommand.medianAfterFirst(List.of(5.0, 1.0, 3.0)), 0);
        assertEquals(3.0, BenchCommand.medianAfterFirst(List.of(9.0, 4.0, 1.0, 3.0)), 0);
        assertEquals(2.0, BenchCommand.medianAfterFirst(List.of(5.0, 2.0)), 0);
        assertEquals(5.0, BenchCommand.medianAfterFirst(List.of(5.0)), 0);
    }

    @Test
    void flopsOfTheReferenceNetworkMatchTheIssue() {
        // 4·784·500 + 6·(4·500·500 + 500·10) multiply-adds-times-two per example: 319 GFLOP per 42,000-image epoch.
        double perExample = BenchCommand.trainingFlopsPerExample(referenceLayers());
        assertEquals(7_598_000, perExample, 0);
        assertEquals(319.1, 42_000 * perExample / 1e9, 0.05);
    }

    @Test
    void badOptionsAreOneLineUserErrors() {
        assertUserError(run("bench", "--data", data.toString(), "--train", "500"),
                "regula bench: --train must be in [1, 200] for " + data + ", found 500");
        assertUserError(run("bench", "--data", data.toString(), "--variant", "l3"),
                "regula bench: unknown --variant 'l3'; valid: baseline, l2, l1, dropout, augmented_zca");
        assertUserError(run("bench", "--data", data.toString(), "--epochs", "0"),
                "regula bench: --epochs must be >= 1, found 0");
        assertUserError(run("bench", "--data", data.toString(), "--threads", "-2"),
                "regula bench: --threads must be in [0, 1024] (0 = all processors), found -2");
        assertUserError(run("bench", "--data", data.toString(), "--threads", "1025"),
                "regula bench: --threads must be in [0, 1024] (0 = all processors), found 1025");
        assertUserError(run("bench", "--data", tmp.resolve("missing").toString()), "regula bench: ");
    }

    private static void assertUserError(CliTestSupport.Run r, String expected) {
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), "stack trace: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertEquals("", r.out(), "nothing on stdout");
    }

    private static void assertBetween(double low, double actual, double high, String json) {
        assertTrue(low <= actual && actual <= high, actual + " not in [" + low + ", " + high + "]: " + json);
    }

    private static List<LayerSpec> referenceLayers() {
        List<LayerSpec> layers = new ArrayList<>();
        int[] widths = {784, 500, 500, 500, 500, 500, 10};
        for (int l = 0; l < 6; l++) {
            layers.add(LayerSpec.dense(widths[l], widths[l + 1], l < 5 ? Activation.RELU : Activation.LINEAR));
        }
        return layers;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\[[^\\]]*\\]|\"[^\"]*\"|[^,}]+)").matcher(json);
        assertTrue(m.find(), "no field " + name + " in " + json);
        return m.group(1);
    }

    private static double number(String json, String name) {
        return Double.parseDouble(field(json, name));
    }

    private static List<Double> numbers(String array) {
        return Arrays.stream(array.substring(1, array.length() - 1).split(",")).map(Double::valueOf).toList();
    }
}
