package dev.regula.data;

import org.apache.commons.imaging.AbstractImageParser;
import org.apache.commons.imaging.ImageFormat;
import org.apache.commons.imaging.ImageFormats;
import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.ImagingException;
import org.apache.commons.imaging.ImagingParameters;
import org.apache.commons.imaging.common.BufferedImageFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Image decoding and PNG encoding through Apache Commons Imaging, without lossy colour-space conversions.
 * <p>
 * Commons Imaging (1.0.0-alpha6) decodes gray images into a {@code TYPE_BYTE_GRAY} image by way of
 * {@code setRGB}, which maps sRGB values onto Java's linear gray colour space and back: dark values collapse
 * (1..4 become 0) and others move by one. Likewise its PNG writer reads a {@code TYPE_BYTE_GRAY} image through
 * {@code getRGB}, storing tone-curved values. This class avoids both: decoding supplies a
 * {@link BufferedImageFactory} that always builds sRGB integer images (gray pixels become {@code r = g = b}, exact),
 * and encoding always hands the writer an sRGB integer image (a gray one is still stored as an 8-bit gray PNG).
 */
final class ImageCodec {
    private ImageCodec() {}

    /** Builds sRGB integer images for every decoder, gray or colour. */
    private static final BufferedImageFactory RGB_FACTORY = new BufferedImageFactory() {
        @Override
        public BufferedImage getColorBufferedImage(int width, int height, boolean hasAlpha) {
            return new BufferedImage(width, height, hasAlpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        }

        @Override
        public BufferedImage getGrayscaleBufferedImage(int width, int height, boolean hasAlpha) {
            return getColorBufferedImage(width, height, hasAlpha);
        }
    };

    /**
     * Decodes an image, detecting its format from the content.
     * @param bytes the encoded image.
     * @return the decoded image.
     * @throws ImagingException if the format is unknown or the data is invalid.
     * @throws IOException if the data cannot be read.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static BufferedImage decode(byte[] bytes) throws IOException {
        ImageFormat format = Imaging.guessFormat(bytes);
        if (format == null || format == ImageFormats.UNKNOWN) {
            throw new ImagingException("unknown image format");
        }
        for (AbstractImageParser parser : AbstractImageParser.getAllImageParsers()) {
            if (parser.canAcceptType(format)) {
                ImagingParameters params = parser.getDefaultParameters();
                params.setBufferedImageFactory(RGB_FACTORY);
                return parser.getBufferedImage(bytes, params);
            }
        }
        throw new ImagingException("no decoder for image format " + format.getName());
    }

    /**
     * Writes 8-bit values as a PNG: an 8-bit gray PNG for one channel, RGB for three.
     * @param values dense channel-last integer values in [0, 255].
     * @param geometry the geometry, 1 or 3 channels.
     * @param out the stream to write to (not closed).
     * @throws IOException if writing fails.
     */
    static void writePng(int[] values, ImageGeometry geometry, OutputStream out) throws IOException {
        int w = geometry.getWidth();
        int h = geometry.getHeight();
        int channels = geometry.getChannels();
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int base = geometry.index(x, y, 0);
                int r = values[base];
                int g = channels == 1 ? r : values[base + 1];
                int b = channels == 1 ? r : values[base + 2];
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        Imaging.writeImage(image, out, ImageFormats.PNG);
    }
}
