package dev.regula.spark;

import dev.regula.examples.cli.CliTestSupport;
import dev.regula.examples.cli.StudyOutputs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What this module's tests add to the examples module's CLI test helpers ({@link CliTestSupport},
 * {@link StudyOutputs}): a CLI run that must succeed, and the comparison of two grid folders.
 */
final class SweepOutputs {
    private SweepOutputs() {}

    /** Runs the CLI in this JVM and asserts it succeeded. */
    static CliTestSupport.Run ok(String... args) {
        CliTestSupport.Run r = CliTestSupport.run(args);
        assertEquals(0, r.exitCode(), r.toString());
        return r;
    }

    /**
     * Asserts that two grid folders hold the same grid: grid.csv (seconds aside), best-config.xml and every trial's
     * model provenance (volatile keys aside).
     * @return the stored trials' result files of {@code actual}, by name.
     */
    static List<Path> assertSameGrid(Path expected, Path actual) throws Exception {
        assertEquals(StudyOutputs.withoutColumn(expected.resolve("grid.csv"), "seconds"),
                StudyOutputs.withoutColumn(actual.resolve("grid.csv"), "seconds"));
        assertEquals(Files.readString(expected.resolve("best-config.xml")), Files.readString(actual.resolve("best-config.xml")));
        List<Path> provenances;
        try (Stream<Path> files = Files.list(expected.resolve("trials"))) {
            provenances = files.filter(p -> p.toString().endsWith(".provenance.json")).sorted().toList();
        }
        assertTrue(!provenances.isEmpty(), "no stored trials in " + expected);
        for (Path p : provenances) {
            StudyOutputs.assertSameProvenance(p, actual.resolve("trials").resolve(p.getFileName()));
        }
        try (Stream<Path> files = Files.list(actual.resolve("trials"))) {
            return files.filter(p -> p.toString().endsWith(".result.properties")).sorted().toList();
        }
    }
}
