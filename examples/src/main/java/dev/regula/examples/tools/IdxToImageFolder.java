package dev.regula.examples.tools;

import dev.regula.data.IdxFiles;
import dev.regula.data.ImageFolderWriter;
import dev.regula.data.ImageGeometry;
import dev.regula.data.ReferenceLayout;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts an IDX images/labels pair to the index CSV + PNG layout of the reference study, so the same images
 * can be read by {@code IDXDataSource} and by {@code dev.regula.data.ImageFolderDataSource}.
 * <p>
 * A labelled (training) conversion writes {@code <out>/Train/train.csv} ({@code filename,label}) and
 * {@code <out>/Train/Images/train/<n>.png}; an unlabelled (test) conversion writes {@code <out>/Test.csv}
 * ({@code filename}) and {@code <out>/Train/Images/test/<n>.png}. Images are the first {@code limit} of the IDX
 * file, in order; {@code n} is the 0-based position.
 * <p>
 * Usage: {@code IdxToImageFolder <images.idx[.gz]> <labels.idx[.gz]> <outputRoot> [--test] [--limit N]}.
 */
public final class IdxToImageFolder {
    private IdxToImageFolder() {}

    /**
     * Runs the tool.
     * @param args {@code images labels outputRoot [--test] [--limit N]}.
     * @throws IOException if reading or writing fails.
     */
    public static void main(String[] args) throws IOException {
        List<String> positional = new ArrayList<>();
        boolean test = false;
        int limit = Integer.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--test")) {
                test = true;
            } else if (args[i].equals("--limit") && i + 1 < args.length) {
                limit = Integer.parseInt(args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        if (positional.size() != 3) {
            System.err.println("Usage: IdxToImageFolder <images.idx[.gz]> <labels.idx[.gz]> <outputRoot> [--test] [--limit N]");
            System.exit(2);
        }
        int n = convert(Paths.get(positional.get(0)), Paths.get(positional.get(1)), Paths.get(positional.get(2)), test, limit);
        System.out.println("Wrote " + n + " images to " + positional.get(2));
    }

    /**
     * Converts an IDX pair to the reference layout.
     * @param images the IDX images file (3 dimensions for gray, 4 with 3 channels for RGB).
     * @param labels the IDX labels file (needed by {@code IDXDataSource} even for an unlabelled export).
     * @param outputRoot the dataset root to write under.
     * @param unlabelledTest true to write the test part ({@code Test.csv} without labels), false for the
     *     training part ({@code Train/train.csv} with labels).
     * @param limit the largest number of images to write, at least 1.
     * @return the number of images written.
     * @throws IOException if reading or writing fails.
     */
    public static int convert(Path images, Path labels, Path outputRoot, boolean unlabelledTest, int limit) throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, found " + limit);
        }
        ImageGeometry geometry = IdxFiles.geometry(images);
        // The pair is checked, but not each image: an all-black image is a valid PNG, even though a Tribuo dataset
        // (which IdxFiles.source prepares for) could not hold it.
        IdxFiles.validatePair(images, labels);
        IDXDataSource<Label> source = new IDXDataSource<>(images, labels, new LabelFactory());
        List<Example<Label>> selected = new ArrayList<>();
        for (Example<Label> e : source) {
            if (selected.size() == limit) {
                break;
            }
            selected.add(e);
        }
        List<String> written = unlabelledTest
                ? ImageFolderWriter.write(selected, geometry, ReferenceLayout.testIndex(outputRoot), ReferenceLayout.testImages(outputRoot), false)
                : ImageFolderWriter.write(selected, geometry, ReferenceLayout.trainIndex(outputRoot), ReferenceLayout.trainImages(outputRoot), true);
        return written.size();
    }
}
