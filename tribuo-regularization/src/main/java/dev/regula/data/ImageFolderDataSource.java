package dev.regula.data;

import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import com.opencsv.exceptions.CsvException;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.impl.SkeletalConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.HashProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.apache.commons.imaging.Imaging;
import org.jspecify.annotations.Nullable;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.ConfiguredDataSourceProvenance;
import org.tribuo.provenance.DataSourceProvenance;

import java.awt.Dimension;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
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
 * decompression bombs.
 */
public final class ImageFolderDataSource implements ConfigurableDataSource<Label> {
    /** Rough heap cost of one feature of the first image: its name (a short String) plus decoding buffers. */
    private static final long BYTES_PER_FEATURE = 80;


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

    private final LabelFactory labelFactory = new LabelFactory();
    private final List<Example<Label>> examples = new ArrayList<>();
    private final List<String> filenames = new ArrayList<>();
    private @Nullable ImageGeometry geometry;
    private @Nullable Path resolvedImageDirectory;
    private boolean labelled;
    private @Nullable String indexHash;
    private @Nullable String imagesHash;
    private @Nullable OffsetDateTime indexModifiedTime;
    private @Nullable OffsetDateTime creationTime;
    private @Nullable ImageFolderDataSourceProvenance provenance;

    /** For OLCUT. */
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
     * Builder of {@link ImageFolderDataSource}; every option has the default documented on the class.
     */
    public static final class Builder {
        private final Path indexFile;
        private @Nullable Path imageDirectory;
        private String filenameColumn = DEFAULT_FILENAME_COLUMN;
        private @Nullable String labelColumn;
        private ChannelMode channelMode = ChannelMode.GRAYSCALE;
        private AlphaMode alphaMode = AlphaMode.COMPOSITE_ON_BLACK;
        private double scale = DEFAULT_SCALE;
        private long maxPixels = DEFAULT_MAX_PIXELS;

        private Builder(Path indexFile) {
            this.indexFile = Objects.requireNonNull(indexFile, "indexFile");
        }

        /**
         * @param directory the folder image file names are resolved against (default: the index CSV's folder).
         * @return this builder.
         */
        public Builder imageDirectory(Path directory) {
            this.imageDirectory = directory;
            return this;
        }

        /**
         * @param name the file name column (default {@value ImageFolderDataSource#DEFAULT_FILENAME_COLUMN}).
         * @return this builder.
         */
        public Builder filenameColumn(String name) {
            this.filenameColumn = name;
            return this;
        }

        /**
         * @param name the label column, which must then exist (default: {@value ImageFolderDataSource#DEFAULT_LABEL_COLUMN} if present,
         *             else unlabelled).
         * @return this builder.
         */
        public Builder labelColumn(String name) {
            this.labelColumn = name;
            return this;
        }

        /**
         * @param mode grayscale or RGB features (default grayscale).
         * @return this builder.
         */
        public Builder channelMode(ChannelMode mode) {
            this.channelMode = mode;
            return this;
        }

        /**
         * @param mode alpha handling (default composite on black).
         * @return this builder.
         */
        public Builder alphaMode(AlphaMode mode) {
            this.alphaMode = mode;
            return this;
        }

        /**
         * @param scale factor applied to 8-bit values (default 1/255), finite and positive.
         * @return this builder.
         */
        public Builder scale(double scale) {
            this.scale = scale;
            return this;
        }

