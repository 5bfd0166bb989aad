package dev.regula.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.regula.data.DataErrors.assertDataError;

/**
 * Invalid IDX files given to {@link IdxFiles#source(Path, String)} are reported as an {@link ImageDataException}
 * that names the offending file and the problem (declared versus actual sizes, dimensions, counts, the image and
 * pixel): never an anonymous {@code IllegalStateException} from Tribuo, an {@code OutOfMemoryError} or a silent load.
 */
class IdxValidationTest {

    private static final int N = 40;
    private static final ImageGeometry G = ImageGeometry.of(8, 8, 1);

    @TempDir
    Path dir;

    private Path images(boolean gzip) {
        return dir.resolve("train-images-idx3-ubyte" + (gzip ? ".gz" : ""));
    }

    private Path labels(boolean gzip) {
        return dir.resolve("train-labels-idx1-ubyte" + (gzip ? ".gz" : ""));
    }

    /** {@code n} 8x8 images without a zero pixel (IDXDataSource drops zero pixels; a blank image is its own case). */
    private static List<double[]> pixels(int n) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] image = new double[G.getSize()];
            for (int j = 0; j < image.length; j++) {
                image[j] = 1 + (i * 7 + j) % 255;
            }
            out.add(image);
        }
        return out;
    }

    private static int[] classes(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i % 10;
        }
        return out;
    }

    /** Writes a valid pair of {@code n} images and {@code n} labels under the standard train names. */
    private void writePair(int n, boolean gzip) throws IOException {
        IdxFiles.writeImages(images(gzip), G, pixels(n), gzip);
        IdxFiles.writeLabels(labels(gzip), classes(n), gzip);
    }

    /** An IDX header (magic {@code 00 00 type dims}, then the dimensions) followed by {@code dataBytes} bytes. */
    private static byte[] idx(int type, int[] shape, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + dataBytes);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) shape.length);
        for (int d : shape) {
            b.putInt(d);
        }
        for (int i = 0; i < dataBytes; i++) {
            b.put((byte) (1 + i % 200));
        }
        return b.array();
    }

    @Test
    void truncatedImagesFileNamesTheDeclaredAndActualByteCounts() throws IOException {
        writePair(N, false);
        byte[] full = Files.readAllBytes(images(false));
        Files.write(images(false), Arrays.copyOf(full, full.length - 100));
        assertDataError(images(false), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN),
                "truncated IDX file: header UBYTE[40, 8, 8] declares 2560 data bytes but the file holds 2460");
    }

    @Test
    void trailingBytesAfterTheDeclaredDataAreReported() throws IOException {
        writePair(N, false);
        Files.write(labels(false), new byte[]{1, 2, 3}, StandardOpenOption.APPEND);
        assertDataError(labels(false), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN),
                "IDX file has 3 bytes after the 40 data bytes its header UBYTE[40] declares");
    }

    @Test
    void truncatedHeaderIsReportedWithTheFile() throws IOException {
        writePair(N, false);
        byte[] full = Files.readAllBytes(images(false));
        Files.write(images(false), Arrays.copyOf(full, 10));
        assertDataError(images(false), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN), "truncated IDX header");
    }

    @Test
    void wrongMagicIsReportedWithTheFile() throws IOException {
        writePair(N, false);
        byte[] bytes = Files.readAllBytes(labels(false));
        bytes[0] = 0x08;
        bytes[1] = 0x03;
        Files.write(labels(false), bytes);
        assertDataError(labels(false), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN),
                "not an IDX file: the first two bytes must be zero, found 0x803");
    }

    @Test
    void unknownElementTypeIsReportedWithTheFile() throws IOException {
        writePair(N, false);
        byte[] bytes = Files.readAllBytes(images(false));
        bytes[2] = 0x05;
        Files.write(images(false), bytes);
        assertDataError(images(false), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN),
                "not an IDX file: unknown element type 0x5");
    }

    @Test
    void corruptGzipDataIsReportedAsSuch() throws IOException {
        writePair(N, true);
        byte[] bytes = Files.readAllBytes(images(true));
        // Overwrite the deflate stream after the 10-byte gzip header.
        Arrays.fill(bytes, 10, 30, (byte) 0xFF);
        Files.write(images(true), bytes);
        assertDataError(images(true), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN), "corrupt gzip data: ");
        // The header helpers used by every CLI command report it the same way instead of a bare ZipException.
        assertDataError(images(true), -1, () -> IdxFiles.geometry(images(true)), "corrupt gzip data: ");
    }

    @Test
    void gzipWithABadChecksumIsRejected() throws IOException {
        writePair(N, true);
        byte[] bytes = Files.readAllBytes(labels(true));
        bytes[bytes.length - 8] ^= 0x5A; // the CRC-32 of the gzip trailer
        Files.write(labels(true), bytes);
        assertDataError(labels(true), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN), "corrupt gzip data: ");
    }

    @Test
    void truncatedGzipDownloadIsReportedWithTheFile() throws IOException {
        writePair(N, true);
        byte[] full = Files.readAllBytes(images(true));
        Files.write(images(true), Arrays.copyOf(full, full.length - 40));
        assertDataError(images(true), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN), "truncated gzip data (an incomplete download?): ");
    }

    @Test
    void directoryInsteadOfAnIdxFileIsReportedWithItsPath() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("not-a-file"));
        assertDataError(folder, -1, () -> IdxFiles.header(folder), "cannot read IDX file: ");
    }

    @Test
    void headerDeclaringMoreValuesThanAnArrayHoldsIsRejectedWithoutAllocating() throws IOException {
        Files.write(images(false), idx(0x08, new int[]{67_108_864, 28, 28}, 1000));
        IdxFiles.writeLabels(labels(false), classes(N), false);
        assertDataError(images(false), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN),
                "IDX header UBYTE[67108864, 28, 28] declares more than 2147483639 values");
    }

    @Test
    void hugeDeclaredCountOnASmallFileIsReportedAsTruncatedWithoutAllocating() throws IOException {
        Files.write(images(false), idx(0x08, new int[]{1_000_000, 28, 28}, 1000));
        IdxFiles.writeLabels(labels(false), classes(N), false);
        assertDataError(images(false), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN),
                "truncated IDX file: header UBYTE[1000000, 28, 28] declares 784000000 data bytes but the file holds 1000");
    }

    @Test
    void emptyImagesFileIsRejected() throws IOException {
        Files.write(images(false), idx(0x08, new int[]{0, 8, 8}, 0));
        Files.write(labels(false), idx(0x08, new int[]{0}, 0));
        assertDataError(images(false), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN), "IDX images file holds no images");
    }

    @Test
    void countMismatchNamesBothFilesAndBothCounts() throws IOException {
        IdxFiles.writeImages(images(false), G, pixels(N), false);
        IdxFiles.writeLabels(labels(false), classes(35), false);
        assertDataError(labels(false), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN),
                "holds 35 labels but the images file " + images(false) + " holds 40 images");
    }

    @Test
    void twoDimensionalLabelsFileIsRejectedInsteadOfJoiningLabels() throws IOException {
        IdxFiles.writeImages(images(false), G, pixels(N), false);
        double[] pairs = new double[2 * N];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = i % 10;
        }
        IDXDataSource.IDXData.createIDXData(IDXDataSource.IDXType.UBYTE, new int[]{N, 2}, pairs).save(labels(false), false);
        assertDataError(labels(false), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN),
                "an IDX labels file needs 1 dimension (count), found UBYTE[40, 2] (is it the images file?)");
    }

    @Test
    void swappedImagesAndLabelsFilesAreRejected() throws IOException {
        // The labels data under the images name and the images data under the labels name.
        IdxFiles.writeLabels(images(false), classes(N), false);
        IdxFiles.writeImages(labels(false), G, pixels(N), false);
        assertDataError(images(false), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN),
                "an IDX images file needs 3 (count, rows, columns) or 4 (count, rows, columns, channels) dimensions, "
                        + "found UBYTE[40] (is it the labels file?)");
    }

    @Test
    void nonFinitePixelIsNamedWithItsImageAndPixel() throws IOException {
        IdxFiles.writeLabels(labels(false), classes(N), false);
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY}) {
            // A FLOAT (0x0D) IDX file written by hand: Tribuo's IDXData refuses to create one with a NaN.
            ByteBuffer b = ByteBuffer.allocate(16 + 4 * N * G.getSize());
            b.putInt(0x00000D03).putInt(N).putInt(8).putInt(8);
            List<double[]> images = pixels(N);
            images.get(7)[5] = bad;
            for (double[] image : images) {
                for (double v : image) {
                    b.putFloat((float) v);
                }
            }
            Files.write(images(false), b.array());
            assertDataError(images(false), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN),
                    "image 7 has value " + (double) bad + " at pixel 05; pixel values must be finite");
        }
    }

    @Test
    void allZeroImageIsNamedInsteadOfFailingLaterWithoutAName() throws IOException {
        List<double[]> images = pixels(N);
        Arrays.fill(images.get(3), 0);
        IdxFiles.writeImages(images(false), G, images, false);
        IdxFiles.writeLabels(labels(false), classes(N), false);
        assertDataError(images(false), -1, () -> IdxFiles.source(dir, IdxFiles.TRAIN),
                "image 3 is entirely zero: IDXDataSource emits no feature for it");
    }
}
