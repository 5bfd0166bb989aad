package dev.regula.data;

import org.apache.commons.imaging.ImageFormats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.classification.Label;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.regula.data.DataErrors.assertDataError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How the bytes of an index CSV are decoded: a byte-order mark is dropped before parsing (so a quoted header
 * still counts as quoted), anything that is not UTF-8 is refused with the byte, offset and line, and a header
 * whose file name column differs only in case is reported as such.
 */
class ImageFolderIndexEncodingTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    Path dir;
    private Path images;
    private Path index;

    @BeforeEach
    void setUp() throws IOException {
        images = TestImages.grayFolder(dir, 4, 4, "a.png", "b.png");
        index = dir.resolve("index.csv");
    }

    private void writeIndex(byte[] prefix, String text, Charset charset) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(prefix);
        out.write(text.getBytes(charset));
        Files.write(index, out.toByteArray());
    }

    private ImageFolderDataSource load() throws IOException {
        return ImageFolderDataSource.builder(index).imageDirectory(images).build();
    }

    private static List<String> labels(ImageFolderDataSource src) {
        List<String> out = new ArrayList<>();
        for (Example<Label> e : src) {
            out.add(e.getOutput().getLabel());
        }
        return out;
    }

    @Test
    void bomFollowedByAQuotedHeaderIsReadAsAHeader() throws IOException {
        // What Excel's "CSV UTF-8" writes when it quotes every field.
        writeIndex(BOM, "\"filename\",\"label\"\r\n\"a.png\",\"1\"\r\nb.png,2\r\n", StandardCharsets.UTF_8);
        ImageFolderDataSource src = load();
        assertTrue(src.hasLabels());
        assertEquals(List.of("a.png", "b.png"), src.getFilenames());
        assertEquals(List.of("1", "2"), labels(src));
    }

    @Test
    void bomFollowedByAQuotedFileNameInAHeaderlessIndexIsUnquoted() throws IOException {
        writeIndex(BOM, "\"a.png\",1\nb.png,2\n", StandardCharsets.UTF_8);
        ImageFolderDataSource src = load();
        assertEquals(List.of("a.png", "b.png"), src.getFilenames());
        assertEquals(List.of("1", "2"), labels(src));
    }

    @Test
    void utf8IndexWithNonAsciiNamesStillLoads() throws IOException {
        Path cafe;
        try {
            cafe = images.resolve("café.png");
        } catch (InvalidPathException e) {
            assumeTrue(false, "file names cannot hold 'é' in this locale: " + e);
            return;
        }
        TestImages.write(cafe, TestImages.gray(4, 4), ImageFormats.PNG);
        writeIndex(new byte[0], "filename,label\na.png,1\ncafé.png,é\n", StandardCharsets.UTF_8);
        ImageFolderDataSource src = load();
        assertEquals(List.of("a.png", "café.png"), src.getFilenames());
        assertEquals(List.of("1", "é"), labels(src));
    }

    @Test
    void latin1IndexIsRejectedWithTheByteOffsetAndLine() throws IOException {
        // "filename,label\n" is 15 bytes, "a.png,1\n" 8 and "caf" 3: the Latin-1 é (0xE9) is byte 26, on line 3.
        writeIndex(new byte[0], "filename,label\na.png,1\ncafé.png,2\n", StandardCharsets.ISO_8859_1);
        assertDataError(index, 3, this::load,
                "index CSV is not valid UTF-8: byte 0xe9 at offset 26; save the index as UTF-8");
    }

    @Test
    void utf16IndexIsRejectedAsNotUtf8() throws IOException {
        // Java's UTF-16 encoder writes a big-endian byte-order mark FE FF first.
        writeIndex(new byte[0], "filename,label\na.png,1\n", StandardCharsets.UTF_16);
        assertDataError(index, 1, this::load, "index CSV is not valid UTF-8: byte 0xfe at offset 0; save the index as UTF-8");
    }

    @Test
    void invalidByteAfterABomCountsTheBomInItsOffset() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(BOM);
        out.write("filename,label\nb".getBytes(StandardCharsets.US_ASCII));
        out.write(0xFF);
        out.write(".png,1\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(index, out.toByteArray());
        assertDataError(index, 2, this::load, "index CSV is not valid UTF-8: byte 0xff at offset 19;");
    }

    @Test
    void fileNameColumnInAnotherCaseIsNamedAsTheProblem() throws IOException {
        writeIndex(new byte[0], "Filename,Label\na.png,1\n", StandardCharsets.UTF_8);
        assertDataError(index, 1, this::load, "the first row has a column 'Filename' but the file name column is "
                + "'filename' (column names are case-sensitive)");
    }

    @Test
    void configuredFileNameColumnInAnotherCaseIsNamedAsTheProblem() throws IOException {
        writeIndex(new byte[0], "label,PATH\n1,a.png\n", StandardCharsets.UTF_8);
        assertDataError(index, 1,
                () -> ImageFolderDataSource.builder(index).imageDirectory(images).filenameColumn("path").build(),
                "the first row has a column 'PATH' but the file name column is 'path' (column names are case-sensitive)");
    }
}
