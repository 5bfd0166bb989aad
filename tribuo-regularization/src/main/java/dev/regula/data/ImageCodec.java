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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

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
     * Reads an image's size from its header, without decoding the pixels; a PNG must first pass
     * {@link #pngHeaderProblem(byte[])} and {@link #checkPngChunks(byte[], Origin, long)} (chunk CRCs, IEND and
     * the inflated size of its compressed metadata, limited by {@link MemoryBudget#pngMetadataLimit()}).
     * @param bytes the encoded image.
     * @param origin the image, for error messages.
     * @return the declared width and height, both at least 1.
     * @throws ImageDataException if the header is invalid or unreadable, or a PNG is corrupt.
     */
    static Dimension readSize(byte[] bytes, Origin origin) throws ImageDataException {
        String pngProblem = pngHeaderProblem(bytes);
        if (pngProblem != null) {
            throw origin.error("image " + origin.describe() + " is not a valid PNG: " + pngProblem, null);
        }
        if (isPng(bytes)) {
            checkPngChunks(bytes, origin, MemoryBudget.pngMetadataLimit());
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

    /** @return true if the data starts with the PNG signature. */
    static boolean isPng(byte[] b) {
        return b.length >= PNG_SIGNATURE.length && Arrays.equals(b, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length);
    }

    /**
     * Walks the chunks of a PNG before the decoder sees it: every chunk must lie inside the file and carry the
     * CRC-32 of its type and data (a mismatch means the file is corrupt, as libpng and Pillow report it), the file
     * must end with IEND, and the compressed metadata chunks (iCCP, zTXt, compressed iTXt), which the decoder
     * inflates into memory although no pixel needs them, may inflate to at most {@code metadataLimit} bytes
     * together; inflation stops at the limit.
     * @param b the encoded image, starting with the PNG signature.
     * @param origin the image, for error messages.
     * @param metadataLimit the largest inflated size of the compressed metadata chunks.
     * @throws ImageDataException naming the image and the chunk if a check fails.
     */
    static void checkPngChunks(byte[] b, Origin origin, long metadataLimit) throws ImageDataException {
        int offset = PNG_SIGNATURE.length;
        long metadata = 0;
        CRC32 crc = new CRC32();
        while (true) {
            if (b.length - offset < 12) {
                throw origin.error("image " + origin.describe() + " is a corrupt PNG: it ends at offset " + b.length
                        + " without an IEND chunk (truncated?)", null);
            }
            long length = readUnsignedInt(b, offset);
            String type = new String(b, offset + 4, 4, StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                throw origin.error("image " + origin.describe() + " is a corrupt PNG: the chunk at offset " + offset
                        + " has an invalid type (bytes " + hex(b, offset + 4, 4) + ")", null);
            }
            if (length > Integer.MAX_VALUE || length > b.length - offset - 12L) {
                throw origin.error("image " + origin.describe() + " is a corrupt PNG: its " + type + " chunk at offset "
                        + offset + " declares " + length + " bytes but only " + Math.max(0, b.length - offset - 12L)
                        + " remain (truncated?)", null);
            }
            int dataStart = offset + 8;
            int dataEnd = dataStart + (int) length;
            crc.reset();
            crc.update(b, offset + 4, 4 + (int) length);
            long stored = readUnsignedInt(b, dataEnd);
            if (stored != crc.getValue()) {
                throw origin.error(String.format(Locale.ROOT, "image %s is a corrupt PNG: the CRC-32 of its %s chunk at "
                        + "offset %d is %08x but its data gives %08x", origin.describe(), type, offset, stored, crc.getValue()), null);
            }
            int compressed = compressedMetadataStart(type, b, dataStart, dataEnd);
            if (compressed >= 0) {
                metadata += inflatedSize(b, compressed, dataEnd, metadataLimit - metadata, type, offset, origin);
                if (metadata > metadataLimit) {
                    throw origin.error("image " + origin.describe() + ": its compressed " + type + " chunk at offset " + offset
                            + " inflates to more than " + MemoryBudget.format(metadataLimit) + " of metadata (the limit on a "
                            + "PNG's compressed iCCP, zTXt and iTXt chunks together; -D" + MemoryBudget.PNG_METADATA_PROPERTY
                            + "=SIZE changes it); inflation stopped there, the image was not decoded", null);
                }
            }
            if (type.equals("IEND")) {
                return;
            }
            offset = dataEnd + 4;
        }
    }

    /**
     * Where the zlib stream of a compressed metadata chunk starts: after the keyword (or profile name), its NUL and
     * the compression method byte; for iTXt only when its compression flag is set, after the language tag and the
     * translated keyword.
     * @return the offset of the zlib stream, or -1 if the chunk holds none (or is too malformed to tell: the
     *     decoder then rejects it).
     */
    private static int compressedMetadataStart(String type, byte[] b, int start, int end) {
        if (!type.equals("iCCP") && !type.equals("zTXt") && !type.equals("iTXt")) {
            return -1;
        }
        int p = indexOfNul(b, start, end);
        if (p < 0) {
            return -1;
        }
        if (type.equals("iTXt")) {
            if (p + 2 >= end || b[p + 1] == 0) {
                return -1; // not compressed
            }
            int language = indexOfNul(b, p + 3, end);
            int translated = language < 0 ? -1 : indexOfNul(b, language + 1, end);
            return translated < 0 ? -1 : translated + 1;
        }
        return p + 2 < end ? p + 2 : -1;
    }

    private static int indexOfNul(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Inflates a zlib stream without keeping the output.
     * @return the inflated size, or a value above {@code limit} if inflation stopped there.
     */
    private static long inflatedSize(byte[] b, int from, int to, long limit, String type, int offset, Origin origin)
            throws ImageDataException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(b, from, to - from);
            byte[] out = new byte[1 << 16];
            long total = 0;
            while (!inflater.finished() && total <= limit) {
                int n = inflater.inflate(out);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw origin.error("image " + origin.describe() + " is a corrupt PNG: the compressed data of its " + type
                            + " chunk at offset " + offset + " is incomplete", null);
                }
                total += n;
            }
            return total;
        } catch (DataFormatException e) {
            throw origin.error("image " + origin.describe() + " is a corrupt PNG: the compressed data of its " + type
                    + " chunk at offset " + offset + " is invalid (" + e.getMessage() + ")", e);
        } finally {
            inflater.end();
        }
    }

    private static long readUnsignedInt(byte[] b, int offset) {
        return ((b[offset] & 0xffL) << 24) | ((b[offset + 1] & 0xffL) << 16) | ((b[offset + 2] & 0xffL) << 8) | (b[offset + 3] & 0xffL);
    }

    private static String hex(byte[] b, int offset, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02x", b[offset + i] & 0xff));
        }
        return sb.toString();
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