        /**
         * @param maxPixels largest accepted width × height (default 50 million), positive.
         * @return this builder.
         */
        public Builder maxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        /**
         * Reads and validates all the data.
         * @return the data source.
         * @throws ImageDataException if the index or an image is invalid.
         * @throws PropertyException if an option is invalid.
         * @throws IOException if a file cannot be read.
         */
        public ImageFolderDataSource build() throws IOException {
            ImageFolderDataSource source = new ImageFolderDataSource();
            source.indexFile = indexFile;
            source.imageDirectory = imageDirectory;
            source.filenameColumn = filenameColumn;
            source.labelColumn = labelColumn;
            source.channelMode = channelMode;
            source.alphaMode = alphaMode;
            source.scale = scale;
            source.maxPixels = maxPixels;
            source.postConfig();
            return source;
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

    private record Row(long line, String filename, @Nullable String label) {}

    private void load() throws IOException {
        byte[] indexBytes;
        try {
            indexBytes = Files.readAllBytes(indexFile);
        } catch (NoSuchFileException e) {
            throw new ImageDataException(indexFile, -1, "index CSV does not exist", e);
        } catch (IOException e) {
            throw new ImageDataException(indexFile, -1, "cannot read index CSV: " + e, e);
        }
        indexModifiedTime = OffsetDateTime.ofInstant(Files.getLastModifiedTime(indexFile).toInstant(), ZoneOffset.UTC);
        indexHash = hex(sha256().digest(indexBytes));

        Path directory = imageDirectory != null ? imageDirectory : indexFile.getParent();
        Path root;
        try {
            root = directory.toRealPath();
        } catch (IOException e) {
            throw new ImageDataException(indexFile, -1, "image directory " + directory + " does not exist or is unreadable", e);
        }
        if (!Files.isDirectory(root)) {
            throw new ImageDataException(indexFile, -1, "image directory " + directory + " is not a directory");
        }
        resolvedImageDirectory = root;

        List<Row> rows = parseIndex(indexBytes);
        if (rows.isEmpty()) {
            throw new ImageDataException(indexFile, -1, "index CSV lists no images");
        }

        List<Example<Label>> loaded = new ArrayList<>(rows.size());
        List<String> names = new ArrayList<>(rows.size());
        Map<Path, Row> seen = new HashMap<>();
        MessageDigest setDigest = sha256();
        MessageDigest fileDigest = sha256();
        ImageGeometry first = null;
        String firstFile = null;
        String[] featureNames = null;
        for (Row row : rows) {
            Path image = resolveImage(root, row);
            Row previous = seen.putIfAbsent(image, row);
            if (previous != null) {
                throw new ImageDataException(indexFile, row.line, "image '" + row.filename + "' is listed twice, first on line "
                        + previous.line + " as '" + previous.filename + "'");
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(image);
            } catch (IOException | OutOfMemoryError e) {
                throw new ImageDataException(indexFile, row.line, "cannot read image '" + row.filename + "' (" + image + "): " + e, e);
            }
            setDigest.update(fileDigest.digest(bytes));

            Dimension size = readSize(bytes, row, image);
            if ((long) size.width * size.height > maxPixels) {
                throw new ImageDataException(indexFile, row.line, "image '" + row.filename + "' (" + image + ") declares "
                        + size.width + "x" + size.height + " = " + ((long) size.width * size.height)
                        + " pixels, more than maxPixels = " + maxPixels + "; not decoded");
            }
            int channels = channelMode == ChannelMode.RGB ? 3 : 1;
            if (first == null) {
                try {
                    first = ImageGeometry.of(size.width, size.height, channels);
                } catch (IllegalArgumentException e) {
                    throw new ImageDataException(indexFile, row.line, "image '" + row.filename + "' has unsupported size "
                            + size.width + "x" + size.height + ": " + e.getMessage(), e);
                }
                // A few kilobytes of PNG can declare tens of millions of pixels: check the memory they would take
                // (a name per feature, and per image a value and a name reference) before building anything.
                long features = (long) first.getSize();
                long needed = features * BYTES_PER_FEATURE;
                if (needed > Runtime.getRuntime().maxMemory() / 2) {
                    throw new ImageDataException(indexFile, row.line, "image '" + row.filename + "' (" + image + ") is "
                            + size.width + "x" + size.height + ": " + features + " features need about " + (needed >> 20)
                            + " MiB, more than half the JVM's maximum heap (" + (Runtime.getRuntime().maxMemory() >> 20)
                            + " MiB); lower maxPixels (now " + maxPixels + ") to reject such images, or raise -Xmx");
                }
                firstFile = row.filename;
                featureNames = first.featureNames();
            } else if (size.width != first.getWidth() || size.height != first.getHeight()) {
                throw new ImageDataException(indexFile, row.line, "image '" + row.filename + "' is " + size.width + "x"
                        + size.height + " but the first image '" + firstFile + "' is " + first.getWidth() + "x"
                        + first.getHeight() + "; all images must have the same size");
            }
            double[] values = decode(bytes, row, image, first);
            Label label = row.label == null ? LabelFactory.UNKNOWN_LABEL : labelFactory.generateOutput(row.label);
            ArrayExample<Label> example = new ArrayExample<>(label, featureNames, values);
            example.setMetadataValue(FILENAME_METADATA, row.filename);
            loaded.add(example);
            names.add(row.filename);
        }
        geometry = first;
        imagesHash = hex(setDigest.digest());
        examples.addAll(loaded);
        filenames.addAll(names);
    }

    /**
     * Decodes the index as strict UTF-8 after dropping a leading byte-order mark (before parsing, so that a quoted
     * first field is still recognised as quoted), reporting an invalid byte with its line instead of silently
     * turning it into U+FFFD.
     */
    private String decodeIndex(byte[] bytes) throws ImageDataException {
        int start = bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int bad = in.position();
            long line = 1;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new ImageDataException(indexFile, line, "index CSV is not valid UTF-8: byte 0x"
                    + Integer.toHexString(bytes[bad] & 0xff) + " at offset " + bad + "; save the index as UTF-8");
        }
        out.flip();
        return out.toString();
    }

