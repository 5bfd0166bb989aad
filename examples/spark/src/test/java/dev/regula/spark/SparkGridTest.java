package dev.regula.spark;

import dev.regula.data.IdxFiles;
import dev.regula.data.ImageGeometry;
import dev.regula.examples.cli.StudyOutputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code regula grid --spark local[2]} writes the grid.csv of a local run with the same per-trial threads. */
class SparkGridTest {
    @TempDir
    Path tmp;

    /**
     * 400 synthetic 8 x 8 IDX images of two classes (class 1 brighter in its top half), so the test does not spend
     * its time reading the embedded data.
     */
    private static Path writeIdx(Path dir) throws IOException {
        Files.createDirectories(dir);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        List<double[]> images = new ArrayList<>();
        int[] labels = new int[400];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
            double[] px = new double[64];
            for (int p = 0; p < px.length; p++) {
                px[p] = Math.min(255, rng.nextInt(128) + (labels[i] == 1 && p < 32 ? 100 : 0));
            }
            images.add(px);
        }
        IdxFiles.writeImages(dir.resolve("train-images-idx3-ubyte"), ImageGeometry.of(8, 8, 1), images, false);
        IdxFiles.writeLabels(dir.resolve("train-labels-idx1-ubyte"), labels, false);
        return dir;
    }

    @Test
    void sparkGridWritesTheLocalGrid() throws IOException {
        String[] common = {"grid", "--data", writeIdx(tmp.resolve("idx")).toString(), "--hidden", "8", "--epochs", "3",
                "--threads", "1", "--seeds", "2", "--batch", "32", "--param", "optimiser.learningRate=0.001,0.003"};
        Path local = tmp.resolve("local");
        Path spark = tmp.resolve("spark");
        SweepOutputs.ok(concat(common, "--out", local.toString(), "--parallel-trials", "2"));
        String out = SweepOutputs.ok(concat(common, "--out", spark.toString(), "--spark", "local[2]")).out();
        assertTrue(out.contains("4 trial(s): Spark 4.0.1 on local[2,2]"), out);
        List<String> grid = StudyOutputs.withoutColumn(local.resolve("grid.csv"), "seconds");
        assertEquals(3, grid.size(), grid.toString());
        assertEquals(grid, StudyOutputs.withoutColumn(spark.resolve("grid.csv"), "seconds"));
        assertEquals(Files.readString(local.resolve("best-config.xml")), Files.readString(spark.resolve("best-config.xml")));
    }

    private static String[] concat(String[] head, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(tail));
        return all.toArray(new String[0]);
    }
}
