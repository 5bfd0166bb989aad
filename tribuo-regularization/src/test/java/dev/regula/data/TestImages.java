package dev.regula.data;

import org.apache.commons.imaging.ImageFormat;
import org.apache.commons.imaging.ImageFormats;
import org.apache.commons.imaging.Imaging;
import org.tribuo.Example;
import org.tribuo.classification.Label;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/** Test fixtures: images written in test code, and the first images of the embedded test set. */
final class TestImages {
    private TestImages() {}

    /** The first {@code n} examples of the embedded test split (raw IDX values). */
    static List<Example<Label>> embeddedTest(int n) throws IOException {
        List<Example<Label>> out = new ArrayList<>();
        for (Example<Label> e : EmbeddedData.testSource()) {
            if (out.size() == n) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** Writes an ARGB image in a format. */
    static void write(Path file, BufferedImage image, ImageFormat format) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            Imaging.writeImage(image, out, format);
        }
    }

    /**
     * Creates {@code dir/images} holding a {@link #gray(int, int)} PNG of {@code w}×{@code h} under each name.
     * @return the image directory.
     */
    static Path grayFolder(Path dir, int w, int h, String... names) throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        for (String name : names) {
            write(images.resolve(name), gray(w, h), ImageFormats.PNG);
        }
        return images;
    }

    /** The gray value of pixel (x, y) in {@link #gray(int, int)}. */
    static int grayValue(int x, int y) {
        return (x * 31 + y * 17) % 256;
    }

    /**
     * An sRGB image with gray pixels {@code r = g = b = grayValue(x, y)}. (Commons Imaging's writer stores a
     * {@code TYPE_BYTE_GRAY} image through a tone curve, so gray test images are built as RGB.)
     */
    static BufferedImage gray(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = grayValue(x, y);
                image.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        return image;
    }

    /** Writes a PNG with only a signature, an IHDR declaring the size, and IEND: no pixel data at all. */
    static void pngHeaderOnly(Path file, int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IEND", new byte[0]);
        Files.write(file, out.toByteArray());
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
