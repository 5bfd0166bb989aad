package dev.regula.examples.tools;

import dev.regula.data.EmbeddedData;
import dev.regula.data.IdxFiles;
import dev.regula.data.ImageDataException;
import dev.regula.data.ImageGeometry;
import dev.regula.data.ImageFolderDataSource;
import dev.regula.data.ReferenceLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxToImageFolderTest {

    @Test
    void convertsToTheReferenceLayoutLosslessly(@TempDir Path root) throws IOException {
        int n = IdxToImageFolder.convert(EmbeddedData.trainImages(), EmbeddedData.trainLabels(), root, false, 40);
        assertEquals(40, n);
        assertEquals(15, IdxToImageFolder.convert(EmbeddedData.testImages(), EmbeddedData.testLabels(), root, true, 15));
        List<String> index = Files.readAllLines(ReferenceLayout.trainIndex(root));
        assertEquals("filename,label", index.get(0));
        assertEquals(41, index.size());
        assertTrue(Files.isRegularFile(ReferenceLayout.trainImages(root).resolve("39.png")));
        assertEquals(List.of("filename", "0.png"), Files.readAllLines(ReferenceLayout.testIndex(root)).subList(0, 2));
        assertTrue(Files.isRegularFile(ReferenceLayout.testImages(root).resolve("14.png")));

        ImageFolderDataSource png = ImageFolderDataSource.referenceTrain(root).scale(1.0).build();
        Iterator<Example<Label>> idx = EmbeddedData.trainSource().iterator();
        for (Example<Label> fromPng : png) {
            Example<Label> fromIdx = idx.next();
            assertEquals(fromIdx.getOutput(), fromPng.getOutput());
            assertArrayEquals(IdxFiles.densify(fromIdx, png.getGeometry()), IdxFiles.densify(fromPng, png.getGeometry()));
        }
        ImageFolderDataSource test = ImageFolderDataSource.referenceTest(root).build();
        assertEquals(15, test.size());
        assertSame(LabelFactory.UNKNOWN_LABEL, test.iterator().next().getOutput());
    }

    @Test
    void anAllBlackImageConvertsAndAMismatchedPairDoesNot(@TempDir Path root) throws IOException {
        // A Tribuo dataset cannot hold an image without a non-zero pixel, but a PNG of it is fine.
        ImageGeometry g = ImageGeometry.of(3, 2, 1);
        Path images = root.resolve("images-idx3-ubyte");
        Path labels = root.resolve("labels-idx1-ubyte");
        IdxFiles.writeImages(images, g, List.of(new double[]{1, 2, 3, 4, 5, 6}, new double[6]), false);
        IdxFiles.writeLabels(labels, new int[]{3, 7}, false);
        assertEquals(2, IdxToImageFolder.convert(images, labels, root.resolve("out"), false, 10));
        assertEquals(List.of("filename,label", "0.png,3", "1.png,7"),
                Files.readAllLines(ReferenceLayout.trainIndex(root.resolve("out"))));

        IdxFiles.writeLabels(labels, new int[]{3, 7, 1}, false);
        ImageDataException e = assertThrows(ImageDataException.class,
                () -> IdxToImageFolder.convert(images, labels, root.resolve("out2"), false, 10));
        assertTrue(e.getMessage().contains("holds 3 labels but the images file " + images + " holds 2 images"), e.getMessage());
        assertFalse(Files.exists(root.resolve("out2")), "nothing written");
    }
}
