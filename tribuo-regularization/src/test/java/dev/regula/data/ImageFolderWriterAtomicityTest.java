package dev.regula.data;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A failed {@link ImageFolderWriter#write} (what {@code regula convert} runs) leaves an existing index and its
 * images as they were: no truncated, still parseable index and no temporary file behind.
 */
class ImageFolderWriterAtomicityTest {

    private static final ImageGeometry G = ImageGeometry.of(4, 4, 1);

    @TempDir
    Path root;
    private Path index;
    private Path images;

    /** {@code n} labelled 4x4 images whose pixels depend on {@code seed}; image {@code bad} (if >= 0) holds 300. */
    private static List<Example<Label>> examples(int n, int seed, int bad) {
        String[] names = G.featureNames();
        List<Example<Label>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] values = new double[G.getSize()];
            for (int j = 0; j < values.length; j++) {
                values[j] = (seed * 37 + i * 11 + j) % 256;
            }
            if (i == bad) {
                values[2] = 300;
            }
            out.add(new ArrayExample<>(new Label("c" + i % 3), names, values));
        }
        return out;
    }

    /** Every regular file under the dataset root with its bytes, by relative path. */
    private Map<String, byte[]> snapshot() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            Map<String, byte[]> out = new TreeMap<>();
            for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                out.put(root.relativize(f).toString(), Files.readAllBytes(f));
            }
            return out;
        }
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet(), "files under the dataset root");
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), actual.get(e.getKey()), e.getKey() + " changed");
        }
    }

    @BeforeEach
    void writeAFirstDataset() throws IOException {
        index = ReferenceLayout.trainIndex(root);
        images = ReferenceLayout.trainImages(root);
        assertEquals(10, ImageFolderWriter.writeReferenceTrain(examples(10, 1, -1), G, root).size());
        assertEquals(11, Files.readAllLines(index).size());
    }

    @Test
    void badPixelValueLeavesTheExistingIndexAndImagesUntouched() throws IOException {
        Map<String, byte[]> before = snapshot();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolderWriter.writeReferenceTrain(examples(10, 2, 6), G, root));
        assertEquals("Image 6 has value 300.0; PNG export needs integers in [0, 255] (unscaled IDX values)", e.getMessage());
        assertSameFiles(before, snapshot());
        assertEquals(10, ImageFolderDataSource.builder(index).imageDirectory(images).build().size());
    }

    @Test
    void ioErrorWhileWritingImagesLeavesTheExistingIndexAndNoTemporaryFile() throws IOException {
        byte[] oldIndex = Files.readAllBytes(index);
        // 3.png cannot be written: it is now a folder.
        Files.delete(images.resolve("3.png"));
        Files.createDirectory(images.resolve("3.png"));
        assertThrows(FileSystemException.class, () -> ImageFolderWriter.writeReferenceTrain(examples(10, 2, -1), G, root));
        assertArrayEquals(oldIndex, Files.readAllBytes(index), "train.csv changed");
        try (Stream<Path> files = Files.list(index.getParent())) {
            assertEquals(List.of("Images", "train.csv"), files.map(p -> p.getFileName().toString()).sorted()
                    .collect(Collectors.toList()), "only the index and the image folder");
        }
    }

    @Test
    void successfulRunReplacesTheWholeIndexAndLeavesNoTemporaryFile() throws IOException {
        assertEquals(List.of("0.png", "1.png", "2.png"), ImageFolderWriter.writeReferenceTrain(examples(3, 2, -1), G, root));
        assertEquals(List.of("filename,label", "0.png,c0", "1.png,c1", "2.png,c2"), Files.readAllLines(index));
        try (Stream<Path> files = Files.list(index.getParent())) {
            assertEquals(List.of("Images", "train.csv"), files.map(p -> p.getFileName().toString()).sorted()
                    .collect(Collectors.toList()), "only the index and the image folder");
        }
        assertEquals(3, ImageFolderDataSource.builder(index).imageDirectory(images).build().size());
    }

    @Test
    void theIndexGetsTheSamePermissionsAsTheImagesAndAOneShotIterableIsReadOnce() throws IOException {
        Assumptions.assumeTrue(root.getFileSystem().supportedFileAttributeViews().contains("posix"));
        List<Example<Label>> three = examples(3, 2, -1);
        int[] iterations = {0};
        Iterable<Example<Label>> once = () -> {
            if (iterations[0]++ > 0) {
                throw new IllegalStateException("read twice");
            }
            return three.iterator();
        };
        ImageFolderWriter.writeReferenceTrain(once, G, root);
        // a temporary file's owner-only permissions must not end up on the index
        assertEquals(Files.getPosixFilePermissions(images.resolve("0.png")), Files.getPosixFilePermissions(index));
        assertEquals(List.of("filename,label", "0.png,c0", "1.png,c1", "2.png,c2"), Files.readAllLines(index));
    }
}
