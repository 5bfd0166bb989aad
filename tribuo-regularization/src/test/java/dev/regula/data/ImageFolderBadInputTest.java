package dev.regula.data;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.apache.commons.imaging.ImageFormats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Bad-input corpus generated in code: every case fails with a message naming the file and the CSV line. */
class ImageFolderBadInputTest {

    @TempDir
    Path dir;
    private Path images;
    private Path index;

    @BeforeEach
    void setUp() throws IOException {
        images = TestImages.grayFolder(dir, 4, 4, "a.png", "b.png");
        index = dir.resolve("index.csv");
    }

    /** Writes the index, expects a failure, and checks the message names the index, line and given fragments. */
    private ImageDataException fails(String csv, long line, String... fragments) throws IOException {
        Files.writeString(index, csv);
        ImageDataException e = assertThrows(ImageDataException.class,
                () -> ImageFolderDataSource.builder(index).imageDirectory(images).build());
        String msg = e.getMessage();
        assertTrue(msg.startsWith(index.toAbsolutePath().toString()), msg);
        assertEquals(line, e.getLine(), msg);
        if (line > 0) {
            assertTrue(msg.contains("line " + line), msg);
        }
        for (String f : fragments) {
            assertTrue(msg.contains(f), "'" + f + "' missing from: " + msg);
        }
        return e;
    }

    @Test
    void validIndexLoads() throws IOException {
        Files.writeString(index, "filename,label\na.png,1\nb.png,2\n");
        assertEquals(2, ImageFolderDataSource.builder(index).imageDirectory(images).build().size());
    }

    @Test
    void missingImage() throws IOException {
        fails("filename,label\na.png,1\nmissing.png,2\n", 3, "missing.png", "does not exist");
    }

    @Test
    void nonImageFile() throws IOException {
        Files.writeString(images.resolve("notes.png"), "this is text, not a PNG");
        fails("filename,label\na.png,1\nnotes.png,2\n", 3, "notes.png", "not a readable image");
    }

    @Test
    void truncatedPng() throws IOException {
        byte[] full = Files.readAllBytes(images.resolve("b.png"));
        Files.write(images.resolve("cut.png"), Arrays.copyOf(full, full.length - 20));
        fails("filename,label\na.png,1\ncut.png,2\n", 3, "cut.png");
    }

    @Test
    void corruptPixelData() throws IOException {
        byte[] bad = Files.readAllBytes(images.resolve("b.png"));
        // Overwrite the compressed IDAT payload (after signature 8 + IHDR chunk 25 + IDAT length/type 8).
        for (int i = 41; i < bad.length - 16; i++) {
            bad[i] = (byte) 0xFF;
        }
        Files.write(images.resolve("bad.png"), bad);
        fails("filename,label\na.png,1\nbad.png,2\n", 3, "bad.png");
    }

    @Test
    void differentSizesNameBothSizesAndTheFirstFile() throws IOException {
        TestImages.write(images.resolve("big.png"), TestImages.gray(5, 4), ImageFormats.PNG);
        fails("filename,label\na.png,1\nb.png,1\nbig.png,2\n", 4, "big.png", "5x4", "4x4", "'a.png'");
    }

    @Test
    void missingField() throws IOException {
        fails("filename,label\na.png,1\nb.png\n", 3, "expected 2 field(s)", "found 1");
    }

    @Test
    void extraField() throws IOException {
        fails("filename,label\na.png,1,x\n", 2, "expected 2 field(s)", "found 3");
    }

    @Test
    void emptyFields() throws IOException {
        fails("filename,label\n,1\n", 2, "empty file name");
        fails("filename,label\na.png,1\nb.png, \n", 3, "empty label", "b.png");
    }

    @Test
    void unknownLabelColumnListsTheColumns() throws IOException {
        Files.writeString(index, "filename,target\na.png,1\n");
        ImageDataException e = assertThrows(ImageDataException.class,
                () -> ImageFolderDataSource.builder(index).imageDirectory(images).labelColumn("label").build());
        assertTrue(e.getMessage().contains("'label' not found; available columns: filename, target"), e.getMessage());
        assertEquals(1, e.getLine());
    }

    @Test
    void unexpectedColumnsAreRejectedNotIgnored() throws IOException {
        fails("filename,Label\na.png,1\n", 1, "'Label'");
        fails("id,filename,label\n1,a.png,1\n", 1, "'id'");
    }

