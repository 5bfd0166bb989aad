package dev.regula.examples.cli;

import dev.regula.data.IdxFiles;
import dev.regula.data.ImageFolderDataSource;
import dev.regula.data.ImageGeometry;
import dev.regula.data.PredictionWriter;
import dev.regula.data.ReferenceLayout;
import dev.regula.data.RescalingDataSource;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MonteCarloDropout;
import dev.regula.mlp.MonteCarloPrediction;
import org.jspecify.annotations.Nullable;
import org.tribuo.DataSource;
import org.tribuo.Example;
import org.tribuo.Prediction;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code regula predict}: predicts unlabelled images into a submission CSV. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Predicts images with a saved model and writes the submission CSV 'filename,label' "
                + "(plus p_<label> columns with --probabilities, and uncertainty columns with --mc-samples). --out may not be one of the files read (the model, "
                + "the index CSV, an image or an IDX file); it is written atomically.",
        footer = {"%nINPUT is one of:%n  an index CSV (e.g. Test.csv); images are looked up in --images, or for the "
                + "reference Test.csv in Train/Images/test, else next to the CSV%n"
                + "  the reference root folder holding Test.csv%n"
                + "  an IDX folder: its t10k-* files (or train-* without them); file names are <n>.png as 'regula convert' writes%n"
                + "%nExample:%n  regula predict --model study-out/dropout/model.tribuo --input data/Test.csv --out submission.csv"})
final class PredictCommand extends BaseCommand {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The saved model.")
    Path model;

    @Option(names = "--input", required = true, paramLabel = "INPUT", description = "Index CSV, reference root or IDX folder.")
    Path input;

    @Option(names = "--images", paramLabel = "DIR", description = "Folder of the images named in the CSV.")
    @Nullable Path images;

