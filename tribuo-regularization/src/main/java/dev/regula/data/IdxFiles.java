package dev.regula.data;

import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.IDXDataSource;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Helpers around IDX files (the MNIST format) on top of Tribuo's {@link IDXDataSource}, which does the actual
 * reading: header and geometry inspection, locating the standard file pairs in a folder, writing IDX files and
 * densifying IDX examples.
 * <p>
 * A folder of IDX data holds {@code <split>-images-idx3-ubyte} and {@code <split>-labels-idx1-ubyte}, each
 * optionally gzipped ({@code .gz}), where the split is {@value #TRAIN} or {@value #TEST}. Gzip is recognised by
 * its magic bytes when reading headers. A folder holding both the plain and the gzipped file of one name is used
 * only if the two hold the same data (the plain file is read); otherwise it is refused naming both.
 * <p>
 * Before Tribuo reads a file, {@link #validate(Path)} checks it against its header and the {@link MemoryBudget}.
 * <p>
 * Remember that {@code IDXDataSource} emits only the non-zero pixels of each image as features, named by the
 * zero-padded flat pixel index (see {@link ImageGeometry#featureName(int)}); use {@link #densify(Example, ImageGeometry)}
 * to get the full pixel vector back.
 */
public final class IdxFiles {
    /** The split prefix of training files, {@code train}. */
    public static final String TRAIN = "train";
    /** The split prefix of test files, {@code t10k}, as in MNIST and Fashion-MNIST. */
    public static final String TEST = "t10k";

    private static final String IMAGES_SUFFIX = "-images-idx3-ubyte";
    private static final String LABELS_SUFFIX = "-labels-idx1-ubyte";

    private IdxFiles() {}

    /**
     * The header of an IDX file: element type and dimensions.
     */
    public static final class Header {
        private final IDXDataSource.IDXType type;
        private final int[] shape;

        private Header(IDXDataSource.IDXType type, int[] shape) {
            this.type = type;
            this.shape = shape;
        }

        /** @return the element type. */
        public IDXDataSource.IDXType getType() {
            return type;
        }

        /** @return a copy of the dimensions, the first being the number of items. */
        public int[] getShape() {
            return Arrays.copyOf(shape, shape.length);
        }

        /** @return the number of items (the first dimension). */
        public int getCount() {
            return shape[0];
        }

        @Override
        public String toString() {
            return type + Arrays.toString(shape);
        }
    }

    /**
     * Tells whether a file starts with the gzip magic bytes {@code 1f 8b}.
     * @param file the file.
     * @return true if the file is gzip compressed.
     * @throws IOException if the file cannot be read.
     */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /**
     * Reads the header of an IDX file, gzipped or not.
     * @param file the IDX file.
     * @return the header.
     * @throws ImageDataException if the file is not a valid IDX file.
     * @throws IOException if the file cannot be read.
     */
    public static Header header(Path file) throws IOException {
        boolean gzip;
        try {
            gzip = isGzip(file);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageDataException(file, -1, "cannot read IDX file: " + e, e);
        }
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(gzip ? new GZIPInputStream(raw) : raw))) {
            int zero = in.readUnsignedShort();
            if (zero != 0) {
                throw new ImageDataException(file, -1, "not an IDX file: the first two bytes must be zero, found 0x"
                        + Integer.toHexString(zero));
            }
            byte typeByte = in.readByte();
            IDXDataSource.IDXType type;
            try {
                type = IDXDataSource.IDXType.convert(typeByte);
            } catch (IllegalArgumentException e) {
                throw new ImageDataException(file, -1, "not an IDX file: unknown element type 0x"
                        + Integer.toHexString(typeByte & 0xff), e);
            }
            int dims = in.readUnsignedByte();
            if (dims < 1) {
                throw new ImageDataException(file, -1, "not an IDX file: zero dimensions");
            }
            int[] shape = new int[dims];
            for (int i = 0; i < dims; i++) {
                shape[i] = in.readInt();
                if (shape[i] < 0) {
                    throw new ImageDataException(file, -1, "invalid IDX dimension " + i + ": " + shape[i]);
                }
            }
            return new Header(type, shape);
        } catch (EOFException e) {
            throw new ImageDataException(file, -1, "truncated IDX header", e);
        } catch (ImageDataException | NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new ImageDataException(file, -1, (gzip ? "corrupt gzip data: " : "cannot read IDX file: ") + e, e);
        }
    }

    /**
     * Reads the header of an IDX file and checks that the file holds exactly the data the header declares, so
     * that a truncated, padded or corrupt file is reported with its name before Tribuo reads it, and that reading
     * the declared data fits in the {@link MemoryBudget} (about {@value #BYTES_PER_VALUE} bytes per declared value
     * while Tribuo's {@code IDXDataSource} reads it). A gzipped file is checked against the budget before anything
     * is inflated, and inflated only up to the declared size: data beyond it, or bytes after the gzip data, are
     * refused without inflating them.
     * @param file the IDX file, gzipped or not.
     * @return the header.
     * @throws ImageDataException if the header is invalid, the data is shorter or longer than declared, the gzip
     *     data is corrupt, or the declared data does not fit in the memory budget.
     * @throws IOException if the file cannot be read.
     */
    public static Header validate(Path file) throws IOException {
        Header h = header(file);
        long values = 1;
        for (int d : h.shape) {
            values *= d; // at most 255 factors below 2^31: checked against the limit after each step
            if (values > Integer.MAX_VALUE - 8) {
                throw new ImageDataException(file, -1, "IDX header " + h + " declares more than " + (Integer.MAX_VALUE - 8)
                        + " values, more than one Java array (and Tribuo's IDXDataSource) can hold");
            }
        }
        long expected = values * elementBytes(h.type);
        long headerBytes = 4 + 4L * h.shape.length;
        if (!isGzip(file)) {
            checkSize(file, h, expected, Files.size(file) - headerBytes);
            checkBudget(file, h, values);
            return h;
        }
        checkBudget(file, h, values); // before inflating: a few megabytes of gzip can declare and hold gigabytes
        long inflated;
        try {
            inflated = BoundedGzip.inflatedLength(file, headerBytes + expected);
        } catch (EOFException e) {
            throw new ImageDataException(file, -1, "truncated gzip data (an incomplete download?): " + e, e);
        } catch (BoundedGzip.TrailingDataException e) {
            throw new ImageDataException(file, -1, "corrupt gzip data: " + (Files.size(file) - e.offset())
                    + " bytes that are not gzip data follow the end of the gzip stream at offset " + e.offset(), e);
        } catch (IOException e) {
            throw new ImageDataException(file, -1, "corrupt gzip data: " + e, e);
        }
        if (inflated > headerBytes + expected) {
            throw new ImageDataException(file, -1, "IDX file holds more than the " + expected + " data bytes its header "
                    + h + " declares (inflation stopped at the first byte beyond them)");
        }
        checkSize(file, h, expected, inflated - headerBytes);
        return h;
    }

    /**
     * Estimated peak heap bytes per declared value while Tribuo's {@code IDXDataSource} reads an IDX file: 8 for the
     * {@code double} array it reads the whole file into, and about 8 for the examples it builds from it (12 bytes per
     * non-zero value, a feature name reference and a {@code double}; image data such as Fashion-MNIST is about half
     * zeros). Measured: 60,000 Fashion-MNIST images (47 million values) take about 300 MB as examples.
     */
    static final long BYTES_PER_VALUE = 16;

    /** Refuses a file whose declared values would not fit in the {@link MemoryBudget} ({@link #BYTES_PER_VALUE} each). */
    private static void checkBudget(Path file, Header h, long values) throws ImageDataException {
        String refusal = MemoryBudget.refusal("IDX header " + h + " declares " + values + " values: reading them into "
                + "Tribuo examples", values * BYTES_PER_VALUE);
        if (refusal != null) {
            throw new ImageDataException(file, -1, refusal + "; nothing was read beyond the header");
        }
    }

    private static void checkSize(Path file, Header h, long expected, long actual) throws ImageDataException {
        if (actual < expected) {
            throw new ImageDataException(file, -1, "truncated IDX file: header " + h + " declares " + expected
                    + " data bytes but the file holds " + actual);
        }
        if (actual > expected) {
            throw new ImageDataException(file, -1, "IDX file has " + (actual - expected) + " bytes after the " + expected
                    + " data bytes its header " + h + " declares");
        }
    }

    private static int elementBytes(IDXDataSource.IDXType type) {
        switch (type) {
            case UBYTE:
            case BYTE:
                return 1;
            case SHORT:
                return 2;
            case INT:
            case FLOAT:
                return 4;
            case DOUBLE:
                return 8;
            default:
                throw new IllegalStateException("Unknown IDX type " + type);
        }
    }

    /**
     * Reads the image geometry from the header of an IDX images file: {@code (count, rows, columns)} gives
     * {@code columns x rows x 1}, {@code (count, rows, columns, channels)} gives {@code columns x rows x channels}.
     * @param imagesFile an IDX file of images, gzipped or not.
     * @return the geometry of one image.
     * @throws ImageDataException if the file is not an IDX file of 3 or 4 dimensions.
     * @throws IOException if the file cannot be read.
     */
    public static ImageGeometry geometry(Path imagesFile) throws IOException {
        int[] shape = header(imagesFile).shape;
        try {
            if (shape.length == 3) {
                return ImageGeometry.of(shape[2], shape[1], 1);
            } else if (shape.length == 4) {
                return ImageGeometry.of(shape[2], shape[1], shape[3]);
            }
        } catch (IllegalArgumentException e) {
            throw new ImageDataException(imagesFile, -1, "invalid image dimensions " + Arrays.toString(shape), e);
        }
        throw new ImageDataException(imagesFile, -1, "an IDX images file needs 3 (count, rows, columns) or 4 "
                + "(count, rows, columns, channels) dimensions, found " + Arrays.toString(shape));
    }

    /**
     * Locates the images file of a split in a folder. If both the plain and the gzipped file exist, they must hold
     * the same data (the plain file is then used); otherwise the folder is refused, since either could be the
     * current one.
     * @param directory the folder.
     * @param split {@link #TRAIN}, {@link #TEST} or another prefix.
     * @return the existing file, {@code <split>-images-idx3-ubyte} or {@code <split>-images-idx3-ubyte.gz}.
     * @throws NoSuchFileException if neither exists (the message names both).
     * @throws ImageDataException if both exist with different content.
     * @throws IOException if the files cannot be compared.
     */
    public static Path imagesFile(Path directory, String split) throws IOException {
        return locate(directory, split + IMAGES_SUFFIX);
    }

    /**
     * Locates the labels file of a split in a folder, with the rule of {@link #imagesFile(Path, String)} for a
     * folder holding both the plain and the gzipped file.
     * @param directory the folder.
     * @param split {@link #TRAIN}, {@link #TEST} or another prefix.
     * @return the existing file, {@code <split>-labels-idx1-ubyte} or {@code <split>-labels-idx1-ubyte.gz}.
     * @throws NoSuchFileException if neither exists (the message names both).
     * @throws ImageDataException if both exist with different content.
     * @throws IOException if the files cannot be compared.
     */
    public static Path labelsFile(Path directory, String split) throws IOException {
        return locate(directory, split + LABELS_SUFFIX);
    }

    /**
     * Tells whether a folder holds both the images and labels files of a split (each plain or gzipped; whether a
     * plain and a gzipped file of the same name agree is checked by {@link #imagesFile} and {@link #labelsFile}).
     * @param directory the folder.
     * @param split the split prefix.
     * @return true if both files exist (gzipped or not).
     */
    public static boolean hasSplit(Path directory, String split) {
        return exists(directory, split + IMAGES_SUFFIX) && exists(directory, split + LABELS_SUFFIX);
    }

    private static boolean exists(Path directory, String name) {
        return Files.isRegularFile(directory.resolve(name)) || Files.isRegularFile(directory.resolve(name + ".gz"));
    }

    /**
     * Loads a split of a folder of IDX files as a Tribuo {@link IDXDataSource} of labels.
     * @param directory the folder.
     * @param split {@link #TRAIN}, {@link #TEST} or another prefix.
     * @return the data source (read eagerly), whose provenance records both files and their hashes.
     * @throws IOException if a file is missing or invalid.
     */
    public static IDXDataSource<Label> source(Path directory, String split) throws IOException {
        return source(imagesFile(directory, split), labelsFile(directory, split));
    }

    /**
     * Checks an IDX images file and its labels file as a pair: each file on its own ({@link #validate(Path)}),
     * 3 or 4 dimensions for the images and 1 for the labels, equal counts, and at least one image.
     * @param images the IDX images file.
     * @param labels the IDX labels file.
     * @return the images file's header.
     * @throws ImageDataException naming the offending file if either file is invalid or they do not match.
     * @throws IOException if a file is missing or cannot be read.
     */
    public static Header validatePair(Path images, Path labels) throws IOException {
        Header ih = validate(images);
        Header lh = validate(labels);
        if (ih.shape.length != 3 && ih.shape.length != 4) {
            throw new ImageDataException(images, -1, "an IDX images file needs 3 (count, rows, columns) or 4 "
                    + "(count, rows, columns, channels) dimensions, found " + ih
                    + (ih.shape.length == 1 ? " (is it the labels file?)" : ""));
        }
        if (lh.shape.length != 1) {
            throw new ImageDataException(labels, -1, "an IDX labels file needs 1 dimension (count), found " + lh
                    + " (is it the images file?)");
        }
        if (ih.getCount() != lh.getCount()) {
            throw new ImageDataException(labels, -1, "holds " + lh.getCount() + " labels but the images file "
                    + images + " holds " + ih.getCount() + " images");
        }
        if (ih.getCount() == 0) {
            throw new ImageDataException(images, -1, "IDX images file holds no images");
        }
        return ih;
    }

    /**
     * Loads an IDX images file and its labels file as a Tribuo {@link IDXDataSource} of labels, after
     * {@link #validatePair(Path, Path)} and a check of every image: Tribuo datasets reject an example without
     * features (an all-zero image, since {@code IDXDataSource} emits only non-zero pixels) or with a non-finite
     * value, with a message that names neither the file nor the image; this names both.
     * @param images the IDX images file.
     * @param labels the IDX labels file.
     * @return the data source (read eagerly).
     * @throws ImageDataException naming the offending file if either file is invalid, they do not match, or an
     *     image cannot become a Tribuo example.
     * @throws IOException if a file is missing or cannot be read.
     */
    public static IDXDataSource<Label> source(Path images, Path labels) throws IOException {
        validatePair(images, labels);
        IDXDataSource<Label> source;
        try {
            source = new IDXDataSource<>(images, labels, new LabelFactory());
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new ImageDataException(images, -1, "cannot be read with labels " + labels + ": " + e.getMessage(), e);
        }
        // Tribuo datasets reject examples without features or with NaN values with a message naming neither the
        // file nor the image ("Example had duplicate features, invalid features or no features."): name them here.
        int index = 0;
        for (Example<Label> example : source) {
            if (example.size() == 0) {
                throw new ImageDataException(images, -1, "image " + index + " is entirely zero: IDXDataSource emits no "
                        + "feature for it and Tribuo datasets reject examples without features");
            }
            for (Feature f : example) {
                if (!Double.isFinite(f.getValue())) {
                    throw new ImageDataException(images, -1, "image " + index + " has value " + f.getValue()
                            + " at pixel " + f.getName() + "; pixel values must be finite");
                }
            }
            index++;
        }
        return source;
    }

    private static Path locate(Path directory, String name) throws IOException {
        Path plain = directory.resolve(name);
        Path gz = directory.resolve(name + ".gz");
        boolean hasPlain = Files.isRegularFile(plain);
        boolean hasGz = Files.isRegularFile(gz);
        if (hasPlain && hasGz) {
            if (!sameContent(plain, gz)) {
                throw new ImageDataException(gz, -1, "the folder also holds " + plain + " and the two files hold different "
                        + "data; remove the one that is out of date (Regula does not guess which is current)");
            }
            return plain;
        }
        if (hasPlain) {
            return plain;
        }
        if (hasGz) {
            return gz;
        }
        throw new NoSuchFileException(plain.toString(), gz.toString(), "neither IDX file exists");
    }

    /** A plain/gzip pair as last compared: equal paths, sizes and modification times give the same answer. */
    private record Pair(Path plain, long plainSize, long plainModified, Path gz, long gzSize, long gzModified) {
        static Pair of(Path plain, Path gz) throws IOException {
            return new Pair(plain.toAbsolutePath(), Files.size(plain), Files.getLastModifiedTime(plain).toMillis(),
                    gz.toAbsolutePath(), Files.size(gz), Files.getLastModifiedTime(gz).toMillis());
        }
    }

    /** Comparisons already made, so that locating the same files again does not read them again. */
    private static final Map<Pair, Boolean> COMPARED = new ConcurrentHashMap<>();

    /**
     * Whether a gzipped file inflates to exactly the bytes of a plain one; inflation stops one byte beyond the plain
     * file's length, and a gzip file that is not valid counts as different.
     */
    private static boolean sameContent(Path plain, Path gz) throws IOException {
        Pair key = Pair.of(plain, gz);
        Boolean known = COMPARED.get(key);
        if (known != null) {
            return known;
        }
        boolean same;
        try (InputStream a = Files.newInputStream(plain);
             InputStream b = new GZIPInputStream(Files.newInputStream(gz), 1 << 16)) {
            byte[] ba = new byte[1 << 16];
            byte[] bb = new byte[1 << 16];
            while (true) {
                int na = a.readNBytes(ba, 0, ba.length);
                int nb = b.readNBytes(bb, 0, Math.max(na, 1));
                if (na == 0) {
                    same = nb == 0;
                    break;
                }
                if (nb != na || !Arrays.equals(ba, 0, na, bb, 0, nb)) {
                    same = false;
                    break;
                }
            }
        } catch (ZipException | EOFException e) {
            same = false;
        }
        if (COMPARED.size() > 64) {
            COMPARED.clear();
        }
        COMPARED.put(key, same);
        return same;
    }

    /**
     * Writes images as an unsigned-byte IDX file using Tribuo's {@code IDXDataSource.IDXData}: shape
     * {@code (count, height, width)} for one channel, {@code (count, height, width, channels)} otherwise.
     * @param file the output file.
     * @param geometry the geometry of every image.
     * @param images the images, each a dense vector of {@code geometry.getSize()} integer values in [0, 255].
     * @param gzip true to gzip the file.
     * @throws IllegalArgumentException if an image has the wrong length or a value that is not an integer in [0, 255].
     * @throws IOException if the file cannot be written.
     */
    public static void writeImages(Path file, ImageGeometry geometry, List<double[]> images, boolean gzip) throws IOException {
        int size = geometry.getSize();
        double[] data = new double[Math.multiplyExact(images.size(), size)];
        for (int i = 0; i < images.size(); i++) {
            double[] image = images.get(i);
            if (image.length != size) {
                throw new IllegalArgumentException("Image " + i + " has " + image.length + " values, geometry "
                        + geometry + " needs " + size);
            }
            for (int j = 0; j < size; j++) {
                checkUbyte(image[j], "image " + i + ", value " + j);
            }
            System.arraycopy(image, 0, data, i * size, size);
        }
        int[] shape = geometry.getChannels() == 1
                ? new int[]{images.size(), geometry.getHeight(), geometry.getWidth()}
                : new int[]{images.size(), geometry.getHeight(), geometry.getWidth(), geometry.getChannels()};
        IDXDataSource.IDXData.createIDXData(IDXDataSource.IDXType.UBYTE, shape, data).save(file, gzip);
    }

    /**
     * Writes class indices as an unsigned-byte IDX labels file of shape {@code (count)}.
     * @param file the output file.
     * @param labels the labels, each in [0, 255].
     * @param gzip true to gzip the file.
     * @throws IllegalArgumentException if a label is outside [0, 255].
     * @throws IOException if the file cannot be written.
     */
    public static void writeLabels(Path file, int[] labels, boolean gzip) throws IOException {
        double[] data = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            checkUbyte(labels[i], "label " + i);
            data[i] = labels[i];
        }
        IDXDataSource.IDXData.createIDXData(IDXDataSource.IDXType.UBYTE, new int[]{labels.length}, data).save(file, gzip);
    }

    private static void checkUbyte(double value, String what) {
        if (!(value >= 0 && value <= 255 && value == Math.rint(value))) {
            throw new IllegalArgumentException("IDX unsigned byte data needs integers in [0, 255], " + what + " is " + value);
        }
    }

    /**
     * Expands an example whose features are named by flat pixel index (as IDX examples are, with zero pixels
     * absent) into the full pixel vector.
     * @param example the example.
     * @param geometry the image geometry.
     * @return a new array of {@code geometry.getSize()} values, zero where the example has no feature.
     * @throws IllegalArgumentException if a feature name is not a pixel index of the geometry.
     */
    public static double[] densify(Example<?> example, ImageGeometry geometry) {
        double[] out = new double[geometry.getSize()];
        for (Feature f : example) {
            int index;
            try {
                index = Integer.parseInt(f.getName());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Feature '" + f.getName() + "' is not a pixel index", e);
            }
            if (index < 0 || index >= out.length) {
                throw new IllegalArgumentException("Feature '" + f.getName() + "' is outside image geometry " + geometry);
            }
            out[index] = f.getValue();
        }
        return out;
    }
}
