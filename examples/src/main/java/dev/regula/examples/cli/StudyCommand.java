package dev.regula.examples.cli;

import dev.regula.augment.InputTransform;
import dev.regula.augment.ImageAugmenter;
import dev.regula.augment.ImagePreview;
import dev.regula.data.AtomicFiles;
import dev.regula.data.IdxFiles;
import dev.regula.data.ImageGeometry;
import dev.regula.experiment.ProvenanceDiff;
import dev.regula.experiment.Study;
import dev.regula.experiment.StudySettings;
import dev.regula.experiment.StudyVariant;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.TrainingHistory;
import dev.regula.nn.Backends;
import org.jspecify.annotations.Nullable;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** {@code regula study}: trains the regularization variants and writes the comparison. */
@Command(name = "study", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains the reference network (784 → 5×500 ReLU → 10 softmax by default) in eight variants — "
                + "baseline, l2, l1, dropout, augmented, zca_dropout, augmented_zca, early_stopping — with a shared seeded 70:30 train/validation "
                + "split, evaluates each on the test set with Tribuo's LabelEvaluator, and writes results.csv, per-variant "
                + "models, histories, provenance and confusion matrices, learning-curve charts and report.html.",
                "Results are written as each variant finishes, so an interrupted study keeps what it finished. --out must be "
                        + "new, empty or an earlier study folder (--overwrite to use another folder); variant folders of an "
                        + "earlier run that this run does not repeat are reported."},
        footer = {"%nExamples:%n  regula study%n  regula study --data /usr/share/datasets/fashion-mnist --out fmnist-study%n"
                + "  regula study --variants baseline,dropout --epochs 5 --hidden 256,256"})
final class StudyCommand extends BaseCommand {
    /** Name of the marker file identifying a study folder. */
    static final String MARKER = ".regula-study";
    /**
     * The default epoch budget: long enough for the reference network to overfit the embedded data, so the study shows
     * what each technique does about it (the reference tutorial's 10 epochs: {@code --epochs 10 --seeds 1}).
     */
    static final int DEFAULT_EPOCHS = 20;
    /** The default number of seeds: the smallest that gives t intervals over the training randomness. */
    static final int DEFAULT_SEEDS = 3;
    /** The largest --seeds. */
    static final int MAX_SEEDS = 1000;