    @Option(names = "--out", paramLabel = "FILE", description = "Submission CSV to write (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("submission.csv");

    @Option(names = "--probabilities", description = "Add one probability column per class.")
    boolean probabilities;

    @Option(names = "--mc-samples", paramLabel = "T", description = "Monte-Carlo dropout: predict from the mean of T "
            + "passes with the model's dropout on (2..100000) and add the columns predictive_entropy, expected_entropy "
            + "and mutual_information (nats). The model must have been trained with dropout.")
    @Nullable Integer mcSamples;

    @Option(names = "--mc-seed", paramLabel = "S", description = "Seed of the Monte-Carlo dropout masks (default: ${DEFAULT-VALUE}).")
    long mcSeed = 1;

    @Override
    int execute() throws Exception {
        MonteCarloDropout mc = null;
        if (mcSamples != null) {
            try {
                mc = MonteCarloDropout.builder().samples(mcSamples).seed(mcSeed).build();
            } catch (IllegalArgumentException e) {
                throw new UserException("--mc-samples: " + e.getMessage());
            }
        }
        MLPModel m = ModelFiles.read(model);
        if (!Files.exists(input)) {
            throw new UserException("input " + input + " does not exist");
        }
        List<Example<Label>> examples = new ArrayList<>();
        for (Example<Label> e : source(m)) {
            examples.add(e);
        }
        if (Files.isDirectory(input) && !Files.isRegularFile(input.resolve(ReferenceLayout.TEST_INDEX))) {
            for (int i = 0; i < examples.size(); i++) { // IDX: name rows as 'regula convert' names the PNGs
                examples.get(i).setMetadataValue(ImageFolderDataSource.FILENAME_METADATA, i + ".png");
            }
        }
        if (Files.isDirectory(out)) {
            throw new UserException("--out " + out + " is a directory; give the CSV file to write, e.g. " + out.resolve("submission.csv"));
        }
        Outputs.refuseInputs(out, "--out", inputs);
        List<Prediction<Label>> predictions;
        Map<String, double[]> uncertainty = new LinkedHashMap<>();
        if (mc == null) {
            predictions = m.predict(examples);
        } else {
            List<MonteCarloPrediction<Label>> sampled;
            try {
                sampled = mc.predict(m, examples);
            } catch (IllegalArgumentException e) {
                throw new UserException(model + ": " + e.getMessage());
            }
            predictions = new ArrayList<>();
            sampled.forEach(p -> predictions.add(p.getPrediction()));
            uncertainty.put("predictive_entropy", sampled.stream().mapToDouble(MonteCarloPrediction::getPredictiveEntropy).toArray());
            uncertainty.put("expected_entropy", sampled.stream().mapToDouble(MonteCarloPrediction::getExpectedEntropy).toArray());
            uncertainty.put("mutual_information", sampled.stream().mapToDouble(MonteCarloPrediction::getMutualInformation).toArray());
        }
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        PredictionWriter.write(out, predictions, probabilities, uncertainty); // atomically: a failure leaves any previous file
        out().println("Wrote " + predictions.size() + " predictions to " + out.toAbsolutePath());
        return 0;
    }

    /** The files this run reads, which --out must not be. */
    private final List<Outputs.Input> inputs = new ArrayList<>();

    private DataSource<Label> source(MLPModel m) throws Exception {
        inputs.add(new Outputs.Input(model, "the --model file"));
        if (Files.isRegularFile(input)) {
            inputs.add(new Outputs.Input(input, "the index CSV given as --input"));
            Path dir = images;
            if (dir == null) {
                Path root = input.toAbsolutePath().getParent();
                Path reference = ReferenceLayout.testImages(root);
                dir = input.getFileName().toString().equals(ReferenceLayout.TEST_INDEX) && Files.isDirectory(reference) ? reference : root;
            }
            ImageFolderDataSource s = ImageFolderDataSource.builder(input).imageDirectory(dir).build();
            checkGeometry(m, s.getGeometry(), "the images listed in " + input);
            addImages(s);
            return s;
        }
        if (Files.isRegularFile(input.resolve(ReferenceLayout.TEST_INDEX))) {
            ImageFolderDataSource s = ImageFolderDataSource.referenceTest(input).build();
            checkGeometry(m, s.getGeometry(), "the images listed in " + input.resolve(ReferenceLayout.TEST_INDEX));
            inputs.add(new Outputs.Input(s.getIndexFile(), "the index CSV " + s.getIndexFile()));
            addImages(s);
            return s;
        }
        String split = IdxFiles.hasSplit(input, IdxFiles.TEST) ? IdxFiles.TEST : IdxFiles.hasSplit(input, IdxFiles.TRAIN) ? IdxFiles.TRAIN : null;
        if (split == null) {
            throw new UserException("no images found in " + input + ": expected Test.csv (reference layout) or IDX files "
                    + "(t10k-images-idx3-ubyte[.gz] + t10k-labels-idx1-ubyte[.gz])");
        }
        checkGeometry(m, IdxFiles.geometry(IdxFiles.imagesFile(input, split)), "the images in " + IdxFiles.imagesFile(input, split));
        inputs.add(new Outputs.Input(IdxFiles.imagesFile(input, split), "the IDX images file"));
        inputs.add(new Outputs.Input(IdxFiles.labelsFile(input, split), "the IDX labels file"));
        return RescalingDataSource.of(IdxFiles.source(input, split), 1.0 / 255);
    }

    private void addImages(ImageFolderDataSource s) {
        for (String name : s.getFilenames()) {
            inputs.add(new Outputs.Input(s.getImageDirectory().resolve(name), "an image listed in " + s.getIndexFile()));
        }
    }

    /**
     * Rejects input images of another geometry than the model's: otherwise Tribuo silently ignores unknown pixel
     * features and the model predicts from a scrambled image. Models that record their geometry
     * ({@link MLPModel#getImageGeometry()}) are compared exactly; for others, the pixel-index feature names (zero
     * padded, as IDXDataSource and ImageFolderDataSource name them) must fit the input.
     */
    static void checkGeometry(MLPModel m, ImageGeometry g, String what) {
        ImageGeometry trained = m.getImageGeometry();
        if (trained != null) {
            if (!trained.equals(g)) {
                throw new UserException(what + " are " + g + " but the model was trained on " + trained + " images");
            }
            return;
        }
        int maxIndex = -1;
        int width = -1;
        for (VariableInfo info : m.getFeatureIDMap()) {
            String name = info.getName();
            int index;
            try {
                index = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                return; // not a pixel model: nothing to compare
            }
            maxIndex = Math.max(maxIndex, index);
            width = name.length();
        }
        if (maxIndex >= g.getSize() || width != String.valueOf(g.getSize()).length()) {
            throw new UserException(what + " are " + g + " (" + g.getSize() + " values per image), but the model's "
                    + "features are pixel indices up to " + maxIndex + " padded to " + width
                    + " digits: it was trained on images of another size");
        }
    }
}
