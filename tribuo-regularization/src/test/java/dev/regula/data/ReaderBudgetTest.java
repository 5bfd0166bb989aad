package dev.regula.data;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static dev.regula.data.DataErrors.assertDataError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory budgets of the readers: sizes an IDX header, a gzip stream or the index of an image folder declare are
 * checked against {@link MemoryBudget} before anything of that size is allocated or inflated, and each refusal says
 * what was asked, what is available and which setting changes it.
 */
class ReaderBudgetTest {
    private static final ImageGeometry G = ImageGeometry.of(8, 8, 1);

    @TempDir
    Path dir;

    @AfterEach
    void clearProperties() {
        System.clearProperty(MemoryBudget.PROPERTY);
    }

    private Path images() {
        return dir.resolve("train-images-idx3-ubyte.gz");
    }

    private Path labels() {
        return dir.resolve("train-labels-idx1-ubyte.gz");
    }

    /** An IDX header for {@code shape} (unsigned bytes) followed by {@code dataBytes} bytes of 1. */
    private static byte[] idx(int[] shape, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + dataBytes);
        b.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) shape.length);
        for (int d : shape) {
            b.putInt(d);
        }
        while (b.hasRemaining()) {
            b.put((byte) 1);
        }
        return b.array();
    }

    private static byte[] gzip(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(out)) {
            for (byte[] p : parts) {
                z.write(p);
            }
        }
        return out.toByteArray();
    }

    private void writeLabels(int n) throws IOException {
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            classes[i] = i % 10;
        }
        IdxFiles.writeLabels(labels(), classes, true);
    }

    @Test
    void gzipDeclaringMillionsOfImagesIsRefusedFromItsHeader() throws IOException {
        // The header declares 2.7 million 28x28 images (2.1 billion values, under the array limit); the check must
        // come from the header alone, before any of the data is inflated or allocated.
        Files.write(images(), gzip(idx(new int[]{2_700_000, 28, 28}, 4096)));
        writeLabels(40);
        ImageDataException e = assertDataError(images(), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN),
                "IDX header UBYTE[2700000, 28, 28] declares 2116800000 values: reading them into Tribuo examples needs about 31.5 GiB",
                "more than the ", " available (three quarters of the JVM's maximum heap of ",
                "raise -Xmx, or set -Dregula.memory.limit=SIZE (e.g. -Dregula.memory.limit=32g)",
                "nothing was read beyond the header");
        assertTrue(e.getMessage().length() < 600, e.getMessage());
    }

    @Test
    void theLimitCanBeSetExplicitly() throws IOException {
        List<double[]> pixels = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            double[] image = new double[G.getSize()];
            Arrays.fill(image, 1 + i);
            pixels.add(image);
        }
        IdxFiles.writeImages(images(), G, pixels, true);
        writeLabels(40);
        System.setProperty(MemoryBudget.PROPERTY, "10k");
        assertDataError(images(), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN),
                "declares 2560 values: reading them into Tribuo examples needs about 40.0 KiB, more than the 10.0 KiB "
                        + "available (-Dregula.memory.limit=10k)");
        System.setProperty(MemoryBudget.PROPERTY, "1M");
        assertEquals(40, IdxFiles.source(dir, IdxFiles.TRAIN).size());
        System.setProperty(MemoryBudget.PROPERTY, "lots");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> IdxFiles.source(dir, IdxFiles.TRAIN));
        assertEquals("system property regula.memory.limit must be a size such as 512m or 8g, found 'lots'", bad.getMessage());
    }

    @Test
    void gzipHoldingMoreThanItsHeaderDeclaresStopsInflatingAtTheDeclaredSize() throws IOException {
        // 40 declared bytes, then 64 MiB more in the same stream: the refusal must not count them all.
        byte[] declared = idx(new int[]{40}, 40);
        Files.write(labels(), gzip(declared, new byte[64 << 20]));
        assertDataError(labels(), -1, () -> IdxFiles.validate(labels()),
                "IDX file holds more than the 40 data bytes its header UBYTE[40] declares (inflation stopped at the first byte beyond them)");
        // The same with the extra data in a second gzip member.
        Files.write(labels(), gzip(declared));
        Files.write(labels(), gzip(new byte[64 << 20]), StandardOpenOption.APPEND);
        assertDataError(labels(), -1, () -> IdxFiles.validate(labels()), "holds more than the 40 data bytes");
        // Inflation itself is bounded: at most one buffer beyond the limit comes out.
        assertTrue(BoundedGzip.inflatedLength(labels(), 1000) <= 1000 + (1 << 16));
    }

    @Test
    void bytesAfterTheGzipDataAreRefused() throws IOException {
        Files.write(labels(), gzip(idx(new int[]{40}, 40)));
        assertEquals(1, IdxFiles.validate(labels()).getShape().length);
        Files.write(labels(), "trailing garbage".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        assertDataError(labels(), -1, () -> IdxFiles.validate(labels()),
                "corrupt gzip data: 16 bytes that are not gzip data follow the end of the gzip stream at offset ");
    }

    @Test
    void aPlainAndAGzippedFileOfOneNameMustAgree() throws IOException {
        Path plain = dir.resolve("train-labels-idx1-ubyte");
        Files.write(plain, idx(new int[]{40}, 40));
        Files.write(labels(), gzip(idx(new int[]{40}, 40)));
        assertEquals(plain, IdxFiles.labelsFile(dir, IdxFiles.TRAIN), "the same data: the plain file is used");
        byte[] other = idx(new int[]{40}, 40);
        other[other.length - 1] = 7;
        Files.write(labels(), gzip(other));
        assertDataError(labels(), -1, () -> IdxFiles.labelsFile(dir, IdxFiles.TRAIN),
                "the folder also holds " + plain + " and the two files hold different data; remove the one that is out of date");
        Files.write(labels(), gzip(idx(new int[]{40}, 40), new byte[]{0}));
        assertDataError(labels(), -1, () -> IdxFiles.labelsFile(dir, IdxFiles.TRAIN), "hold different data");
        Files.write(labels(), new byte[]{0x1f, (byte) 0x8b, 1, 2, 3});
        assertDataError(labels(), -1, () -> IdxFiles.labelsFile(dir, IdxFiles.TRAIN), "hold different data");
    }

    @Test
    void embeddedDataReplacesAnOversizedFileWithoutReadingIt(@TempDir Path base) throws IOException {
        Path dir = base.resolve(EmbeddedData.NAME + "-" + EmbeddedData.contentHash());
        Files.createDirectories(dir);
        Path planted = dir.resolve("train-labels-idx1-ubyte.gz");
        try (RandomAccessFile f = new RandomAccessFile(planted.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: 3 GiB that readAllBytes cannot even hold in one array
        }
        assertEquals(dir, EmbeddedData.directory(base));
        assertTrue(Files.size(planted) < 1 << 20, "replaced by the embedded file");
        assertEquals(EmbeddedData.TRAIN_SIZE, IdxFiles.validate(planted).getCount());
    }
}
