package dev.regula.data;

import dev.regula.data.ImageFolderDataSource.AlphaMode;
import org.apache.commons.imaging.AbstractImageParser;
import org.apache.commons.imaging.ImageFormat;
import org.apache.commons.imaging.ImageFormats;
import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.ImagingException;
import org.apache.commons.imaging.ImagingParameters;
import org.apache.commons.imaging.common.BufferedImageFactory;
import org.jspecify.annotations.Nullable;

import java.awt.Dimension;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Everything image-format related, through Apache Commons Imaging without lossy colour-space conversions: reading
 * an image's declared size, checking a PNG header against the specification, decoding, converting pixels into
 * feature values, and PNG encoding.
 * <p>
 * Commons Imaging (1.0.0-alpha6) decodes gray images into a {@code TYPE_BYTE_GRAY} image by way of
 * {@code setRGB}, which maps sRGB values onto Java's linear gray colour space and back: dark values collapse
 * (1..4 become 0) and others move by one. Likewise its PNG writer reads a {@code TYPE_BYTE_GRAY} image through
 * {@code getRGB}, storing tone-curved values. This class avoids both: decoding supplies a
 * {@link BufferedImageFactory} that always builds sRGB integer images (gray pixels become {@code r = g = b}, exact),
 * and encoding always hands the writer an sRGB integer image (a gray one is still stored as an 8-bit gray PNG).
 */
final class ImageCodec {
    /** Static helpers only. */
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

    /** The eight bytes every PNG starts with. */
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /**
     * Where an image comes from, for error messages: the index CSV and line that list it, its name as written
     * there and the file it resolved to.
     * @param indexFile the index CSV, named first by every message.
     * @param line the 1-based CSV line listing the image.
     * @param name the image's file name as written in the index.
     * @param file the resolved image file.
     */
    record Origin(Path indexFile, long line, String name, Path file) {
        /** @return {@code 'name' (file)}, how messages name the image. */
        String describe() {
            return "'" + name + "' (" + file + ")";
        }

        /**
         * @param message what is wrong, naming the image.
         * @param cause the underlying exception, if any.
         * @return an exception for the index file and line.
         */
        ImageDataException error(String message, @Nullable Throwable cause) {
            return new ImageDataException(indexFile, line, message, cause);
        }
    }

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

    /**
     * Reads an image's size from its header, without decoding the pixels; a PNG header must first pass
     * {@link #pngHeaderProblem(byte[])}.
     * @param bytes the encoded image.
     * @param origin the image, for error messages.
     * @return the declared width and height, both at least 1.
     * @throws ImageDataException if the header is invalid or unreadable.
     */
    static Dimension readSize(byte[] bytes, Origin origin) throws ImageDataException {
        String pngProblem = pngHeaderProblem(bytes);
        if (pngProblem != null) {
            throw origin.error("image " + origin.describe() + " is not a valid PNG: " + pngProblem, null);
        }
        try {
            Dimension size = Imaging.getImageSize(bytes);
            if (size == null || size.width < 1 || size.height < 1) {
                throw origin.error("image " + origin.describe() + " declares an invalid size "
                        + (size == null ? "null" : size.width + "x" + size.height), null);
            }
            return size;
        } catch (ImageDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw origin.error(origin.describe() + " is not a readable image: " + e.getMessage(), e);
        }
    }

    /**
     * Checks the IHDR of a PNG against the PNG specification (Commons Imaging decodes, for instance, gray at a bit
     * depth of 3, which the specification forbids, into arbitrary values instead of rejecting it).
     * @param b the encoded image.
     * @return null if the data is not a PNG or its header is valid, otherwise the problem.
     */
    static @Nullable String pngHeaderProblem(byte[] b) {
        if (b.length < PNG_SIGNATURE.length || !Arrays.equals(b, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length)) {
            return null;
        }
        boolean ihdrLength = b.length >= 12 && b[8] == 0 && b[9] == 0 && b[10] == 0 && b[11] == 13;
        if (b.length < 33 || !ihdrLength || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            return "the first chunk is not a complete IHDR";
        }
        int depth = b[24] & 0xff;
        int colourType = b[25] & 0xff;
        String allowed;
        switch (colourType) {
            case 0: allowed = "1, 2, 4, 8, 16"; break;
            case 3: allowed = "1, 2, 4, 8"; break;
            case 2: case 4: case 6: allowed = "8, 16"; break;
            default: return "colour type " + colourType + " is not one of 0, 2, 3, 4, 6";
        }
        if (!List.of(allowed.split(", ")).contains(Integer.toString(depth))) {
            return "bit depth " + depth + " is not allowed for colour type " + colourType + " (allowed: " + allowed + ")";
        }
        int compression = b[26] & 0xff;
        int filter = b[27] & 0xff;
        int interlace = b[28] & 0xff;
        if (compression != 0) {
            return "compression method " + compression + " (allowed: 0)";
        }
        if (filter != 0) {
            return "filter method " + filter + " (allowed: 0)";
        }
        if (interlace > 1) {
            return "interlace method " + interlace + " (allowed: 0, 1)";
        }
        return null;
    }