    private List<Row> parseIndex(byte[] bytes) throws ImageDataException {
        List<Row> rows = new ArrayList<>();
        try (CSVReader reader = new CSVReaderBuilder(new StringReader(decodeIndex(bytes)))
                .withCSVParser(new RFC4180ParserBuilder().build())
                .withKeepCarriageReturn(false)
                .build()) {
            String[] record;
            long linesBefore = 0;
            boolean firstRecord = true;
            int filenameIndex = 0;
            int labelIndex = -1;
            int width = -1;
            String expected = "";
            while (true) {
                long line = linesBefore + 1;
                try {
                    record = reader.readNext();
                } catch (CsvException | IOException e) {
                    throw new ImageDataException(indexFile, line, "malformed CSV: " + e.getMessage(), e);
                }
                if (record == null) {
                    break;
                }
                linesBefore = reader.getLinesRead();
                if (record.length == 1 && record[0].isEmpty()) {
                    continue; // blank line
                }
                if (firstRecord) {
                    firstRecord = false;
                    List<String> header = new ArrayList<>();
                    for (String s : record) {
                        header.add(s.trim());
                    }
                    if (header.contains(filenameColumn.trim())) {
                        width = record.length;
                        filenameIndex = findColumn(header, filenameColumn.trim(), line);
                        if (labelColumn != null) {
                            if (!header.contains(labelColumn.trim())) {
                                throw new ImageDataException(indexFile, line, "label column '" + labelColumn
                                        + "' not found; available columns: " + String.join(", ", header));
                            }
                            labelIndex = findColumn(header, labelColumn.trim(), line);
                        } else if (header.contains(DEFAULT_LABEL_COLUMN)) {
                            labelIndex = findColumn(header, DEFAULT_LABEL_COLUMN, line);
                        }
                        List<String> extra = new ArrayList<>();
                        for (int i = 0; i < header.size(); i++) {
                            if (i != filenameIndex && i != labelIndex) {
                                extra.add("'" + header.get(i) + "'");
                            }
                        }
                        if (!extra.isEmpty()) {
                            throw new ImageDataException(indexFile, line, "unexpected column(s) " + String.join(", ", extra)
                                    + "; the index may hold only the file name column '" + filenameColumn + "'"
                                    + (labelIndex >= 0 ? " and the label column '" + header.get(labelIndex) + "'"
                                    : " and a label column (set labelColumn to name it)"));
                        }
                        expected = String.join(",", header);
                        continue;
                    }
                    for (String h : header) {
                        if (h.equalsIgnoreCase(filenameColumn.trim())) {
                            throw new ImageDataException(indexFile, line, "the first row has a column '" + h + "' but the "
                                    + "file name column is '" + filenameColumn + "' (column names are case-sensitive)");
                        }
                    }
                    // No header: positional columns.
                    if (labelColumn != null) {
                        throw new ImageDataException(indexFile, line, "labelColumn '" + labelColumn + "' is configured "
                                + "but the index has no header row (the first row does not contain the file name column '"
                                + filenameColumn + "'): " + String.join(",", record));
                    }
                    if (record.length > 2) {
                        throw new ImageDataException(indexFile, line, "no header row (the first row does not contain the "
                                + "file name column '" + filenameColumn + "') and " + record.length
                                + " columns; a header-less index has a file name column and an optional label column");
                    }
                    width = record.length;
                    labelIndex = record.length == 2 ? 1 : -1;
                    expected = record.length == 2 ? "filename,label" : "filename";
                }
                if (record.length != width) {
                    throw new ImageDataException(indexFile, line, "expected " + width + " field(s) (" + expected
                            + ") but found " + record.length + ": " + String.join(",", record));
                }
                String filename = record[filenameIndex];
                if (filename.isEmpty()) {
                    throw new ImageDataException(indexFile, line, "empty file name");
                }
                String label = null;
                if (labelIndex >= 0) {
                    label = record[labelIndex].trim();
                    if (label.isEmpty()) {
                        throw new ImageDataException(indexFile, line, "empty label for '" + filename + "'");
                    }
                }
                rows.add(new Row(line, filename, label));
            }
            labelled = labelIndex >= 0;
        } catch (IOException e) {
            if (e instanceof ImageDataException) {
                throw (ImageDataException) e;
            }
            throw new ImageDataException(indexFile, -1, "cannot read index CSV: " + e, e);
        }
        return rows;
    }