    @Option(names = "--data", paramLabel = "DIR",
            description = "IDX folder (train-*, optional t10k-*) or reference CSV + image layout (folder with train.csv "
                    + "and Images/train/, or its parent with Train/). Default: the embedded Fashion-MNIST subset.")
    @Nullable Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}); must be new, "
            + "empty or a previous study folder.")
    Path out = Path.of("study-out");

    @Option(names = "--variants", split = ",", paramLabel = "NAME",
            description = "Variants to run, comma-separated (default: all): baseline, l2, l1, dropout, augmented, zca_dropout, "
                    + "augmented_zca, early_stopping.")
    List<String> variants = StudyVariant.names();

    @Mixin
    NetworkOptions network = NetworkOptions.withEpochs(DEFAULT_EPOCHS);

    @Option(names = "--config", paramLabel = "FILE",
            description = "OLCUT configuration of an MLPTrainer (e.g. grid's best-config.xml) whose hidden layer widths, "
                    + "Adam learning rate, batch size, epochs, seed, validation fraction and threads replace the network options.")
    @Nullable Path config;

    @Option(names = "--l2", paramLabel = "LAMBDA", description = "L2 factor of the l2 variant (default: ${DEFAULT-VALUE}).")
    double l2 = 1e-4;

    @Option(names = "--l1", paramLabel = "LAMBDA", description = "L1 factor of the l1 variant (default: ${DEFAULT-VALUE}).")
    double l1 = 1e-4;

    @Option(names = "--dropout", paramLabel = "RATE", description = "Dropout rate of dropout, zca_dropout and augmented_zca (default: ${DEFAULT-VALUE}).")
    double dropout = 0.25;

    @Option(names = "--patience", paramLabel = "EPOCHS", description = "Early-stopping patience (default: ${DEFAULT-VALUE}).")
    int patience = 2;

    @Option(names = "--zca-epsilon", paramLabel = "EPSILON",
            description = "Epsilon of the ZCA whitening of zca_dropout and augmented_zca (default: ${DEFAULT-VALUE}; Keras' 1e-6 "
                    + "amplifies near-constant border pixels that augmentation moves content into, see docs/study.md).")
    double zcaEpsilon = 0.1;

    @Option(names = "--horizontal-flip",
            description = "Also flip images horizontally at random in augmented and augmented_zca: right for clothing, "
                    + "objects and scenes, wrong for digits and letters, so it is off unless asked for.")
    boolean horizontalFlip;

    @Option(names = "--test-fraction", paramLabel = "FRACTION",
            description = "Fraction held out as the test set when the data has no labelled test set (default: ${DEFAULT-VALUE}).")
    double testFraction = 0.2;

    @Option(names = "--seeds", paramLabel = "N",
            description = "Train every variant with N seeds, --seed, --seed + 1, … (default: ${DEFAULT-VALUE}); for each seed "
                    + "all variants share the validation split and initial weights. runs.csv gets a row per variant and "
                    + "seed, results.csv the means with 95 %% intervals and the paired difference to the baseline.")
    int seeds = DEFAULT_SEEDS;

    @Option(names = "--overwrite", description = "Write into an existing, non-empty --out folder that is not a study "
            + "folder (without it, such a folder is refused).")
    boolean overwrite;

    @Override
    int execute() throws IOException {
        List<StudyVariant> selected = new ArrayList<>();
        for (String name : new LinkedHashSet<>(variants)) {
            StudyVariant v = StudyVariant.fromName(name);
            if (!selected.contains(v)) {
                selected.add(v);
            }
        }
        selected.sort(null);
        if (seeds < 1 || seeds > MAX_SEEDS) {
            throw new UserException("--seeds must be in [1, " + MAX_SEEDS + "], found " + seeds);
        }
        settingsFor(ImageGeometry.of(28, 28, 1)); // validate the values before reading any data
        Outputs.checkFolder(out, "--out", MARKER, "study", overwrite);
        DataSet dataSet = DataSet.load(data, testFraction, network.seed);
        try (Outputs.OutputLock lock = Outputs.lock(out, "study")) {
            Outputs.prepareFolder(out, "--out", MARKER, "study", overwrite);
            return run(dataSet, selected);
        }
    }

    private int run(DataSet dataSet, List<StudyVariant> selected) throws IOException {
        StudySettings settings = settingsFor(dataSet.geometry);
        List<String> stale = staleVariants(selected);
        if (!stale.isEmpty()) {
            out().println("Note: " + out + " still holds the variant folders " + String.join(", ", stale) + " of an earlier "
                    + "run; they are not part of this run's results.csv and report.html (remove them, or use a new --out)");
        }
        out().println("Data: " + dataSet.description);
        Dataset<Label> train = new MutableDataset<>(dataSet.train);
        Dataset<Label> test = new MutableDataset<>(dataSet.test);
        out().printf(Locale.ROOT, "Training on %d images (%d %% used for validation), testing on %d; %d feature(s), %d classes%n",
                train.size(), Math.round(settings.getValidationFraction() * 100), test.size(), train.getFeatureMap().size(),
                train.getOutputInfo().size());
        out().println("Output: " + out.toAbsolutePath());
        out().flush();

        Path results = out.resolve("results.csv");
        Path runsFile = out.resolve("runs.csv");
        StringBuilder runRows = new StringBuilder(VariantResult.RUNS_HEADER + "\n");
        AtomicFiles.writeString(results, StudyResults.HEADER + "\n");
        AtomicFiles.writeString(runsFile, runRows);
        writePreview(train, dataSet.geometry, null);
        boolean terminal = Progress.stdoutIsTerminal();
        List<VariantResult> all = new ArrayList<>();
        List<VariantResult> done = new ArrayList<>(); // the first seed's: charts and report
        List<String> failed = new ArrayList<>();
        int total = seeds * selected.size();
        for (int k = 0; k < seeds; k++) {
            long seed = settings.getSeed() + k;
            StudySettings seeded = seeds == 1 ? settings : settingsFor(dataSet.geometry, seed);
            for (int i = 0; i < selected.size(); i++) {
                StudyVariant v = selected.get(i);
                int index = k * selected.size() + i;
                String label = String.format(Locale.ROOT, "[%d/%d] %s", index + 1, total, v) + (seeds == 1 ? "" : " seed " + seed);
                Progress progress = new Progress(out(), terminal, label, seeded.getEpochs(), seeded.getEpochs() * (total - index - 1));
                MLPTrainer trainer = Study.trainerBuilder(v, seeded)
                        .epochListener(progress::onEpoch)
                        .batchListener(5, progress::onBatch)
                        .build();
                String name = v.getName() + (seeds == 1 ? "" : " seed " + seed);
                Path dir = seeds == 1 ? out.resolve(v.getName()) : out.resolve(v.getName()).resolve("seed-" + seed);
                Path modelFile = dir.resolve("model.tribuo");
                VariantResult r = reuse(v, seed, name, trainer, train, test, modelFile);
                if (r == null) {
                    r = trainAndEvaluate(v, seed, name, trainer, train, test, modelFile);
                }
                if (r == null) {
                    failed.add(name);
                    continue;
                }
                MLPModel model = r.model();
                double seconds = r.seconds();
                all.add(r);
                runRows.append(r.csvRow()).append('\n');
                AtomicFiles.writeString(runsFile, runRows);
                AtomicFiles.writeString(results, new StudyResults(all).csv());
                if (k == 0) {
                    done.add(r);
                    if (v == StudyVariant.AUGMENTED_ZCA) {
                        writePreview(train, dataSet.geometry, model.getInputTransform());
                    }
                }
                StudyResults summary = new StudyResults(all);
                Charts.write(histories(all), summary.summaries(), out);
                StudyReport.write(out, dataSet, settings, summary, done, pending(selected, k, i),
                        failedVariants(failed, selected), stale);
                out().printf(Locale.ROOT, "%s: %s; test accuracy %.4f (train %.4f, validation %.4f), %.1f s%n", name,
                        model.getHistory().getStopMessage(), r.testAccuracy(), r.trainAccuracy(), r.validationAccuracy(), seconds);
                out().flush();
            }
        }
        out().println();
        out().println(table(done));
        if (!all.isEmpty()) {
            out().println(new StudyResults(all).table());
        }
        out().println("Report: " + out.resolve("report.html").toAbsolutePath());
        out().flush();
        return failed.isEmpty() ? 0 : RegulaCli.EXIT_ERROR;
    }

    /**
     * Trains one run, saves its model, evaluates it and saves the evaluation; a numerical failure or a failed
     * evaluation is printed and gives null (the other runs go on).
     */
    private @Nullable VariantResult trainAndEvaluate(StudyVariant v, long seed, String name, MLPTrainer trainer,
                                                     Dataset<Label> train, Dataset<Label> test, Path modelFile)
            throws IOException {
        long start = System.nanoTime();
        MLPModel model;
        try {
            model = trainer.train(train);
        } catch (ArithmeticException | IllegalStateException e) {
            // a numerical failure (divergence, ZCA decomposition) of one variant: report it, keep the others
            err().println(spec.qualifiedName() + ": variant " + name + " failed: " + e.getMessage());
            err().flush();
            return null;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LabelEvaluation evaluation;
        try {
            evaluation = ModelFiles.saveThenEvaluate(model, modelFile, test);
        } catch (UserException e) {
            err().println(spec.qualifiedName() + ": variant " + name + ": " + e.getMessage());
            err().flush();
            return null;
        }
        return new VariantResult(v, seed, model, evaluation, seconds);
    }

    /**
     * The finished run of an earlier, interrupted study in the same folder (its model and its evaluation both
     * written) when its provenance — the trainer's configuration and the training data — equals this run's; null
     * otherwise, saying why when there was a run that cannot be reused. The reused run's seconds are its history's.
     */
    private @Nullable VariantResult reuse(StudyVariant v, long seed, String name, MLPTrainer trainer,
                                          Dataset<Label> train, Dataset<Label> test, Path modelFile) throws IOException {
        Path evaluationFile = modelFile.resolveSibling("confusion-matrix.txt");
        if (!Files.isRegularFile(modelFile) || !Files.isRegularFile(evaluationFile)) {
            return null;
        }
        MLPModel earlier;
        try {
            if (!(ModelFiles.readAny(modelFile) instanceof MLPModel m)) {
                return null;
            }
            earlier = m;
        } catch (UserException e) {
            out().println(name + ": the earlier run in " + modelFile.getParent() + " cannot be read (" + e.getMessage()
                    + "); training again");
            return null;
        }
        ProvenanceDiff trainerDiff = ProvenanceDiff.of(earlier.getProvenance().getTrainerProvenance(), trainer.getProvenance());
        ProvenanceDiff dataDiff = ProvenanceDiff.of(earlier.getProvenance().getDatasetProvenance(), train.getProvenance());
        if (!trainerDiff.isEmpty() || !dataDiff.isEmpty()) {
            ProvenanceDiff.Difference first = (trainerDiff.isEmpty() ? dataDiff : trainerDiff).getDifferences().get(0);
            out().println(name + ": the earlier run in " + modelFile.getParent() + " has another provenance ("
                    + (trainerDiff.isEmpty() ? "dataset." : "trainer.") + first.path() + ": " + first.oldValue() + " -> "
                    + first.newValue() + "); training again");
            return null;
        }
        LabelEvaluation evaluation = ModelFiles.evaluate(earlier, modelFile, test);
        double seconds = 0;
        for (dev.regula.mlp.EpochRecord e : earlier.getHistory().getEpochs()) {
            seconds += e.seconds();
        }
        out().println(name + ": reusing the finished run in " + modelFile.getParent() + " (same provenance)");
        return new VariantResult(v, seed, earlier, evaluation, seconds);
    }

    private StudySettings settingsFor(ImageGeometry geometry) throws IOException {
        if (config != null) {
            applyConfig(TrainerConfig.load(config));
        }
        return network.settings(geometry).l2(l2).l1(l1).dropout(dropout).patience(patience).zcaEpsilon(zcaEpsilon)
                .horizontalFlip(horizontalFlip).build();
    }

    /** The settings with another seed. */
    private StudySettings settingsFor(ImageGeometry geometry, long seed) throws IOException {
        return network.settings(geometry).l2(l2).l1(l1).dropout(dropout).patience(patience).zcaEpsilon(zcaEpsilon)
                .horizontalFlip(horizontalFlip).seed(seed).build();
    }

    /** Every finished run's history, by variant name in study order (the charts' input). */
    private static Map<String, List<TrainingHistory>> histories(List<VariantResult> runs) {
        Map<String, List<TrainingHistory>> histories = new LinkedHashMap<>();
        for (StudyVariant v : StudyVariant.values()) {
            for (VariantResult r : runs) {
                if (r.variant() == v) {
                    histories.computeIfAbsent(v.getName(), x -> new ArrayList<>()).add(r.model().getHistory());
                }
            }
        }
        return histories;
    }

    /** The runs still to do after run (seed index k, variant index i), named as on the console. */
    private List<String> pending(List<StudyVariant> selected, int k, int i) {
        List<String> names = new ArrayList<>();
        for (int kk = k; kk < seeds; kk++) {
            for (int ii = kk == k ? i + 1 : 0; ii < selected.size(); ii++) {
                names.add(selected.get(ii).getName() + (seeds == 1 ? "" : " seed " + (network.seed + kk)));
            }
        }
        return names;
    }

    /** The variants that failed with at least one seed. */
    private static List<StudyVariant> failedVariants(List<String> failed, List<StudyVariant> selected) {
        List<StudyVariant> out = new ArrayList<>();
        for (StudyVariant v : selected) {
            if (failed.stream().anyMatch(f -> f.equals(v.getName()) || f.startsWith(v.getName() + " seed "))) {
                out.add(v);
            }
        }
        return out;
    }

    /** Takes the shared settings from a configured trainer; the regularization of the file is not used. */
    private void applyConfig(MLPTrainer trainer) {
        List<Integer> units = new ArrayList<>();
        for (dev.regula.mlp.Layer l : trainer.getHiddenLayers()) {
            if (l.getActivation() != dev.regula.nn.Activation.RELU) {
                throw new UserException("--config " + config + ": the study uses ReLU hidden layers, found " + l.getActivation());
            }
            units.add(l.getUnits());
        }
        com.oracle.labs.mlrg.olcut.provenance.Provenance opt = trainer.getProvenance().getConfiguredParameters().get("optimiser");
        if (!(opt instanceof com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance op)
                || !op.getClassName().equals(dev.regula.mlp.optimisers.Adam.class.getName())) {
            throw new UserException("--config " + config + ": the study uses Adam, the configuration uses "
                    + (opt instanceof com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance o ? o.getClassName() : opt));
        }
        if (op.getConfiguredParameters().get("learningRate") instanceof com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance lr) {
            network.learningRate = lr.getValue();
        }
        network.hidden = units.isEmpty() ? network.hidden : units;
        network.epochs = trainer.getEpochs();
        network.seed = trainer.getSeed();
        network.batch = trainer.getMinibatchSize();
        network.validation = trainer.getValidationFraction();
        int threads = ((com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance)
                trainer.getProvenance().getConfiguredParameters().get("numThreads")).getValue();
        network.threads = threads;
    }

    /**
     * Creates the output folder, or accepts an existing one that is empty or carries the study marker
     * ({@link Outputs#prepareFolder}).
     * @param dir the folder.
     * @throws IOException if it cannot be created.
     */
    static void prepareOutput(Path dir) throws IOException {
        Outputs.prepareFolder(dir, "--out", MARKER, "study", false);
    }

    /** Variant folders (holding a model) of an earlier run into the same folder that this run does not write. */
    private List<String> staleVariants(List<StudyVariant> selected) {
        List<String> stale = new ArrayList<>();
        for (StudyVariant v : StudyVariant.values()) {
            if (!selected.contains(v) && Files.isRegularFile(out.resolve(v.getName()).resolve("model.tribuo"))) {
                stale.add(v.getName());
            }
        }
        return stale;
    }

    /** Original images, two augmented draws and, when available, the ZCA-whitened images. */
    private void writePreview(Dataset<Label> train, ImageGeometry g, @Nullable InputTransform zca) throws IOException {
        if (g.getChannels() != 1 && g.getChannels() != 3) {
            return;
        }
        int n = Math.min(10, train.size());
        List<float[]> originals = new ArrayList<>();
        int k = 0;
        for (Example<Label> e : train) {
            if (k++ == n) {
                break;
            }
            double[] px = IdxFiles.densify(e, g);
            float[] f = new float[px.length];
            for (int i = 0; i < px.length; i++) {
                f[i] = (float) px[i];
            }
            originals.add(f);
        }
        List<List<float[]>> rows = new ArrayList<>();
        rows.add(originals);
        ImageAugmenter augmenter = Study.augmentation().newAugmenter(g);
        SplittableRandom rng = new SplittableRandom(network.seed);
        for (int draw = 0; draw < 2; draw++) {
            List<float[]> row = new ArrayList<>();
            for (float[] img : originals) {
                float[] dst = new float[img.length];
                augmenter.augment(img, 0, dst, 0, rng);
                row.add(dst);
            }
            rows.add(row);
        }
        if (zca != null && zca.getDimension() == g.getSize()) {
            List<float[]> row = new ArrayList<>();
            for (float[] img : originals) {
                float[] dst = new float[img.length];
                zca.apply(img, dst, 1, Backends.get(1));
                row.add(dst);
            }
            rows.add(row);
        }
        AtomicFiles.writeVia(out.resolve("samples.png"), tmp -> ImagePreview.write(rows, g, 3, tmp.toFile()));
    }

    /**
     * Formats the results as a Markdown table.
     * @param results the results.
     * @return the table.
     */
    static String table(List<VariantResult> results) {
        StringBuilder sb = new StringBuilder("| variant | epochs run | best epoch | train acc. | val. acc. | gap | test acc. | train s |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (VariantResult r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.4f | %.4f | %+.4f | %.4f | %.1f |%n", r.variant(),
                    r.model().getHistory().getEpochsRun(), r.bestEpoch(), r.trainAccuracy(), r.validationAccuracy(),
                    r.trainAccuracy() - r.validationAccuracy(), r.testAccuracy(), r.seconds()));
        }
        return sb.toString();
    }
}
