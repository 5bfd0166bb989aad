package dev.regula.examples.cli;

import dev.regula.data.EmbeddedData;
import dev.regula.data.IdxFiles;
import dev.regula.data.ImageFolderDataSource;
import dev.regula.data.ImageGeometry;
import dev.regula.data.ReferenceLayout;
import dev.regula.data.RescalingDataSource;
import dev.regula.experiment.StratifiedSplitDataSource;
import org.jspecify.annotations.Nullable;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Labelled training and test data located from a {@code --data} directory, or the embedded Fashion-MNIST subset.
 * The directory is recognised as
 * <ul>
 *     <li>an IDX folder: {@code train-images-idx3-ubyte[.gz]} + {@code train-labels-idx1-ubyte[.gz]}, with
 *     {@code t10k-*} as the test set when present (pixels rescaled to [0, 1]);</li>
 *     <li>the reference image layout: a folder holding {@code train.csv} and {@code Images/train/}, or its parent
 *     holding {@code Train/}.</li>
 * </ul>
 * Without a labelled test set, a stratified, seeded fraction of the training data is held out as the test set
 * with {@link StratifiedSplitDataSource}, so models stay reproducible from provenance.
 */
final class DataSet {
    final ConfigurableDataSource<Label> train;
    final ConfigurableDataSource<Label> test;
    final ImageGeometry geometry;
    final String description;
    final boolean heldOut;

    private DataSet(ConfigurableDataSource<Label> train, ConfigurableDataSource<Label> test, ImageGeometry geometry,
                    String description, boolean heldOut) {
        this.train = train;
        this.test = test;
        this.geometry = geometry;
        this.description = description;
        this.heldOut = heldOut;
    }

    /**
     * Locates the data.
     * @param dir the directory, or null for the embedded data.
     * @param testFraction the fraction held out when there is no labelled test set.
     * @param seed the seed of the hold-out split.
     * @return the data.
     * @throws IOException if the directory is unreadable or holds neither layout.
     */
    static DataSet load(@Nullable Path dir, double testFraction, long seed) throws IOException {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new UserException("--test-fraction must be in (0, 1), found " + testFraction);
        }
        if (dir == null) {
            return new DataSet(scaled(EmbeddedData.trainSource()), scaled(EmbeddedData.testSource()), EmbeddedData.geometry(),
                    "embedded Fashion-MNIST subset (" + EmbeddedData.TRAIN_SIZE + " training, " + EmbeddedData.TEST_SIZE
                            + " test images)", false);
        }
        if (!Files.exists(dir)) {
            throw new UserException("data directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new UserException("--data " + dir + " is not a directory");
        }
        if (!Files.isReadable(dir)) {
            throw new UserException("data directory " + dir + " is not readable");
        }
        if (IdxFiles.hasSplit(dir, IdxFiles.TRAIN)) {
            ImageGeometry g = IdxFiles.geometry(IdxFiles.imagesFile(dir, IdxFiles.TRAIN));
            ConfigurableDataSource<Label> all = scaled(IdxFiles.source(dir, IdxFiles.TRAIN));
            if (IdxFiles.hasSplit(dir, IdxFiles.TEST)) {
                Path testImages = IdxFiles.imagesFile(dir, IdxFiles.TEST);
                ImageGeometry tg = IdxFiles.geometry(testImages);
                if (!tg.equals(g)) {
                    throw new UserException("test images " + testImages + " are " + tg + " but the training images "
                            + IdxFiles.imagesFile(dir, IdxFiles.TRAIN) + " are " + g + "; both splits need the same geometry");
                }
                return new DataSet(all, scaled(IdxFiles.source(dir, IdxFiles.TEST)), g, "IDX files in " + dir, false);
            }
            return heldOut(all, g, "IDX files in " + dir + " (no t10k test files)", testFraction, seed);
        }
        Path csv = null;
        Path images = null;
        if (Files.isRegularFile(dir.resolve("train.csv"))) {
            csv = dir.resolve("train.csv");
            images = dir.resolve("Images").resolve("train");
        } else if (Files.isRegularFile(ReferenceLayout.trainIndex(dir))) {
            csv = ReferenceLayout.trainIndex(dir);
            images = ReferenceLayout.trainImages(dir);
        }
        if (csv == null) {
            throw new UserException("no training data found in " + dir + ": expected train-images-idx3-ubyte[.gz] and "
                    + "train-labels-idx1-ubyte[.gz] (IDX), train.csv with Images/train/, or Train/train.csv with Train/Images/train/");
        }
        ImageFolderDataSource source = ImageFolderDataSource.builder(csv).imageDirectory(images).build();
        if (!source.hasLabels()) {
            throw new UserException(csv + " has no label column; training needs labelled images");
        }
        return heldOut(source, source.getGeometry(), "images listed in " + csv, testFraction, seed);
    }

    private static DataSet heldOut(ConfigurableDataSource<Label> all, ImageGeometry g, String what, double fraction, long seed) {
        return new DataSet(StratifiedSplitDataSource.of(all, fraction, seed, StratifiedSplitDataSource.Part.TRAIN),
                StratifiedSplitDataSource.of(all, fraction, seed, StratifiedSplitDataSource.Part.TEST), g,
                what + "; no labelled test set, so " + Math.round(fraction * 100) + " % of each class is held out as the test set (seed " + seed + ")",
                true);
    }

    private static ConfigurableDataSource<Label> scaled(ConfigurableDataSource<Label> idx) {
        return RescalingDataSource.of(idx, 1.0 / 255);
    }
}
