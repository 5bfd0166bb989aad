package dev.regula.examples.tools;

import dev.regula.data.IdxFiles;
import dev.regula.data.ImageGeometry;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Builds the embedded dataset of {@code dev.regula.data.EmbeddedData}: a deterministic, stratified subset of an
 * IDX dataset (Fashion-MNIST) written as gzipped IDX files.
 * <p>
 * For each split, the example positions of each class are shuffled with {@code java.util.Random(seed)}
 * (classes in ascending label order, the training split first and the test split second, from the same
 * generator), the first {@code perClass} positions of each class are kept, and the kept positions are written in
 * their original order. The same input, sizes and seed always give byte-identical files.
 * <p>
 * Usage: {@code MakeEmbeddedSubset <sourceDir> <outputDir> [trainPerClass=1000] [testPerClass=200] [seed=42]}.
 * The embedded data was made with
 * {@code MakeEmbeddedSubset /usr/share/datasets/fashion-mnist tribuo-regularization/src/main/resources/dev/regula/data/fashion-mnist-small 1000 200 42}.
 */
public final class MakeEmbeddedSubset {
    /** Default training images per class. */
    public static final int DEFAULT_TRAIN_PER_CLASS = 1000;
    /** Default test images per class. */
    public static final int DEFAULT_TEST_PER_CLASS = 200;
    /** Default seed. */
    public static final long DEFAULT_SEED = 42;

    private MakeEmbeddedSubset() {}

    /**
     * Runs the tool.
     * @param args {@code sourceDir outputDir [trainPerClass] [testPerClass] [seed]}.
     * @throws IOException if reading or writing fails.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 5) {
            System.err.println("Usage: MakeEmbeddedSubset <sourceDir> <outputDir> [trainPerClass=" + DEFAULT_TRAIN_PER_CLASS
                    + "] [testPerClass=" + DEFAULT_TEST_PER_CLASS + "] [seed=" + DEFAULT_SEED + "]");
            System.exit(2);
        }
        int train = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_TRAIN_PER_CLASS;
        int test = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_TEST_PER_CLASS;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : DEFAULT_SEED;
        make(Paths.get(args[0]), Paths.get(args[1]), train, test, seed);
        System.out.println("Wrote " + train + " training and " + test + " test images per class to " + args[1]);
    }

    /**
     * Writes the stratified subset.
     * @param sourceDir folder holding {@code train-*} and {@code t10k-*} IDX files (gzipped or not).
     * @param outputDir output folder; gets the four gzipped IDX files.
     * @param trainPerClass training images per class.
     * @param testPerClass test images per class.
     * @param seed the shuffling seed.
     * @throws IllegalArgumentException if a class has fewer images than requested or a label is not an integer in [0, 255].
     * @throws IOException if reading or writing fails.
     */
    public static void make(Path sourceDir, Path outputDir, int trainPerClass, int testPerClass, long seed) throws IOException {
        if (trainPerClass < 1 || testPerClass < 1) {
            throw new IllegalArgumentException("Per-class sizes must be positive, found " + trainPerClass + " and " + testPerClass);
        }
        Files.createDirectories(outputDir);
        Random rng = new Random(seed);
        writeSplit(sourceDir, outputDir, IdxFiles.TRAIN, trainPerClass, rng);
        writeSplit(sourceDir, outputDir, IdxFiles.TEST, testPerClass, rng);
    }

    private static void writeSplit(Path sourceDir, Path outputDir, String split, int perClass, Random rng) throws IOException {
        Path imagesFile = IdxFiles.imagesFile(sourceDir, split);
        ImageGeometry geometry = IdxFiles.geometry(imagesFile);
        IDXDataSource<Label> source = IdxFiles.source(sourceDir, split);
        List<Example<Label>> examples = new ArrayList<>(source.size());
        source.forEach(examples::add);
        TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < examples.size(); i++) {
            byClass.computeIfAbsent(labelIndex(examples.get(i)), k -> new ArrayList<>()).add(i);
        }
        List<Integer> kept = new ArrayList<>();
        for (var e : byClass.entrySet()) {
            List<Integer> positions = e.getValue();
            if (positions.size() < perClass) {
                throw new IllegalArgumentException(split + " class " + e.getKey() + " has " + positions.size()
                        + " images, fewer than the " + perClass + " requested");
            }
            Collections.shuffle(positions, rng);
            kept.addAll(positions.subList(0, perClass));
        }
        Collections.sort(kept);
        List<double[]> images = new ArrayList<>(kept.size());
        int[] labels = new int[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            Example<Label> example = examples.get(kept.get(i));
            images.add(IdxFiles.densify(example, geometry));
            labels[i] = labelIndex(example);
        }
        IdxFiles.writeImages(outputDir.resolve(split + "-images-idx3-ubyte.gz"), geometry, images, true);
        IdxFiles.writeLabels(outputDir.resolve(split + "-labels-idx1-ubyte.gz"), labels, true);
    }

    private static int labelIndex(Example<Label> example) {
        String name = example.getOutput().getLabel();
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Label '" + name + "' is not a class index", e);
        }
    }
}
