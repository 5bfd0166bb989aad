package dev.regula.spark;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import dev.regula.data.IdxFiles;
import dev.regula.data.ImageGeometry;
import dev.regula.examples.cli.RegulaCli;
import dev.regula.experiment.ProvenanceDiff;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI run in-process, small synthetic data, and the comparison of two grid or study folders with their wall
 * times aside (the same checks as the examples module's study tests, which this module's tests cannot see).
 */
final class SweepOutputs {
    private SweepOutputs() {}

    /** One CLI run's exit code and output. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    /** Runs the CLI in this JVM. */
    static Run run(String... args) {
        picocli.CommandLine cl = RegulaCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs the CLI and asserts it succeeded. */
    static Run ok(String... args) {
        Run r = run(args);
        assertEquals(0, r.exitCode(), r.toString());
        return r;
    }

    /**
     * Writes 8 x 8 IDX images of three classes (class c brighter in its c-th third of the rows): {@code train}
     * training and {@code test} test images, so that the tests spend their time on the trials, not on reading data.
     */
    static Path writeIdx(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        write(dir, IdxFiles.TRAIN, train, new SplittableRandom(11));
        write(dir, IdxFiles.TEST, test, new SplittableRandom(12));
        return dir;
    }

    private static void write(Path dir, String split, int count, SplittableRandom rng) throws IOException {
        List<double[]> images = new ArrayList<>();
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 3;
            double[] px = new double[64];
            for (int p = 0; p < px.length; p++) {
                px[p] = Math.min(255, rng.nextInt(120) + ((p / 8) * 3 / 8 == labels[i] ? 90 : 0));
            }
            images.add(px);
        }
        IdxFiles.writeImages(dir.resolve(split + "-images-idx3-ubyte"), ImageGeometry.of(8, 8, 1), images, false);
        IdxFiles.writeLabels(dir.resolve(split + "-labels-idx1-ubyte"), labels, false);
    }

    /** A CSV file's lines without the named column (a wall time). */
    static List<String> withoutColumn(Path csv, String column) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        int drop = List.of(lines.get(0).split(",", -1)).indexOf(column);
        assertTrue(drop >= 0, csv + " has no column " + column + ": " + lines.get(0));
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(drop);
            out.add(String.join(",", cells));
        }
        return out;
    }

    private static void assertSameProvenance(Path a, Path b) throws Exception {
        JsonProvenanceSerialization json = new JsonProvenanceSerialization(true);
        ProvenanceDiff diff = ProvenanceDiff.of(json.deserializeAndUnmarshal(Files.readString(a)),
                json.deserializeAndUnmarshal(Files.readString(b)));
        assertTrue(diff.isEmpty(), a + " against " + b + ": " + diff);
    }

    /**
     * Asserts that two grid folders hold the same grid: grid.csv (seconds aside), best-config.xml and every trial's
     * model provenance (volatile keys aside).
     * @return the stored trials' result files of {@code actual}, by name.
     */
    static List<Path> assertSameGrid(Path expected, Path actual) throws Exception {
        assertEquals(withoutColumn(expected.resolve("grid.csv"), "seconds"), withoutColumn(actual.resolve("grid.csv"), "seconds"));
        assertEquals(Files.readString(expected.resolve("best-config.xml")), Files.readString(actual.resolve("best-config.xml")));
        List<Path> provenances;
        try (Stream<Path> files = Files.list(expected.resolve("trials"))) {
            provenances = files.filter(p -> p.toString().endsWith(".provenance.json")).sorted().toList();
        }
        assertTrue(!provenances.isEmpty(), "no stored trials in " + expected);
        for (Path p : provenances) {
            assertSameProvenance(p, actual.resolve("trials").resolve(p.getFileName()));
        }
        try (Stream<Path> files = Files.list(actual.resolve("trials"))) {
            return files.filter(p -> p.toString().endsWith(".result.properties")).sorted().toList();
        }
    }

    /** The report without its time stamp and the training seconds of its results table. */
    static String report(Path dir) throws IOException {
        return Files.readString(dir.resolve("report.html"))
                .replaceAll("Generated \\S+ by", "Generated by")
                .replaceAll("(?m)^(<tr><td>[a-z0-9_]+</td>.*)<td>[0-9.]+</td></tr>$", "$1</tr>");
    }

    /**
     * Asserts that two study folders hold the same study: results.csv, runs.csv, every run's history (seconds aside),
     * confusion matrix and provenance (volatile keys aside), the charts and the report.
     * @return the number of runs compared.
     */
    static int assertSameStudy(Path expected, Path actual) throws Exception {
        assertEquals(withoutColumn(expected.resolve("results.csv"), "train_seconds"),
                withoutColumn(actual.resolve("results.csv"), "train_seconds"));
        List<String> runs = withoutColumn(expected.resolve("runs.csv"), "train_seconds");
        assertEquals(runs, withoutColumn(actual.resolve("runs.csv"), "train_seconds"));
        List<Path> models;
        try (Stream<Path> files = Files.walk(expected)) {
            models = files.filter(p -> p.getFileName().toString().equals("model.tribuo")).sorted().toList();
        }
        assertEquals(runs.size() - 1, models.size(), "a model per run: " + models);
        for (Path model : models) {
            Path a = model.getParent();
            Path b = actual.resolve(expected.relativize(a));
            assertEquals(withoutColumn(a.resolve("history.csv"), "seconds"), withoutColumn(b.resolve("history.csv"), "seconds"),
                    a.toString());
            assertEquals(Files.readString(a.resolve("confusion-matrix.txt")), Files.readString(b.resolve("confusion-matrix.txt")),
                    a.toString());
            assertSameProvenance(a.resolve("provenance.json"), b.resolve("provenance.json"));
        }
        for (String chart : List.of("accuracy.svg", "loss.svg", "test-accuracy.svg")) {
            assertEquals(Files.readString(expected.resolve(chart)), Files.readString(actual.resolve(chart)), chart);
        }
        assertEquals(report(expected), report(actual));
        return models.size();
    }
}
