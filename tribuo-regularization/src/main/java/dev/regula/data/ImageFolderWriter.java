package dev.regula.data;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;
import org.tribuo.Example;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes images held as Tribuo examples (features named by flat pixel index, values on the 8-bit scale, as
 * {@link org.tribuo.datasource.IDXDataSource} produces them) to an index CSV plus a folder of PNG files, the
 * input format of {@link ImageFolderDataSource}. PNGs are written with Apache Commons Imaging: 8-bit gray for one
 * channel, 8-bit RGB for three.
 * <p>
 * Image files are named {@code <n>.png} with {@code n} the 0-based position of the example. The index holds
 * a header {@code filename,label} (or just {@code filename} for an unlabelled set) and the bare file names.
 */
public final class ImageFolderWriter {
    private ImageFolderWriter() {}

    /**
     * Writes the examples as PNG images plus an index CSV.
     * @param examples the examples; missing features are zero pixels.
     * @param geometry the image geometry (1 or 3 channels).
     * @param indexFile the index CSV to write (parent folders are created).
     * @param imageDirectory the folder for the PNG files (created if needed).
     * @param withLabels true to write a {@code label} column with each example's label name.
     * @return the file names written, in order.
     * @throws IllegalArgumentException if the geometry does not have 1 or 3 channels, or a value is not an
     *     integer in [0, 255].
     * @throws IOException if a file cannot be written.
     */
    public static List<String> write(Iterable<? extends Example<Label>> examples, ImageGeometry geometry,
                                     Path indexFile, Path imageDirectory, boolean withLabels) throws IOException {
        if (geometry.getChannels() != 1 && geometry.getChannels() != 3) {
            throw new IllegalArgumentException("PNG export supports 1 or 3 channels, geometry is " + geometry);
        }
        // Check every value before writing anything, so that a bad image cannot leave a partial index behind. The
        // examples are listed first so that an Iterable that can be read only once is read once.
        List<Example<Label>> list = new ArrayList<>();
        examples.forEach(list::add);
        int position = 0;
        for (Example<Label> example : list) {
            for (double v : IdxFiles.densify(example, geometry)) {
                toByte(v, position);
            }
            position++;
        }
        Files.createDirectories(imageDirectory);
        Path index = indexFile.toAbsolutePath();
        Path parent = index.getParent();
        Files.createDirectories(parent);
        List<String> names = new ArrayList<>();
        // The index is written to a temporary file and moved into place only once every image is written, so an
        // existing index is never truncated by a failed run.
        // (Created like the index itself would be, with the default permissions, which the move keeps.)
        Path tmp = parent.resolve("." + index.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                 ICSVWriter csv = new CSVWriter(w, ',', ICSVWriter.DEFAULT_QUOTE_CHARACTER, '"', "\n")) {
                csv.writeNext(withLabels ? new String[]{"filename", "label"} : new String[]{"filename"}, false);
                int n = 0;
                for (Example<Label> example : list) {
                    String name = n + ".png";
                    double[] pixels = IdxFiles.densify(example, geometry);
                    writePng(pixels, geometry, imageDirectory.resolve(name), n);
                    csv.writeNext(withLabels ? new String[]{name, example.getOutput().getLabel()} : new String[]{name}, false);
                    names.add(name);
                    n++;
                }
            }
            AtomicFiles.replace(tmp, index);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return names;
    }

    /**
     * Writes the training part of the reference layout: {@code root/Train/train.csv} and
     * {@code root/Train/Images/train/*.png}, with labels.
     * @param examples the labelled examples.
     * @param geometry the image geometry.
     * @param root the dataset root.
     * @return the file names written.
     * @throws IOException if a file cannot be written.
     */
    public static List<String> writeReferenceTrain(Iterable<? extends Example<Label>> examples, ImageGeometry geometry,
                                                   Path root) throws IOException {
        return write(examples, geometry, ReferenceLayout.trainIndex(root), ReferenceLayout.trainImages(root), true);
    }

    /**
     * Writes the test part of the reference layout: {@code root/Test.csv} (file names only) and
     * {@code root/Train/Images/test/*.png}.
     * @param examples the examples (labels are not written).
     * @param geometry the image geometry.
     * @param root the dataset root.
     * @return the file names written.
     * @throws IOException if a file cannot be written.
     */
    public static List<String> writeReferenceTest(Iterable<? extends Example<Label>> examples, ImageGeometry geometry,
                                                  Path root) throws IOException {
        return write(examples, geometry, ReferenceLayout.testIndex(root), ReferenceLayout.testImages(root), false);
    }

    /**
     * Writes one image as PNG.
     * @param pixels the dense channel-last values, integers in [0, 255].
     * @param geometry the geometry (1 or 3 channels).
     * @param file the PNG file.
     * @param position the position of the image, for error messages.
     * @throws IOException if the file cannot be written.
     */
    static void writePng(double[] pixels, ImageGeometry geometry, Path file, int position) throws IOException {
        int[] values = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = toByte(pixels[i], position);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            ImageCodec.writePng(values, geometry, out);
        }
    }

    private static int toByte(double value, int position) {
        if (!(value >= 0 && value <= 255 && value == Math.rint(value))) {
            throw new IllegalArgumentException("Image " + position + " has value " + value
                    + "; PNG export needs integers in [0, 255] (unscaled IDX values)");
        }
        return (int) value;
    }
}