    private int findColumn(List<String> header, String name, long line) throws ImageDataException {
        int index = header.indexOf(name);
        if (header.lastIndexOf(name) != index) {
            throw new ImageDataException(indexFile, line, "column '" + name + "' appears more than once in the header");
        }
        return index;
    }

    private Path resolveImage(Path root, Row row) throws ImageDataException {
        Path relative;
        try {
            relative = root.getFileSystem().getPath(row.filename);
        } catch (InvalidPathException e) {
            throw new ImageDataException(indexFile, row.line, "invalid file name '" + row.filename + "': " + e.getMessage(), e);
        }
        if (relative.isAbsolute() || relative.getRoot() != null) {
            throw new ImageDataException(indexFile, row.line, "file name '" + row.filename
                    + "' is absolute; file names must be relative to the image directory " + root);
        }
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root)) {
            throw new ImageDataException(indexFile, row.line, "file name '" + row.filename
                    + "' escapes the image directory " + root);
        }
        Path real;
        try {
            real = resolved.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ImageDataException(indexFile, row.line, "image '" + row.filename + "' does not exist (" + resolved + ")", e);
        } catch (IOException e) {
            throw new ImageDataException(indexFile, row.line, "cannot access image '" + row.filename + "' (" + resolved + "): " + e, e);
        }
        if (!real.startsWith(root)) {
            throw new ImageDataException(indexFile, row.line, "image '" + row.filename + "' is a link to " + real
                    + ", outside the image directory " + root);
        }
        if (!Files.isRegularFile(real)) {
            throw new ImageDataException(indexFile, row.line, "image '" + row.filename + "' (" + real + ") is not a regular file");
        }
        return real;
    }

    private Dimension readSize(byte[] bytes, Row row, Path image) throws ImageDataException {
        String pngProblem = pngHeaderProblem(bytes);
        if (pngProblem != null) {
            throw new ImageDataException(indexFile, row.line, "image '" + row.filename + "' (" + image
                    + ") is not a valid PNG: " + pngProblem);
        }
        try {
            Dimension size = Imaging.getImageSize(bytes);
            if (size == null || size.width < 1 || size.height < 1) {
                throw new ImageDataException(indexFile, row.line, "image '" + row.filename + "' (" + image
                        + ") declares an invalid size " + (size == null ? "null" : size.width + "x" + size.height));
            }
            return size;
        } catch (ImageDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageDataException(indexFile, row.line, "'" + row.filename + "' (" + image
                    + ") is not a readable image: " + e.getMessage(), e);
        }
    }

    /**
     * Checks the IHDR of a PNG against the PNG specification (Commons Imaging decodes, for instance, gray at a bit
     * depth of 3, which the specification forbids, into arbitrary values instead of rejecting it).
     * @return null if the data is not a PNG or its header is valid, otherwise the problem.
     */
    static @Nullable String pngHeaderProblem(byte[] b) {
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        if (b.length < signature.length || !java.util.Arrays.equals(b, 0, signature.length, signature, 0, signature.length)) {
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
        if (!java.util.Arrays.asList(allowed.split(", ")).contains(Integer.toString(depth))) {
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

    private double[] decode(byte[] bytes, Row row, Path file, ImageGeometry g) throws ImageDataException {
        BufferedImage image;
        try {
            image = ImageCodec.decode(bytes);
        } catch (IOException | RuntimeException e) {
            throw new ImageDataException(indexFile, row.line, "image '" + row.filename + "' (" + file
                    + ") is corrupt or unsupported: " + e.getMessage(), e);
        }
        if (image == null || image.getWidth() != g.getWidth() || image.getHeight() != g.getHeight()) {
            throw new ImageDataException(indexFile, row.line, "image '" + row.filename + "' (" + file
                    + ") decoded to a different size than its header declares (" + g.getWidth() + "x" + g.getHeight() + ")");
        }
        try {
            return pixels(image, g);
        } catch (RuntimeException e) {
            throw new ImageDataException(indexFile, row.line, "image '" + row.filename + "' (" + file
                    + ") has pixel data that cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Converts a decoded image into channel-last values on the 8-bit scale, multiplied by {@link #scale}.
     */
    private double[] pixels(BufferedImage image, ImageGeometry g) {
        int w = g.getWidth();
        int h = g.getHeight();
        int channels = g.getChannels();
        double[] out = new double[g.getSize()];
        ColorModel cm = image.getColorModel();
        boolean composite = alphaMode == AlphaMode.COMPOSITE_ON_BLACK;
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // Only for decoders that ignore ImageCodec's factory. Read gray samples directly: getRGB would
            // apply a gray-to-sRGB tone curve. Samples wider than 8 bits are mapped to [0, 255].
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().withUpperCase().formatHex(digest);
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
            provenance = new ImageFolderDataSourceProvenance(this);
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
     * Provenance of an {@link ImageFolderDataSource}: its configuration plus the SHA-256 of the index CSV, a
     * SHA-256 over the images (the hash of the concatenated SHA-256 digests of each image file, in index order),
     * the image geometry, the number of examples, the index file's modification time and the creation time.
     */
    public static final class ImageFolderDataSourceProvenance extends SkeletalConfiguredObjectProvenance
            implements ConfiguredDataSourceProvenance {
        private static final long serialVersionUID = 1L;

        /** Key of the SHA-256 of the index CSV. */
        public static final String INDEX_HASH = "index-resource-hash";
        /** Key of the SHA-256 over the image files. */
        public static final String IMAGES_HASH = "images-resource-hash";
        /** Key of the image geometry, {@code WIDTHxHEIGHTxCHANNELS}. */
        public static final String GEOMETRY = "image-geometry";
        /** Key of the number of examples. */
        public static final String EXAMPLE_COUNT = "example-count";

        private final DateTimeProvenance creationTime;
        private final DateTimeProvenance indexModifiedTime;
        private final HashProvenance indexHash;
        private final HashProvenance imagesHash;
        private final StringProvenance geometry;
        private final IntProvenance exampleCount;

        ImageFolderDataSourceProvenance(ImageFolderDataSource host) {
            super(host, "DataSource");
            this.creationTime = new DateTimeProvenance(DATASOURCE_CREATION_TIME, Objects.requireNonNull(host.creationTime));
            this.indexModifiedTime = new DateTimeProvenance(FILE_MODIFIED_TIME, Objects.requireNonNull(host.indexModifiedTime));
            this.indexHash = new HashProvenance(ProvenanceUtil.HashType.SHA256, INDEX_HASH, Objects.requireNonNull(host.indexHash));
            this.imagesHash = new HashProvenance(ProvenanceUtil.HashType.SHA256, IMAGES_HASH, Objects.requireNonNull(host.imagesHash));
            this.geometry = new StringProvenance(GEOMETRY, host.getGeometry().toString());
            this.exampleCount = new IntProvenance(EXAMPLE_COUNT, host.size());
        }

        /**
         * Deserialisation constructor, used by OLCUT to unmarshal the provenance.
         * @param map the provenance fields.
         */
        public ImageFolderDataSourceProvenance(Map<String, Provenance> map) {
            this(extractProvenanceInfo(map));
        }

        private ImageFolderDataSourceProvenance(ExtractedInfo info) {
            super(info);
            this.creationTime = (DateTimeProvenance) info.instanceValues.get(DATASOURCE_CREATION_TIME);
            this.indexModifiedTime = (DateTimeProvenance) info.instanceValues.get(FILE_MODIFIED_TIME);
            this.indexHash = (HashProvenance) info.instanceValues.get(INDEX_HASH);
            this.imagesHash = (HashProvenance) info.instanceValues.get(IMAGES_HASH);
            this.geometry = (StringProvenance) info.instanceValues.get(GEOMETRY);
            this.exampleCount = (IntProvenance) info.instanceValues.get(EXAMPLE_COUNT);
        }

        private static ExtractedInfo extractProvenanceInfo(Map<String, Provenance> map) {
            String name = ImageFolderDataSourceProvenance.class.getSimpleName();
            Map<String, Provenance> configured = new HashMap<>(map);
            String className = ObjectProvenance.checkAndExtractProvenance(configured, CLASS_NAME, StringProvenance.class, name).getValue();
            String hostShortName = ObjectProvenance.checkAndExtractProvenance(configured, HOST_SHORT_NAME, StringProvenance.class, name).getValue();
            Map<String, PrimitiveProvenance<?>> instance = new HashMap<>();
            instance.put(DATASOURCE_CREATION_TIME, ObjectProvenance.checkAndExtractProvenance(configured, DATASOURCE_CREATION_TIME, DateTimeProvenance.class, name));
            instance.put(FILE_MODIFIED_TIME, ObjectProvenance.checkAndExtractProvenance(configured, FILE_MODIFIED_TIME, DateTimeProvenance.class, name));
            instance.put(INDEX_HASH, ObjectProvenance.checkAndExtractProvenance(configured, INDEX_HASH, HashProvenance.class, name));
            instance.put(IMAGES_HASH, ObjectProvenance.checkAndExtractProvenance(configured, IMAGES_HASH, HashProvenance.class, name));
            instance.put(GEOMETRY, ObjectProvenance.checkAndExtractProvenance(configured, GEOMETRY, StringProvenance.class, name));
            instance.put(EXAMPLE_COUNT, ObjectProvenance.checkAndExtractProvenance(configured, EXAMPLE_COUNT, IntProvenance.class, name));
            return new ExtractedInfo(className, hostShortName, configured, instance);
        }

        /** @return the SHA-256 of the index CSV, upper-case hex. */
        public String getIndexHash() {
            return indexHash.getValue();
        }

        /** @return the SHA-256 over the image files, upper-case hex. */
        public String getImagesHash() {
            return imagesHash.getValue();
        }

        /** @return the image geometry recorded when the source was read. */
        public ImageGeometry getGeometry() {
            return ImageGeometry.parse(geometry.getValue());
        }

        @Override
        public Map<String, PrimitiveProvenance<?>> getInstanceValues() {
            Map<String, PrimitiveProvenance<?>> map = super.getInstanceValues();
            map.put(creationTime.getKey(), creationTime);
            map.put(indexModifiedTime.getKey(), indexModifiedTime);
            map.put(indexHash.getKey(), indexHash);
            map.put(imagesHash.getKey(), imagesHash);
            map.put(geometry.getKey(), geometry);
            map.put(exampleCount.getKey(), exampleCount);
            return map;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (!(o instanceof ImageFolderDataSourceProvenance) || !super.equals(o)) {
                return false;
            }
            ImageFolderDataSourceProvenance that = (ImageFolderDataSourceProvenance) o;
            return creationTime.equals(that.creationTime) && indexModifiedTime.equals(that.indexModifiedTime)
                    && indexHash.equals(that.indexHash) && imagesHash.equals(that.imagesHash)
                    && geometry.equals(that.geometry) && exampleCount.equals(that.exampleCount);
        }

        @Override
        public int hashCode() {
            return Objects.hash(super.hashCode(), creationTime, indexModifiedTime, indexHash, imagesHash, geometry, exampleCount);
        }
    }
}
