package dev.regula.data;

import org.apache.commons.imaging.ImageFormats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static dev.regula.data.DataErrors.assertDataError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PNG files are checked chunk by chunk before decoding: a CRC that does not match its chunk is a corrupt file
 * (as libpng and Pillow report it), naming the file and the chunk; compressed metadata chunks (iCCP, zTXt, iTXt)
 * are inflated only up to {@link MemoryBudget#pngMetadataLimit()}; and the memory of a whole folder (all listed
 * images, not only the first) is checked before the first image is decoded.
 */
class PngChunkTest {
    @TempDir
    Path dir;
    private Path images;
    private Path index;
    private byte[] valid;

    @BeforeEach
    void setUp() throws IOException {
        images = Files.createDirectories(dir.resolve("images"));
        index = dir.resolve("index.csv");
        TestImages.write(images.resolve("a.png"), TestImages.gray(4, 3), ImageFormats.PNG);
        valid = Files.readAllBytes(images.resolve("a.png"));
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty(MemoryBudget.PROPERTY);
        System.clearProperty(MemoryBudget.PNG_METADATA_PROPERTY);
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

    /** The PNG with a chunk inserted after its IHDR (signature 8 + IHDR 25 bytes). */
    private static byte[] afterIhdr(byte[] png, byte[] chunk) {
        byte[] out = new byte[png.length + chunk.length];
        System.arraycopy(png, 0, out, 0, 33);
        System.arraycopy(chunk, 0, out, 33, chunk.length);
        System.arraycopy(png, 33, out, 33 + chunk.length, png.length - 33);
        return out;
    }

    /** The offset of the first chunk of a type. */
    private static int offsetOf(byte[] png, String type) {
        int offset = 8;
        while (offset < png.length) {
            int length = ((png[offset] & 0xff) << 24) | ((png[offset + 1] & 0xff) << 16) | ((png[offset + 2] & 0xff) << 8) | (png[offset + 3] & 0xff);
            if (new String(png, offset + 4, 4, StandardCharsets.US_ASCII).equals(type)) {
                return offset;
            }
            offset += 12 + length;
        }
        throw new AssertionError("no " + type + " chunk");
    }

    /** A zlib stream of {@code n} bytes of {@code value}, compressed as far as deflate goes. */
    private static byte[] zlib(int n, byte value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] block = new byte[1 << 16];
        Arrays.fill(block, value);
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.BEST_COMPRESSION))) {
            for (int left = n; left > 0; left -= block.length) {
                z.write(block, 0, Math.min(left, block.length));
            }
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private ImageDataException refused(String name, byte[] png, String... fragments) throws IOException {
        Path file = images.resolve(name);
        Files.write(file, png);
        Files.writeString(index, "filename,label\na.png,1\n" + name + ",2\n");
        String[] all = Arrays.copyOf(fragments, fragments.length + 1);
        all[fragments.length] = "image '" + name + "' (" + file.toRealPath() + ")";
        return assertDataError(index, 3, () -> ImageFolderDataSource.builder(index).imageDirectory(images).build(), all);
    }

    private ImageFolderDataSource load(String name, byte[] png) throws IOException {
        Files.write(images.resolve(name), png);
        Files.writeString(index, "filename,label\na.png,1\n" + name + ",2\n");
        return ImageFolderDataSource.builder(index).imageDirectory(images).build();
    }

    @Test
    void aChunkWhoseCrcDoesNotMatchIsACorruptFile() throws IOException {
        byte[] badIdat = valid.clone();
        int idat = offsetOf(badIdat, "IDAT");
        int length = ((badIdat[idat + 2] & 0xff) << 8) | (badIdat[idat + 3] & 0xff);
        badIdat[idat + 8 + length] ^= 0x01; // the stored CRC, the data left intact
        refused("crc.png", badIdat, "is a corrupt PNG: the CRC-32 of its IDAT chunk at offset " + idat + " is ", " but its data gives ");

        byte[] badText = afterIhdr(valid, chunk("tEXt", "Comment\0hello".getBytes(StandardCharsets.ISO_8859_1)));
        badText[33 + 8 + 4] ^= 0x20; // a byte of the text, the CRC left as it was
        refused("text.png", badText, "is a corrupt PNG: the CRC-32 of its tEXt chunk at offset 33 is ");
    }

    @Test
    void truncatedOrMalformedChunksAreRefused() throws IOException {
        refused("cut.png", Arrays.copyOf(valid, valid.length - 12), "is a corrupt PNG: it ends at offset "
                + (valid.length - 12) + " without an IEND chunk (truncated?)");
        byte[] huge = valid.clone();
        int idat = offsetOf(huge, "IDAT");
        huge[idat] = 0x40; // the IDAT length: 1 GiB more than the file holds
        refused("long.png", huge, "is a corrupt PNG: its IDAT chunk at offset " + idat + " declares ", " (truncated?)");
    }

    @Test
    void anIccProfileThatInflatesToGigabytesIsNotInflated() throws IOException {
        // 32 MiB of profile in a few kilobytes: the decoder would inflate all of it (the 1 GiB iCCP bomb
        // costs 4.3 GB); the check stops at the 16 MiB limit.
        byte[] iccp = chunk("iCCP", concat("icc".getBytes(StandardCharsets.ISO_8859_1), new byte[]{0, 0}, zlib(32 << 20, (byte) 0)));
        refused("icc.png", afterIhdr(valid, iccp), ": its compressed iCCP chunk at offset 33 inflates to more than 16.0 MiB of metadata",
                "-Dregula.png.maxMetadata=SIZE changes it", "the image was not decoded");
    }

    @Test
    void compressedTextChunksShareTheLimitWhichCanBeChanged() throws IOException {
        byte[] ztxt = chunk("zTXt", concat("Comment".getBytes(StandardCharsets.ISO_8859_1), new byte[]{0, 0}, zlib(2 << 20, (byte) 'a')));
        byte[] itxt = chunk("iTXt", concat("Title".getBytes(StandardCharsets.ISO_8859_1), new byte[]{0, 1, 0},
                "en".getBytes(StandardCharsets.ISO_8859_1), new byte[]{0}, new byte[]{0}, zlib(1 << 20, (byte) 'b')));
        byte[] png = afterIhdr(afterIhdr(valid, itxt), ztxt);
        ImageFolderDataSource src = load("text.png", png); // 3 MiB of text, under the default 16 MiB
        var examples = src.iterator();
        double[] plain = IdxFiles.densify(examples.next(), src.getGeometry());
        assertArrayEquals(plain, IdxFiles.densify(examples.next(), src.getGeometry()), "the same pixels as a.png");
        System.setProperty(MemoryBudget.PNG_METADATA_PROPERTY, "2m");
        refused("text.png", png, ": its compressed iTXt chunk at offset ", " inflates to more than 2.0 MiB of metadata");
        System.setProperty(MemoryBudget.PNG_METADATA_PROPERTY, "4m");
        assertEquals(2, load("text.png", png).size());
    }

    @Test
    void theWholeFolderIsWeighedBeforeTheFirstImageIsDecoded() throws IOException {
        // 200x200 images: one fits in a 16 MiB budget, forty do not (each holds 40,000 features of 12 bytes).
        System.setProperty(MemoryBudget.PROPERTY, "16m");
        StringBuilder csv = new StringBuilder("filename,label\n");
        for (int i = 0; i < 40; i++) {
            TestImages.write(images.resolve("i" + i + ".png"), TestImages.gray(200, 200), ImageFormats.PNG);
            csv.append("i").append(i).append(".png,").append(i % 2).append('\n');
        }
        Files.writeString(index, "filename,label\ni0.png,0\n");
        assertEquals(1, ImageFolderDataSource.builder(index).imageDirectory(images).build().size());
        Files.writeString(index, csv);
        assertDataError(index, 2, () -> ImageFolderDataSource.builder(index).imageDirectory(images).build(),
                "the 40 image(s) listed are 200x200 like the first, 'i0.png' (" + images.toRealPath().resolve("i0.png")
                        + "): 40000 features each; decoding and holding them needs about 22.6 MiB, more than the 16.0 MiB "
                        + "available (-Dregula.memory.limit=16m); raise -Xmx, or set -Dregula.memory.limit=SIZE",
                "or lower maxPixels (now 50000000) to reject such images; no image was decoded");
    }
}
