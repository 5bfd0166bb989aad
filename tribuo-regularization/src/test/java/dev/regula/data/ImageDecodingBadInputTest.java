package dev.regula.data;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

import static dev.regula.data.DataErrors.assertDataError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Images whose PNG header breaks the PNG specification are refused with the file, the CSV line and the allowed
 * values instead of decoding into arbitrary pixels, and an image too large for the heap is named instead of
 * ending in an anonymous {@link OutOfMemoryError}.
 */
class ImageDecodingBadInputTest {

    @TempDir
    Path dir;
    private Path images;
    private Path index;

    @BeforeEach
    void setUp() throws IOException {
        images = TestImages.grayFolder(dir, 3, 2, "a.png");
        index = dir.resolve("index.csv");
    }

    private static byte[] chunk(String type, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        d.writeInt(data.length);
        d.write(typeBytes);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        d.writeInt((int) crc.getValue());
        return out.toByteArray();
    }

    /**
     * A complete PNG with valid CRCs whose every sample bit is set: IHDR as given, a white palette of
     * {@code 2^depth} entries for colour type 3, and rows of the length the header implies.
     */
    private static byte[] png(int width, int height, int depth, int colourType, int compression, int interlace)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(width);
        d.writeInt(height);
        d.writeByte(depth);
        d.writeByte(colourType);
        d.writeByte(compression);
        d.writeByte(0);
        d.writeByte(interlace);
        out.write(chunk("IHDR", ihdr.toByteArray()));
        if (colourType == 3) {
            byte[] palette = new byte[3 << Math.min(depth, 8)];
            Arrays.fill(palette, (byte) 0xFF);
            out.write(chunk("PLTE", palette));
        }
        int samples = colourType == 2 ? 3 : colourType == 4 ? 2 : colourType == 6 ? 4 : 1;
        int rowBytes = (width * samples * depth + 7) / 8;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < height; y++) {
            raw.write(0); // filter: none
            for (int i = 0; i < rowBytes; i++) {
                raw.write(0xFF);
            }
        }
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflater = new DeflaterOutputStream(z)) {
            deflater.write(raw.toByteArray());
        }
        out.write(chunk("IDAT", z.toByteArray()));
        out.write(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** Writes {@code name} and an index listing a.png then {@code name}, and expects the error on line 3. */
    private void failsOnLine3(String name, byte[] png, String problem) throws IOException {
        Path file = images.resolve(name);
        Files.write(file, png);
        Files.writeString(index, "filename,label\na.png,1\n" + name + ",2\n");
        assertDataError(index, 3, () -> ImageFolderDataSource.builder(index).imageDirectory(images).build(),
                "image '" + name + "' (" + file.toRealPath() + ") is not a valid PNG: " + problem);
    }

    @Test
    void grayBitDepth3IsRefusedWithTheAllowedDepths() throws IOException {
        failsOnLine3("g3.png", png(3, 2, 3, 0, 0, 0), "bit depth 3 is not allowed for colour type 0 (allowed: 1, 2, 4, 8, 16)");
    }

    @Test
    void rgbBitDepth4IsRefusedWithTheAllowedDepths() throws IOException {
        failsOnLine3("rgb4.png", png(3, 2, 4, 2, 0, 0), "bit depth 4 is not allowed for colour type 2 (allowed: 8, 16)");
    }

    @Test
    void paletteBitDepth16IsRefusedWithTheAllowedDepths() throws IOException {
        failsOnLine3("p16.png", png(3, 2, 16, 3, 0, 0), "bit depth 16 is not allowed for colour type 3 (allowed: 1, 2, 4, 8)");
    }

    @Test
    void grayAlphaBitDepth4IsRefusedWithTheAllowedDepths() throws IOException {
        failsOnLine3("ga4.png", png(3, 2, 4, 4, 0, 0), "bit depth 4 is not allowed for colour type 4 (allowed: 8, 16)");
    }

    @Test
    void unknownColourTypeIsRefused() throws IOException {
        failsOnLine3("c5.png", png(3, 2, 8, 5, 0, 0), "colour type 5 is not one of 0, 2, 3, 4, 6");
    }

    @Test
    void unknownCompressionOrInterlaceMethodIsRefused() throws IOException {
        failsOnLine3("z1.png", png(3, 2, 8, 0, 1, 0), "compression method 1 (allowed: 0)");
        failsOnLine3("z128.png", png(3, 2, 8, 0, 128, 0), "compression method 128 (allowed: 0)");
        failsOnLine3("i2.png", png(3, 2, 8, 0, 0, 2), "interlace method 2 (allowed: 0, 1)");
    }

    /** Every colour type and bit depth the PNG specification allows still loads, interlaced or not. */
    @ParameterizedTest(name = "colour type {0}, bit depth {1}, interlace {2}")
    @CsvSource({"0,1,0", "0,2,0", "0,4,0", "0,8,0", "0,16,0", "2,8,0", "2,16,0", "3,1,0", "3,2,0", "3,4,0", "3,8,0",
            "4,8,0", "4,16,0", "6,8,0", "6,16,0", "0,8,1", "2,8,1", "3,4,1"})
    void everyAllowedHeaderStillLoads(int colourType, int depth, int interlace) throws IOException {
        // Adam7 data for a 1x1 image is the single row of pass 1, the same bytes as without interlacing.
        int width = interlace == 1 ? 1 : 3;
        int height = interlace == 1 ? 1 : 2;
        Files.write(images.resolve("ok.png"), png(width, height, depth, colourType, 0, interlace));
        Files.writeString(index, "filename,label\nok.png,1\n");
        ImageFolderDataSource src = ImageFolderDataSource.builder(index).imageDirectory(images).scale(1.0).build();
        assertEquals(ImageGeometry.of(width, height, 1), src.getGeometry());
        double[] white = new double[width * height];
        Arrays.fill(white, 255);
        assertArrayEquals(white, IdxFiles.densify(src.iterator().next(), src.getGeometry()), 0.0);
    }

    /** Loads the index given as the first argument and prints the outcome, for a JVM started with a small heap. */
    static final class LoadInSmallHeap {
        public static void main(String[] args) {
            try {
                int n = ImageFolderDataSource.builder(Path.of(args[0])).imageDirectory(Path.of(args[1])).build().size();
                System.out.println("loaded " + n);
            } catch (Throwable t) {
                System.out.println(t.getClass().getName() + ": " + t.getMessage());
            }
        }
    }

    @Test
    void imageDeclaringMorePixelsThanTheHeapHoldsIsRefusedBeforeAllocating() throws Exception {
        // 7000 x 7000 = 49 M pixels, under the default maxPixels; their 49 M feature names would not fit in a 48 MB
        // heap. A separate JVM fixes the heap size (and keeps any allocation failure away from this one).
        TestImages.pngHeaderOnly(images.resolve("big.png"), 7000, 7000);
        Files.writeString(index, "filename,label\nbig.png,2\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData", "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                LoadInSmallHeap.class.getName(), index.toString(), images.toString())
                .redirectErrorStream(true).directory(dir.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        String start = ImageDataException.class.getName() + ": " + index + ", line 2: the 1 image(s) listed are 7000x7000 "
                + "like the first, 'big.png' (" + images.toRealPath().resolve("big.png") + "): 49000000 features each; "
                + "decoding and holding them needs about 5.7 GiB, more than the ";
        String end = "if the data is genuine; or lower maxPixels (now 50000000) to reject such images; no image was decoded";
        assertTrue(text.lines().anyMatch(l -> l.startsWith(start) && l.endsWith(end)),
                "expected a line\n" + start + "…" + end + "\nin the output\n" + text);
    }
}
