package dev.regula.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.regula.examples.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code regula study --parallel-trials 2}: every variant and seed as a trial of the local runner gives the files of
 * the sequential study (wall times aside), resumes from them, and refuses bad runner options before anything runs.
 */
class StudyTrialsTest {
    @TempDir
    static Path tmp;
    static String[] common;
    static Path sequential;
    static CliTestSupport.Run sequentialRun;

    @BeforeAll
    static void runSequential() throws IOException {
        Logger.getLogger("dev.regula").setLevel(Level.SEVERE); // the tiny runs warn about their few steps
        Path data = StudyOutputs.writeIdx(tmp.resolve("idx"), 600, 150);
        common = new String[]{"study", "--data", data.toString(), "--epochs", "2", "--seeds", "2", "--hidden", "8",
                "--batch", "32", "--threads", "1", "--seed", "5"};
        sequential = tmp.resolve("sequential");
        sequentialRun = run(concat(common, "--out", sequential.toString()));
        assertEquals(0, sequentialRun.exitCode(), sequentialRun.toString());
    }

    @Test
    void parallelTrialsWriteTheSequentialStudy() throws Exception {
        Path parallel = tmp.resolve("parallel");
        CliTestSupport.Run r = run(concat(common, "--out", parallel.toString(), "--parallel-trials", "2"));
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("16 run(s) to train: local, 2 trial(s) in parallel x 1 BLAS thread(s), up to 2 attempt(s)"),
                r.out());
        assertTrue(r.out().contains("[16/16] "), r.out());
        assertFalse(r.out().contains(" epoch 1/2"), "no per-epoch progress from runs in parallel: " + r.out());
        assertTrue(r.err().isEmpty(), r.err());
        assertEquals(16, StudyOutputs.assertSameStudy(sequential, parallel));

        // interrupted after all but one run (its evaluation missing): only that one is trained again
        Files.delete(parallel.resolve("l1/seed-6/confusion-matrix.txt"));
        CliTestSupport.Run again = run(concat(common, "--out", parallel.toString(), "--parallel-trials", "2"));
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().contains("1 run(s) to train: local"), again.out());
        assertTrue(again.out().contains("baseline seed 5: reusing the finished run in "), again.out());
        assertFalse(again.out().contains("l1 seed 6: reusing"), again.out());
        StudyOutputs.assertSameStudy(sequential, parallel);
    }

    /**
     * A variant that diverges (an L2 factor of 1e30) fails every attempt as a trial, is reported with its error and
     * attempts, and leaves the files the sequential study leaves: the other variant's runs, the report naming it.
     */
    @Test
    void aFailingVariantLeavesTheFilesOfTheSequentialStudy() throws Exception {
        String[] failing = concat(common, "--variants", "baseline,l2", "--l2", "1e30");
        Path seq = tmp.resolve("failing-sequential");
        Path par = tmp.resolve("failing-parallel");
        CliTestSupport.Run a = run(concat(failing, "--out", seq.toString()));
        CliTestSupport.Run b = run(concat(failing, "--out", par.toString(), "--parallel-trials", "2"));
        assertEquals(RegulaCli.EXIT_ERROR, a.exitCode(), a.toString());
        assertEquals(RegulaCli.EXIT_ERROR, b.exitCode(), b.toString());
        for (String name : List.of("l2 seed 5", "l2 seed 6")) {
            assertTrue(b.err().contains("variant " + name + " failed after 2 attempt(s) on ")
                    && b.err().contains("Training diverged"), b.err());
        }
        assertEquals(2, StudyOutputs.assertSameStudy(seq, par), "the two baseline runs");
        assertTrue(Files.readString(par.resolve("report.html")).contains("<strong>Failed</strong> (see the console): l2."));
    }

    @Test
    void refusesBadRunnerOptionsBeforeAnythingRuns() {
        Path out = tmp.resolve("bad");
        assertTrue(run("study", "--out", out.toString(), "--parallel-trials", "0").err()
                .contains("--parallel-trials must be in [1, 256], found 0"));
        assertTrue(run("study", "--out", out.toString(), "--parallel-trials", "257").err()
                .contains("--parallel-trials must be in [1, 256], found 257"));
        assertTrue(run("study", "--out", out.toString(), "--parallel-trials", "2", "--attempts", "0").err()
                .contains("--attempts must be in [1, 10], found 0"));
        assertTrue(run("study", "--out", out.toString(), "--spark", "local[2]").err()
                .contains("--spark needs the regula-spark module on the class path"));
        assertFalse(Files.exists(out), "nothing is written before the options are checked");
    }

    private static String[] concat(String[] head, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(tail));
        return all.toArray(new String[0]);
    }
}
