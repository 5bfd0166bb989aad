package dev.regula.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxFilesTest {

    @Test
    void writeThenReadBackGzippedAndPlain(@TempDir Path dir) throws IOException {
        ImageGeometry g = ImageGeometry.of(3, 2, 1);
        double[] a = {0, 1, 2, 3, 4, 255};
        double[] b = {9, 0, 0, 0, 0, 0};
        IdxFiles.writeImages(dir.resolve("train-images-idx3-ubyte.gz"), g, List.of(a, b), true);
        IdxFiles.writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), new int[]{7, 2}, true);
        IdxFiles.writeImages(dir.resolve("t10k-images-idx3-ubyte"), g, List.of(b), false);
        IdxFiles.writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), new int[]{3}, false);

        assertTrue(IdxFiles.isGzip(dir.resolve("train-images-idx3-ubyte.gz")));
        assertFalse(IdxFiles.isGzip(dir.resolve("t10k-images-idx3-ubyte")));
        IdxFiles.Header header = IdxFiles.header(dir.resolve("train-images-idx3-ubyte.gz"));
        assertEquals(IDXDataSource.IDXType.UBYTE, header.getType());
        assertArrayEquals(new int[]{2, 2, 3}, header.getShape());
        assertEquals(g, IdxFiles.geometry(dir.resolve("train-images-idx3-ubyte.gz")));
        assertEquals(g, IdxFiles.geometry(dir.resolve("t10k-images-idx3-ubyte")));

        assertTrue(IdxFiles.hasSplit(dir, IdxFiles.TRAIN));
        assertTrue(IdxFiles.hasSplit(dir, IdxFiles.TEST));
        assertFalse(IdxFiles.hasSplit(dir, "valid"));
        IDXDataSource<Label> train = IdxFiles.source(dir, IdxFiles.TRAIN);
        Iterator<Example<Label>> it = train.iterator();
        Example<Label> first = it.next();
        assertEquals("7", first.getOutput().getLabel());
        assertArrayEquals(a, IdxFiles.densify(first, g));
        assertEquals(5, first.size(), "IDXDataSource drops the zero pixel");
        Example<Label> second = it.next();
        assertEquals("2", second.getOutput().getLabel());
        assertArrayEquals(b, IdxFiles.densify(second, g));
        assertEquals(1, IdxFiles.source(dir, IdxFiles.TEST).size());
    }

    @Test
    void rgbImagesGetFourDimensions(@TempDir Path dir) throws IOException {
        ImageGeometry g = ImageGeometry.of(2, 2, 3);
        double[] image = new double[12];
        image[11] = 100;
        IdxFiles.writeImages(dir.resolve("x.idx"), g, List.of(image), false);
        assertArrayEquals(new int[]{1, 2, 2, 3}, IdxFiles.header(dir.resolve("x.idx")).getShape());
        assertEquals(g, IdxFiles.geometry(dir.resolve("x.idx")));
    }

    @Test
    void missingFilesNameBothCandidates(@TempDir Path dir) {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxFiles.imagesFile(dir, IdxFiles.TRAIN));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        assertTrue(e.getOtherFile().endsWith("train-images-idx3-ubyte.gz"), e.getOtherFile());
    }

    @Test
    void invalidFilesAreRejected(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("text");
        Files.writeString(text, "hello world, not IDX");
        ImageDataException e = assertThrows(ImageDataException.class, () -> IdxFiles.geometry(text));
        assertTrue(e.getMessage().contains(text.toString()), e.getMessage());
        Path labels = dir.resolve("labels");
        IdxFiles.writeLabels(labels, new int[]{1, 2}, false);
        ImageDataException e2 = assertThrows(ImageDataException.class, () -> IdxFiles.geometry(labels));
        assertTrue(e2.getMessage().contains("[2]"), e2.getMessage());
        Path truncated = dir.resolve("truncated");
        Files.write(truncated, new byte[]{0, 0, 8, 3, 0, 0});
        assertThrows(ImageDataException.class, () -> IdxFiles.header(truncated));
    }

    @Test
    void writerRejectsNonBytes(@TempDir Path dir) {
        ImageGeometry g = ImageGeometry.of(1, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> IdxFiles.writeImages(dir.resolve("a"), g, List.of(new double[]{0.5}), false));
        assertThrows(IllegalArgumentException.class, () -> IdxFiles.writeImages(dir.resolve("a"), g, List.of(new double[]{256}), false));
        assertThrows(IllegalArgumentException.class, () -> IdxFiles.writeImages(dir.resolve("a"), g, List.of(new double[]{1, 2}), false));
        assertThrows(IllegalArgumentException.class, () -> IdxFiles.writeLabels(dir.resolve("b"), new int[]{-1}, false));
    }
}