    /**
     * Decodes an image whose header declared the geometry's size and converts it with
     * {@link #pixels(BufferedImage, ImageGeometry, AlphaMode, double)}.
     * @param bytes the encoded image.
     * @param g the geometry the image must have; its channel count selects grayscale (1) or RGB (3).
     * @param alphaMode the alpha handling.
     * @param scale the factor applied to the 8-bit values.
     * @param origin the image, for error messages.
     * @return dense channel-last feature values.
     * @throws ImageDataException if the image cannot be decoded, decodes to another size or has unreadable pixels.
     */
    static double[] decodePixels(byte[] bytes, ImageGeometry g, AlphaMode alphaMode, double scale, Origin origin)
            throws ImageDataException {
        BufferedImage image;
        try {
            image = decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw origin.error("image " + origin.describe() + " is corrupt or unsupported: " + e.getMessage(), e);
        }
        if (image == null || image.getWidth() != g.getWidth() || image.getHeight() != g.getHeight()) {
            throw origin.error("image " + origin.describe() + " decoded to a different size than its header declares ("
                    + g.getWidth() + "x" + g.getHeight() + ")", null);
        }
        try {
            return pixels(image, g, alphaMode, scale);
        } catch (RuntimeException e) {
            throw origin.error("image " + origin.describe() + " has pixel data that cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Converts a decoded image into channel-last values on the 8-bit scale, multiplied by {@code scale}: BT.601 luma
     * for one channel, the sRGB values for three, alpha composited on black or ignored.
     * @param image the decoded image, of the geometry's width and height.
     * @param g the geometry, 1 or 3 channels.
     * @param alphaMode the alpha handling.
     * @param scale the factor applied to the 8-bit values.
     * @return dense channel-last feature values.
     */
    static double[] pixels(BufferedImage image, ImageGeometry g, AlphaMode alphaMode, double scale) {
        int w = g.getWidth();
        int h = g.getHeight();
        int channels = g.getChannels();
        double[] out = new double[g.getSize()];
        ColorModel cm = image.getColorModel();
        boolean composite = alphaMode == AlphaMode.COMPOSITE_ON_BLACK;
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // Only for decoders that ignore RGB_FACTORY. Read gray samples directly: getRGB would apply a
            // gray-to-sRGB tone curve. Samples wider than 8 bits are mapped to [0, 255].
            Raster raster = image.getRaster();
            double grayMax = (1L << cm.getComponentSize(0)) - 1;
            boolean alpha = cm.hasAlpha() && raster.getNumBands() > 1;
            double alphaMax = alpha ? (1L << cm.getComponentSize(1)) - 1 : 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int s = raster.getSample(x, y, 0);
                    double v = grayMax == 255 ? s : s * 255.0 / grayMax;
                    if (alpha && composite) {
                        int a = raster.getSample(x, y, 1);
                        if (a != alphaMax) {
                            v = v * a / alphaMax;
                        }
                    }
                    v *= scale;
                    int base = g.index(x, y, 0);
                    for (int c = 0; c < channels; c++) {
                        out[base + c] = v;
                    }
                }
            }
        } else {
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            boolean alpha = cm.hasAlpha();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = argb[y * w + x];
                    int a = (p >>> 24) & 0xff;
                    int r = (p >>> 16) & 0xff;
                    int gr = (p >>> 8) & 0xff;
                    int b = p & 0xff;
                    double factor = (alpha && composite && a != 255) ? a / 255.0 : 1.0;
                    int base = g.index(x, y, 0);
                    if (channels == 1) {
                        double luma = (299 * r + 587 * gr + 114 * b) / 1000.0;
                        out[base] = (factor == 1.0 ? luma : luma * factor) * scale;
                    } else {
                        out[base] = (factor == 1.0 ? r : r * factor) * scale;
                        out[base + 1] = (factor == 1.0 ? gr : gr * factor) * scale;
                        out[base + 2] = (factor == 1.0 ? b : b * factor) * scale;
                    }
                }
            }
        }
        return out;
    }
}
