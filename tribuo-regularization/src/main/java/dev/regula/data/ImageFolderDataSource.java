package dev.regula.data;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.jspecify.annotations.Nullable;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.DataSourceProvenance;

import java.awt.Dimension;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A data source of labelled (or unlabelled) images listed in an index CSV, one image per row, producing dense
 * pixel features named exactly as Tribuo's {@link org.tribuo.datasource.IDXDataSource} names them, so the same
 * images read from IDX files or from image files give the same feature names and can be fed to the same model.
 * <p>
 * <b>Layouts.</b> Image file names in the index are resolved against the image directory, which defaults to
 * the folder of the index CSV (flat layout). The reference layout ({@link ReferenceLayout}:
 * {@code Train/train.csv} with images in {@code Train/Images/train}, {@code Test.csv} with images in
 * {@code Train/Images/test}) is available through {@link #referenceTrain(Path)} and {@link #referenceTest(Path)}.
 * <p>
 * <b>Index CSV.</b> RFC 4180 CSV in UTF-8 (an initial byte-order mark is ignored; quoted fields may hold commas,
 * quotes and line breaks; backslash is an ordinary character). If the first row contains the configured file name
 * column name it is a header; the header may hold only the file name column and the label column. Without a
 * header, the first column is the file name and an optional second column the label. Entirely blank lines are
 * skipped; every other row must have as many fields as the header and non-empty values. If
 * {@code labelColumn} is not configured, a column named {@value #DEFAULT_LABEL_COLUMN} is used when present and
 * otherwise the examples are unlabelled ({@link LabelFactory#UNKNOWN_LABEL}), ready for prediction.
 * <p>
 * <b>Pixels.</b> Images are decoded with Apache Commons Imaging (PNG, BMP, GIF, TIFF and the other formats it
 * reads), format detected from the content, into sRGB without any colour-space conversion (so an 8-bit gray
 * PNG gives exactly its stored values). Values are on the 8-bit scale. In {@link ChannelMode#GRAYSCALE} mode colour pixels become the
 * ITU-R BT.601 luma {@code (299 R + 587 G + 114 B) / 1000}, not rounded, so a gray pixel keeps its exact value. In {@link ChannelMode#RGB} mode the
 * three sRGB channels are kept (gray images are replicated into them). Alpha is handled by {@link AlphaMode}.
 * Finally every value is multiplied by {@code scale} (default 1/255, giving [0, 1]; use 1 to get the raw
 * 0..255 values {@code IDXDataSource} produces). Features are dense: zero pixels are present with value 0.
 * <p>
 * <b>Feature names and geometry.</b> The flat pixel index {@code (y * width + x) * channels + c}, zero-padded as
 * {@link ImageGeometry#featureName(int)} does. All images must have the same size; {@link #getGeometry()} gives it.
 * Each example carries its index file name as metadata under {@value #FILENAME_METADATA}.
 * <p>
 * <b>Errors.</b> Data is read eagerly and validated completely: any data problem throws
 * {@link ImageDataException} (an {@link IOException}) naming the index file, the CSV line and the image; no
 * partial data source is ever returned. Bad configuration throws {@link PropertyException} naming the field.
 * <p>
 * <b>Security.</b> File names that are absolute, or that resolve (after {@code ..} and symbolic links, via
 * {@link Path#toRealPath(LinkOption...)}) outside the image directory, are rejected. Each image's header is read
 * before decoding and images with more than {@code maxPixels} pixels (width × height) are rejected, which stops
 * decompression bombs. Before the first image is decoded, the memory the whole load needs (the number of listed
 * images times the first image's declared size, which every image must share) is checked against the
 * {@link MemoryBudget} ({@code -Dregula.memory.limit}), as is each image file's size before it is read. PNG files
 * are checked chunk by chunk before decoding: a chunk whose CRC-32 does not match, a truncated file, and
 * compressed metadata chunks (iCCP, zTXt, iTXt) inflating beyond {@link MemoryBudget#pngMetadataLimit()} are
 * refused.
 */
public final class ImageFolderDataSource implements ConfigurableDataSource<Label> {
    /** Heap cost of one feature name (a short String), shared by all examples. */
    private static final long BYTES_PER_FEATURE_NAME = 64;
    /** Heap cost of decoding one pixel: the encoded and inflated samples, the sRGB image and the value array. */
    private static final long DECODE_BYTES_PER_PIXEL = 48;
    /** Heap cost of one stored feature value: a name reference and a {@code double} in the example. */
    private static final long BYTES_PER_STORED_FEATURE = 12;
    /** Heap cost of one example apart from its features: the object, arrays, label and file name metadata. */
    private static final long BYTES_PER_EXAMPLE = 256;

    /** Metadata key under which each example stores its file name as written in the index. */
    public static final String FILENAME_METADATA = "filename";
    /** Default name of the file name column. */
    public static final String DEFAULT_FILENAME_COLUMN = "filename";
    /** Name of the label column used when {@code labelColumn} is not configured and the header has it. */
    public static final String DEFAULT_LABEL_COLUMN = "label";
    /** Default value scale: 1/255, mapping 8-bit values to [0, 1]. */
    public static final double DEFAULT_SCALE = 1.0 / 255.0;
    /** Default largest number of pixels (width × height) of one image: 50 million. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    /** How image channels become features. */
    public enum ChannelMode {
        /** One feature per pixel: gray value, or BT.601 luma {@code (299 R + 587 G + 114 B) / 1000} of colour pixels. */
        GRAYSCALE,
        /** Three features per pixel, the sRGB red, green and blue values (channel last). */
        RGB
    }

    /** What to do with an alpha channel. */
    public enum AlphaMode {
        /** Composite the image on black: every channel value is multiplied by {@code alpha / 255}. */
        COMPOSITE_ON_BLACK,
        /** Ignore alpha and use the colour values as stored. */
        IGNORE
    }

    @Config(mandatory = true, description = "Index CSV listing the image file names (and optionally labels).")
    private Path indexFile;

    @Config(description = "Folder the image file names are resolved against. Defaults to the folder of the index CSV.")
    private @Nullable Path imageDirectory = null;

    @Config(description = "Name of the index column holding the image file names.")
    private String filenameColumn = DEFAULT_FILENAME_COLUMN;

    @Config(description = "Name of the index column holding the labels. If unset, a column named 'label' is used "
            + "when present, otherwise the examples are unlabelled.")
    private @Nullable String labelColumn = null;

    @Config(description = "GRAYSCALE (one BT.601 luma value per pixel) or RGB (three values per pixel).")
    private ChannelMode channelMode = ChannelMode.GRAYSCALE;

    @Config(description = "COMPOSITE_ON_BLACK (multiply by alpha/255) or IGNORE the alpha channel.")
    private AlphaMode alphaMode = AlphaMode.COMPOSITE_ON_BLACK;

    @Config(description = "Factor applied to the 8-bit pixel values. Default 1/255.")
    private double scale = DEFAULT_SCALE;

    @Config(description = "Largest number of pixels (width x height) accepted per image, checked on the header before decoding.")
    private long maxPixels = DEFAULT_MAX_PIXELS;

    /** Produces the labels of labelled rows. */
    private final LabelFactory labelFactory = new LabelFactory();
    /** The examples, in index order; filled only once everything has been read and validated. */
    private final List<Example<Label>> examples = new ArrayList<>();
    /** The file names of the examples as written in the index, in index order. */
    private final List<String> filenames = new ArrayList<>();
    /** The geometry shared by all images, once loaded. */
    private @Nullable ImageGeometry geometry;
    /** The real path of the image directory, once loaded. */
    private @Nullable Path resolvedImageDirectory;
    /** Whether the index has a label column. */
    private boolean labelled;
    /** SHA-256 of the index CSV, lower-case hex. */
    private @Nullable String indexDigest;
    /** SHA-256 over the image files' SHA-256 digests in index order, lower-case hex. */
    private @Nullable String imagesDigest;
    /** Modification time of the index CSV, UTC. */
    private @Nullable OffsetDateTime indexModifiedTime;
    /** When {@link #postConfig()} started reading. */
    private @Nullable OffsetDateTime creationTime;
    /** Built on first request. */
    private @Nullable DataSourceProvenance provenance;

    /** For OLCUT and the {@link Builder}. */
    private ImageFolderDataSource() {}

    /**
     * Starts building a data source for an index CSV (flat layout unless {@link Builder#imageDirectory(Path)} is set).
     * @param indexFile the index CSV.
     * @return a builder with the default options.
     */
    public static Builder builder(Path indexFile) {
        return new Builder(indexFile);
    }

    /**
     * Starts building the training source of the reference layout: {@code root/Train/train.csv} with images in
     * {@code root/Train/Images/train}.
     * @param root the dataset root.
     * @return a builder.
     */
    public static Builder referenceTrain(Path root) {
        return builder(ReferenceLayout.trainIndex(root)).imageDirectory(ReferenceLayout.trainImages(root));
    }

    /**
     * Starts building the test source of the reference layout: {@code root/Test.csv} with images in
     * {@code root/Train/Images/test}.
     * @param root the dataset root.
     * @return a builder.
     */
    public static Builder referenceTest(Path root) {
        return builder(ReferenceLayout.testIndex(root)).imageDirectory(ReferenceLayout.testImages(root));
    }

    /**
     * Builder of {@link ImageFolderDataSource}; every option has the default documented on the class. The builder
     * sets the options on the data source it will return, which {@link #build()} then reads; a builder builds once.
     */
    public static final class Builder {
        /** The data source being configured; null once {@link #build()} has been called. */
        private @Nullable ImageFolderDataSource source = new ImageFolderDataSource();

        /**
         * A builder for a new data source.
         * @param indexFile the index CSV.
         */
        private Builder(Path indexFile) {
            target().indexFile = Objects.requireNonNull(indexFile, "indexFile");
        }

        /**
         * @return the data source being configured.
         * @throws IllegalStateException if the builder is spent.
         */
        private ImageFolderDataSource target() {
            ImageFolderDataSource s = source;
            if (s == null) {
                throw new IllegalStateException("this ImageFolderDataSource.Builder has already been built; "
                        + "a builder builds one data source, start a new one with ImageFolderDataSource.builder(...)");
            }
            return s;
        }

        /**
         * @param directory the folder image file names are resolved against (default: the index CSV's folder).
         * @return this builder.
         */
        public Builder imageDirectory(Path directory) {
            target().imageDirectory = directory;
            return this;
        }

        /**
         * @param name the file name column (default {@value ImageFolderDataSource#DEFAULT_FILENAME_COLUMN}).
         * @return this builder.
         */
        public Builder filenameColumn(String name) {
            target().filenameColumn = name;
            return this;
        }

        /**
         * @param name the label column, which must then exist (default: {@value ImageFolderDataSource#DEFAULT_LABEL_COLUMN} if present,
         *             else unlabelled).
         * @return this builder.
         */
        public Builder labelColumn(String name) {
            target().labelColumn = name;
            return this;
        }

        /**
         * @param mode grayscale or RGB features (default grayscale).
         * @return this builder.
         */
        public Builder channelMode(ChannelMode mode) {
            target().channelMode = mode;
            return this;
        }

        /**
         * @param mode alpha handling (default composite on black).
         * @return this builder.
         */
        public Builder alphaMode(AlphaMode mode) {
            target().alphaMode = mode;
            return this;
        }

        /**
         * @param scale factor applied to 8-bit values (default 1/255), finite and positive.
         * @return this builder.
         */
        public Builder scale(double scale) {
            target().scale = scale;
            return this;
        }

        /**
         * @param maxPixels largest accepted width × height (default 50 million), positive.
         * @return this builder.
         */
        public Builder maxPixels(long maxPixels) {
            target().maxPixels = maxPixels;
            return this;
        }

        /**
         * Reads and validates all the data. The builder is spent afterwards, even if this throws.
         * @return the data source.
         * @throws ImageDataException if the index or an image is invalid.
         * @throws PropertyException if an option is invalid.
         * @throws IOException if a file cannot be read.
         * @throws IllegalStateException if this builder has already been built.
         */
        public ImageFolderDataSource build() throws IOException {
            ImageFolderDataSource built = target();
            source = null;
            built.postConfig();
            return built;
        }
    }

    /**
     * Validates the configuration and reads the index and every image.
     * @throws PropertyException if an option is invalid.
     * @throws ImageDataException if the data is invalid.
     * @throws IOException if a file cannot be read.
     */
    @Override
    public void postConfig() throws IOException {
        if (indexFile == null) {
            throw new PropertyException("", "indexFile", "indexFile must be set");
        }
        if (filenameColumn == null || filenameColumn.isBlank()) {
            throw new PropertyException("", "filenameColumn", "filenameColumn must be a non-blank column name");
        }
        if (labelColumn != null && (labelColumn.isBlank() || labelColumn.trim().equals(filenameColumn.trim()))) {
            throw new PropertyException("", "labelColumn", "labelColumn must be a non-blank column name different "
                    + "from filenameColumn, found '" + labelColumn + "'");
        }
        if (channelMode == null) {
            throw new PropertyException("", "channelMode", "channelMode must be GRAYSCALE or RGB");
        }
        if (alphaMode == null) {
            throw new PropertyException("", "alphaMode", "alphaMode must be COMPOSITE_ON_BLACK or IGNORE");
        }
        if (!(Double.isFinite(scale) && scale > 0)) {
            throw new PropertyException("", "scale", "scale must be finite and positive, found " + scale);
        }
        if (maxPixels < 1) {
            throw new PropertyException("", "maxPixels", "maxPixels must be at least 1, found " + maxPixels);
        }
        indexFile = indexFile.toAbsolutePath().normalize();
        if (imageDirectory != null) {
            imageDirectory = imageDirectory.toAbsolutePath().normalize();
        }
        creationTime = OffsetDateTime.now();
        load();
    }

    /**
     * Reads the index and every image; fills the source only once all of them are valid.
     * @throws ImageDataException if the index or an image is invalid.
     * @throws IOException if a file cannot be read.
     */
    private void load() throws IOException {
        byte[] indexBytes = ImageIndex.readBytes(indexFile);
        indexModifiedTime = OffsetDateTime.ofInstant(Files.getLastModifiedTime(indexFile).toInstant(), ZoneOffset.UTC);
        indexDigest = Sha256.hex(Sha256.digest(indexBytes));
        Path root = ImageIndex.realDirectory(indexFile, imageDirectory != null ? imageDirectory : indexFile.getParent());
        resolvedImageDirectory = root;
        ImageIndex index = ImageIndex.parse(indexFile, indexBytes, root, filenameColumn, labelColumn);
        labelled = index.labelled();
        List<ImageIndex.Row> rows = index.rows();
        if (rows.isEmpty()) {
            throw new ImageDataException(indexFile, -1, "index CSV lists no images");
        }

        List<Example<Label>> loaded = new ArrayList<>(rows.size());
        List<String> names = new ArrayList<>(rows.size());
        Map<Path, ImageIndex.Row> seen = new HashMap<>();
        MessageDigest setDigest = Sha256.newDigest();
        MessageDigest fileDigest = Sha256.newDigest();
        ImageGeometry first = null;
        long planned = 0; // the memory the whole load needs, known once the first image has been measured
        String firstFile = null;
        String[] featureNames = null;
        for (ImageIndex.Row row : rows) {
            Path image = index.resolve(row);
            ImageIndex.Row previous = seen.putIfAbsent(image, row);
            if (previous != null) {
                throw new ImageDataException(indexFile, row.line(), "image '" + row.filename() + "' is listed twice, first on line "
                        + previous.line() + " as '" + previous.filename() + "'");
            }
            ImageCodec.Origin origin = new ImageCodec.Origin(indexFile, row.line(), row.filename(), image);
            byte[] bytes;
            try {
                String refusal = MemoryBudget.refusal("image " + origin.describe() + " is a file of "
                        + Files.size(image) + " bytes: reading it", Files.size(image) + planned);
                if (refusal != null) {
                    throw origin.error(refusal, null);
                }
                bytes = Files.readAllBytes(image);
            } catch (ImageDataException e) {
                throw e;
            } catch (IOException | OutOfMemoryError e) {
                throw origin.error("cannot read image " + origin.describe() + ": " + e, e);
            }
            setDigest.update(fileDigest.digest(bytes));

            Dimension size = ImageCodec.readSize(bytes, origin);
            if ((long) size.width * size.height > maxPixels) {
                throw origin.error("image " + origin.describe() + " declares " + size.width + "x" + size.height + " = "
                        + ((long) size.width * size.height) + " pixels, more than maxPixels = " + maxPixels + "; not decoded", null);
            }
            if (first == null) {
                first = firstGeometry(size, origin);
                planned = plannedBytes(first, rows.size(), size, origin);
                firstFile = row.filename();
                featureNames = first.featureNames();
            } else if (size.width != first.getWidth() || size.height != first.getHeight()) {
                throw origin.error("image '" + row.filename() + "' is " + size.width + "x" + size.height
                        + " but the first image '" + firstFile + "' is " + first.getWidth() + "x"
                        + first.getHeight() + "; all images must have the same size", null);
            }
            double[] values = ImageCodec.decodePixels(bytes, first, alphaMode, scale, origin);
            Label label = row.label() == null ? LabelFactory.UNKNOWN_LABEL : labelFactory.generateOutput(row.label());
            ArrayExample<Label> example = new ArrayExample<>(label, featureNames, values);
            example.setMetadataValue(FILENAME_METADATA, row.filename());
            loaded.add(example);
            names.add(row.filename());
        }
        geometry = first;
        imagesDigest = Sha256.hex(setDigest.digest());
        examples.addAll(loaded);
        filenames.addAll(names);
    }

    /**
     * The geometry of the first image, which every other image must share.
     * @param size the first image's declared size.
     * @param origin the first image.
     * @return the geometry.
     * @throws ImageDataException if the size is unsupported.
     */
    private ImageGeometry firstGeometry(Dimension size, ImageCodec.Origin origin) throws ImageDataException {
        int channels = channelMode == ChannelMode.RGB ? 3 : 1;
        try {
            return ImageGeometry.of(size.width, size.height, channels);
        } catch (IllegalArgumentException e) {
            throw origin.error("image '" + origin.name() + "' has unsupported size " + size.width + "x" + size.height
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The memory the whole load needs, checked against the {@link MemoryBudget} before the first image is decoded:
     * every listed image must have the first one's size, so the index and the first header fix it. A few kilobytes
     * of PNG can declare tens of millions of pixels, and a few hundred such files exhaust any heap.
     * @param g the geometry of every image.
     * @param images the number of images listed.
     * @param size the first image's declared size.
     * @param origin the first image.
     * @return the planned bytes.
     * @throws ImageDataException if they exceed the budget.
     */
    private long plannedBytes(ImageGeometry g, int images, Dimension size, ImageCodec.Origin origin) throws ImageDataException {
        long features = g.getSize();
        long pixels = (long) size.width * size.height;
        long needed = features * BYTES_PER_FEATURE_NAME + pixels * DECODE_BYTES_PER_PIXEL
                + images * (features * BYTES_PER_STORED_FEATURE + BYTES_PER_EXAMPLE);
        String refusal = MemoryBudget.refusal("the " + images + " image(s) listed are " + size.width + "x" + size.height
                + " like the first, " + origin.describe() + ": " + features + " features each; decoding and holding them", needed);
        if (refusal != null) {
            throw origin.error(refusal + "; or lower maxPixels (now " + maxPixels + ") to reject such images; "
                    + "no image was decoded", null);
        }
        return needed;
    }

    /** @return the SHA-256 of the index CSV, lower-case hex. */
    String indexDigest() {
        return Objects.requireNonNull(indexDigest);
    }

    /** @return the SHA-256 over the image files' SHA-256 digests in index order, lower-case hex. */
    String imagesDigest() {
        return Objects.requireNonNull(imagesDigest);
    }

    /** @return the modification time of the index CSV, UTC. */
    OffsetDateTime indexModifiedTime() {
        return Objects.requireNonNull(indexModifiedTime);
    }

    /** @return when the data was read. */
    OffsetDateTime creationTime() {
        return Objects.requireNonNull(creationTime);
    }

    /** @return the geometry shared by all images. */
    public ImageGeometry getGeometry() {
        return Objects.requireNonNull(geometry);
    }

    /** @return the index CSV, absolute. */
    public Path getIndexFile() {
        return indexFile;
    }

    /** @return the image directory file names were resolved against, as a real path. */
    public Path getImageDirectory() {
        return Objects.requireNonNull(resolvedImageDirectory);
    }

    /** @return the file names of the examples as written in the index, in index order. */
    public List<String> getFilenames() {
        return Collections.unmodifiableList(filenames);
    }

    /** @return true if the index has a label column; false if all examples carry {@link LabelFactory#UNKNOWN_LABEL}. */
    public boolean hasLabels() {
        return labelled;
    }

    /**
     * The listed image files last modified after a point in time, e.g. a model's training time, to name the files
     * that probably changed when the images hash differs from a recorded one.
     * @param time the point in time.
     * @return the file names as written in the index, in index order.
     */
    public List<String> getFilesModifiedAfter(Instant time) {
        List<String> out = new ArrayList<>();
        Path root = getImageDirectory();
        for (String name : filenames) {
            try {
                if (Files.getLastModifiedTime(root.resolve(name)).toInstant().isAfter(time)) {
                    out.add(name);
                }
            } catch (IOException e) {
                out.add(name); // gone or unreadable since it was read: changed as well
            }
        }
        return out;
    }

    /** @return the number of examples (images). */
    public int size() {
        return examples.size();
    }

    @Override
    public OutputFactory<Label> getOutputFactory() {
        return labelFactory;
    }

    @Override
    public synchronized DataSourceProvenance getProvenance() {
        if (provenance == null) {
            provenance = new dev.regula.data.ImageFolderDataSourceProvenance(this);
        }
        return provenance;
    }

    @Override
    public Iterator<Example<Label>> iterator() {
        return Collections.unmodifiableList(examples).iterator();
    }

    @Override
    public String toString() {
        return "ImageFolderDataSource(indexFile=" + indexFile + ",imageDirectory=" + resolvedImageDirectory
                + ",geometry=" + geometry + ",examples=" + examples.size() + ",labelled=" + labelled
                + ",channelMode=" + channelMode + ",scale=" + scale + ")";
    }

    /**
     * The former name of {@link dev.regula.data.ImageFolderDataSourceProvenance}, which was nested here. Tribuo
     * records provenance by class name, so models saved by earlier builds name
     * {@code dev.regula.data.ImageFolderDataSource$ImageFolderDataSourceProvenance}: OLCUT unmarshals them through
     * the {@code Map} constructor of this class, and Java deserialization of such a model resolves its old-form
     * fields into a {@link dev.regula.data.ImageFolderDataSourceProvenance}. New provenance never uses this class.
     * @deprecated kept only to load provenance written by earlier builds; use
     * {@link dev.regula.data.ImageFolderDataSourceProvenance}.
     */
    @Deprecated
    public static final class ImageFolderDataSourceProvenance extends dev.regula.data.ImageFolderDataSourceProvenance {
        /** Unchanged from earlier builds, whose Java streams name this class. */
        private static final long serialVersionUID = 1L;

        /** The instance values a Java stream of an earlier build stored on this class, until {@link #readResolve()}. */
        private transient @Nullable Map<String, PrimitiveProvenance<?>> legacyValues;

        /**
         * Unmarshals provenance recorded under the old class name.
         * @param map the provenance fields.
         */
        public ImageFolderDataSourceProvenance(Map<String, Provenance> map) {
            super(map);
        }

        /**
         * Keeps the values an earlier build's Java serialization wrote for this class, if the stream has them.
         * @param in the stream.
         * @throws IOException if the stream cannot be read or holds only some of the values.
         * @throws ClassNotFoundException if a value's class is missing.
         */
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            legacyValues = legacyInstanceValues(in.readFields());
        }

        /** @return the provenance under its current class if it was read from an earlier build's stream. */
        private Object readResolve() {
            Map<String, PrimitiveProvenance<?>> values = legacyValues;
            return values == null ? this : withInstanceValues(values);
        }
    }
}