    @Test
    void duplicateFileNames() throws IOException {
        fails("filename,label\na.png,1\nb.png,1\n./a.png,2\n", 4, "'./a.png'", "line 2");
    }

    @Test
    void emptyIndex() throws IOException {
        fails("filename,label\n", -1, "no images");
        fails("", -1, "no images");
    }

    @Test
    void missingIndexAndMissingImageDirectory() throws IOException {
        ImageDataException e = assertThrows(ImageDataException.class,
                () -> ImageFolderDataSource.builder(dir.resolve("nope.csv")).build());
        assertTrue(e.getMessage().contains("nope.csv"), e.getMessage());
        Files.writeString(index, "a.png\n");
        ImageDataException e2 = assertThrows(ImageDataException.class,
                () -> ImageFolderDataSource.builder(index).imageDirectory(dir.resolve("nowhere")).build());
        assertTrue(e2.getMessage().contains("nowhere"), e2.getMessage());
    }

    @Test
    void malformedQuoting() throws IOException {
        fails("filename,label\na.png,1\n\"b.png,2\n", 3, "malformed CSV");
    }

    @Test
    void pathTraversalIsRejected() throws IOException {
        TestImages.write(dir.resolve("outside.png"), TestImages.gray(4, 4), ImageFormats.PNG);
        fails("filename,label\na.png,1\n../outside.png,2\n", 3, "'../outside.png'", "escapes the image directory");
        fails("filename,label\n" + dir.resolve("outside.png").toAbsolutePath() + ",2\n", 2, "is absolute");
    }

    @Test
    void symlinkOutsideTheRootIsRejected() throws IOException {
        Path outside = dir.resolve("secret.png");
        TestImages.write(outside, TestImages.gray(4, 4), ImageFormats.PNG);
        try {
            Files.createSymbolicLink(images.resolve("link.png"), outside);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links not supported here: " + e);
        }
        fails("filename,label\na.png,1\nlink.png,2\n", 3, "'link.png'", "outside the image directory");
        // A link inside the root is fine.
        Files.createSymbolicLink(images.resolve("inner.png"), images.resolve("b.png"));
        Files.writeString(index, "filename,label\na.png,1\ninner.png,2\n");
        assertEquals(2, ImageFolderDataSource.builder(index).imageDirectory(images).build().size());
    }

    @Test
    void decompressionBombIsRejectedFromTheHeader() throws IOException {
        // 100000 x 100000 declared, no pixel data: must be refused by the header check, not decoded.
        TestImages.pngHeaderOnly(images.resolve("bomb.png"), 100_000, 100_000);
        fails("filename,label\na.png,1\nbomb.png,2\n", 3, "bomb.png", "100000x100000", "maxPixels = 50000000");
    }

    @Test
    void configurablePixelLimit() throws IOException {
        Files.writeString(index, "filename,label\na.png,1\n");
        ImageDataException e = assertThrows(ImageDataException.class,
                () -> ImageFolderDataSource.builder(index).imageDirectory(images).maxPixels(15).build());
        assertTrue(e.getMessage().contains("16 pixels, more than maxPixels = 15"), e.getMessage());
        assertEquals(1, ImageFolderDataSource.builder(index).imageDirectory(images).maxPixels(16).build().size());
    }

    @Test
    void badConfigurationNamesTheField() {
        assertEquals("scale", assertThrows(PropertyException.class,
                () -> ImageFolderDataSource.builder(index).scale(0).build()).getProperty());
        assertEquals("scale", assertThrows(PropertyException.class,
                () -> ImageFolderDataSource.builder(index).scale(Double.NaN).build()).getProperty());
        assertEquals("maxPixels", assertThrows(PropertyException.class,
                () -> ImageFolderDataSource.builder(index).maxPixels(0).build()).getProperty());
        assertEquals("filenameColumn", assertThrows(PropertyException.class,
                () -> ImageFolderDataSource.builder(index).filenameColumn(" ").build()).getProperty());
        assertEquals("labelColumn", assertThrows(PropertyException.class,
                () -> ImageFolderDataSource.builder(index).labelColumn("filename").build()).getProperty());
    }

    @Test
    void headerlessIndexWithConfiguredLabelColumnIsAnError() throws IOException {
        Files.writeString(index, "a.png,1\n");
        ImageDataException e = assertThrows(ImageDataException.class,
                () -> ImageFolderDataSource.builder(index).imageDirectory(images).labelColumn("label").build());
        assertTrue(e.getMessage().contains("no header row"), e.getMessage());
    }
}
