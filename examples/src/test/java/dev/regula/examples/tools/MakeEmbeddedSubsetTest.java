package dev.regula.examples.tools;

import dev.regula.data.IdxFiles;
import dev.regula.data.ImageGeometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MakeEmbeddedSubsetTest {

    /** Source with 3 classes x 6 images per split; image i has pixel 0 = i + 1 so images can be identified. */
    private static void writeSource(Path dir) throws IOException {
        ImageGeometry g = ImageGeometry.of(2, 2, 1);
        for (String split : List.of(IdxFiles.TRAIN, IdxFiles.TEST)) {
            List<double[]> images = new ArrayList<>();
            int[] labels = new int[18];
            for (int i = 0; i < 18; i++) {
                images.add(new double[]{i + 1, 0, 0, 0});
                labels[i] = i % 3;
            }
            IdxFiles.writeImages(dir.resolve(split + "-images-idx3-ubyte.gz"), g, images, true);
            IdxFiles.writeLabels(dir.resolve(split + "-labels-idx1-ubyte.gz"), labels, true);
        }
    }

    @Test
    void stratifiedDeterministicSubset(@TempDir Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        writeSource(src);
        MakeEmbeddedSubset.make(src, dir.resolve("a"), 4, 2, 7);
        MakeEmbeddedSubset.make(src, dir.resolve("b"), 4, 2, 7);
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
        Map<String, Integer> counts = new TreeMap<>();
        Set<Double> ids = new HashSet<>();
        double previous = 0;
        for (Example<Label> e : IdxFiles.source(dir.resolve("a"), IdxFiles.TRAIN)) {
            counts.merge(e.getOutput().getLabel(), 1, Integer::sum);
            double id = e.iterator().next().getValue();
            assertTrue(id > previous, "kept images stay in source order");
            previous = id;
            ids.add(id);
            assertEquals(Integer.toString(((int) id - 1) % 3), e.getOutput().getLabel(), "image keeps its label");
        }
        assertEquals(Map.of("0", 4, "1", 4, "2", 4), counts);
        assertEquals(12, ids.size());
        assertEquals(6, IdxFiles.source(dir.resolve("a"), IdxFiles.TEST).size());
        assertEquals(ImageGeometry.of(2, 2, 1), IdxFiles.geometry(dir.resolve("a").resolve("train-images-idx3-ubyte.gz")));
    }

    @Test
    void tooFewImagesPerClassIsAnError(@TempDir Path dir) throws IOException {
        writeSource(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MakeEmbeddedSubset.make(dir, dir.resolve("out"), 7, 1, 1));
        assertTrue(e.getMessage().contains("class 0 has 6 images"), e.getMessage());
    }
}
