package dev.regula.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.datasource.IDXDataSource;
import org.tribuo.provenance.DataSourceProvenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedDataTest {

    private static Map<String, Integer> countByLabel(IDXDataSource<Label> src) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Example<Label> e : src) {
            counts.merge(e.getOutput().getLabel(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void splitsAreStratifiedWithTheDocumentedSizes() throws IOException {
        IDXDataSource<Label> train = EmbeddedData.trainSource();
        IDXDataSource<Label> test = EmbeddedData.testSource();
        assertEquals(EmbeddedData.TRAIN_SIZE, train.size());
        assertEquals(EmbeddedData.TEST_SIZE, test.size());
        Map<String, Integer> trainCounts = countByLabel(train);
        Map<String, Integer> testCounts = countByLabel(test);
        assertEquals(EmbeddedData.classNames().keySet(), trainCounts.keySet());
        for (String label : EmbeddedData.classNames().keySet()) {
            assertEquals(1000, trainCounts.get(label), label);
            assertEquals(200, testCounts.get(label), label);
        }
        assertEquals(EmbeddedData.geometry(), IdxFiles.geometry(EmbeddedData.trainImages()));
        assertEquals(EmbeddedData.geometry(), IdxFiles.geometry(EmbeddedData.testImages()));
        assertEquals("Ankle boot", EmbeddedData.classNames().get("9"));
    }

    @Test
    void provenancePointsAtTheExtractedFiles() throws IOException {
        DataSourceProvenance prov = EmbeddedData.trainSource().getProvenance();
        String text = prov.toString();
        assertTrue(text.contains(EmbeddedData.directory().toString()), text);
        assertTrue(EmbeddedData.directory().getFileName().toString()
                .equals(EmbeddedData.NAME + "-" + EmbeddedData.contentHash()));
    }

    @Test
    void extractionIsKeyedByHashAndRepairsDamagedFiles(@TempDir Path base) throws IOException {
        Path dir = EmbeddedData.directory(base);
        String hash = EmbeddedData.contentHash();
        assertEquals(12, hash.length());
        assertTrue(hash.matches("[0-9a-f]{12}"), hash);
        assertEquals(base.resolve("fashion-mnist-small-" + hash), dir);
        assertTrue(Files.readString(dir.resolve("LICENSE")).contains("Zalando"));
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        byte[] original = Files.readAllBytes(labels);
        Files.write(labels, new byte[]{1, 2, 3});
        assertEquals(dir, EmbeddedData.directory(base));
        assertEquals(original.length, Files.readAllBytes(labels).length);
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".tmp")), "no temporary files left behind");
        }
        assertEquals(EmbeddedData.TRAIN_SIZE, IdxFiles.source(dir, IdxFiles.TRAIN).size());
        assertNotEquals(0, original.length);
    }
}
