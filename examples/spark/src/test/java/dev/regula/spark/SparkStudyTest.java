package dev.regula.spark;

import dev.regula.examples.cli.CliTestSupport;
import dev.regula.examples.cli.StudyOutputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code regula study --spark local[2]} writes the study of a sequential local run with the same per-run threads
 * (results.csv, runs.csv, histories, confusion matrices, provenance, charts, report), and refuses bad runner
 * options before any run.
 */
class SparkStudyTest {
    @TempDir
    static Path tmp;
    static String[] common;

    @BeforeAll
    static void data() throws IOException {
        Logger.getLogger("dev.regula").setLevel(Level.SEVERE); // the tiny runs warn about their few steps
        common = new String[]{"study", "--data", StudyOutputs.writeIdx(tmp.resolve("idx"), 600, 150).toString(),
                "--epochs", "2", "--seeds", "2", "--hidden", "8", "--batch", "32", "--threads", "1", "--seed", "5"};
    }

    @Test
    void sparkStudyWritesTheSequentialStudy() throws Exception {
        Path sequential = tmp.resolve("sequential");
        Path spark = tmp.resolve("spark");
        SweepOutputs.ok(concat(common, "--out", sequential.toString()));
        CliTestSupport.Run r = SweepOutputs.ok(concat(common, "--out", spark.toString(), "--spark", "local[2]"));
        assertTrue(r.out().contains("16 run(s) to train: Spark 4.0.1 on local[2,2]"), r.out());
        assertTrue(r.out().contains("[16/16] "), r.out());
        assertTrue(r.out().contains("s on ") && r.out().contains("/executor driver"), "where each run ran: " + r.out());
        assertEquals(16, StudyOutputs.assertSameStudy(sequential, spark));
    }

    @Test
    void refusesBadRunnerOptionsBeforeAnyRun() throws IOException {
        CliTestSupport.Run both = CliTestSupport.run(concat(common, "--out", tmp.resolve("both").toString(), "--spark", "local[2]",
                "--parallel-trials", "2"));
        assertNotEquals(0, both.exitCode());
        assertTrue(both.err().contains("--parallel-trials is for local runs"), both.err());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // nothing listens there once closed
        }
        Path out = tmp.resolve("unreachable");
        long start = System.nanoTime();
        CliTestSupport.Run down = CliTestSupport.run(concat(common, "--out", out.toString(), "--spark", "spark://127.0.0.1:" + port));
        assertNotEquals(0, down.exitCode());
        assertTrue(down.err().contains("--spark spark://127.0.0.1:" + port + ": the Spark master 127.0.0.1:" + port
                + " does not answer"), down.err());
        assertTrue((System.nanoTime() - start) / 1e9 < 30, "refused at once, not after Spark's registration retries");
        assertFalse(down.out().contains("run(s) to train"), "no run started: " + down.out());
        CliTestSupport.Run malformed = CliTestSupport.run(concat(common, "--out", out.toString(), "--spark", "spark://nohost"));
        assertTrue(malformed.err().contains("malformed Spark master spark://nohost"), malformed.err());
    }

    private static String[] concat(String[] head, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(tail));
        return all.toArray(new String[0]);
    }
}
