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
import dev.regula.experiment.Trial;
import dev.regula.experiment.TrialResult;
import dev.regula.experiment.TrialRunner;
import dev.regula.experiment.TrialRunnerFactory;
import dev.regula.experiment.TrialSplit;
import dev.regula.experiment.TrialSweep;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.TrainingHistory;
import dev.regula.nn.Backends;
import org.jspecify.annotations.Nullable;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.protos.core.ModelProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
                        + "earlier run that this run does not repeat are reported.",
                "--parallel-trials K trains K runs at once on this machine, --spark MASTER trains them as Spark tasks; "
                        + "with the same --threads either writes the files of the sequential study."},
        footer = {"%nExamples:%n  regula study%n  regula study --data /usr/share/datasets/fashion-mnist --out fmnist-study%n"
                + "  regula study --variants baseline,dropout --epochs 5 --hidden 256,256%n"
                + "  regula study --threads 1 --parallel-trials 2"})
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

    @Option(names = "--parallel-trials", paramLabel = "K",
            description = "Train K runs (variant x seed) at once on this machine, each with its share of the BLAS "
                    + "threads (--threads, or every processor, divided by K; default: ${DEFAULT-VALUE}: one run after "
                    + "the other, with per-epoch progress). Same per-run threads give the same results.csv and runs.csv.")
    int parallelTrials = 1;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Train the runs as Spark tasks on MASTER (local[2], spark://host:7077, yarn, k8s://..., submit; "
                    + "needs the regula-spark module on the class path, see docs/distributed.md). The models come back "
                    + "to this process, which evaluates them on the test set and writes the report.")
    @Nullable String spark;

    @Option(names = "--attempts", paramLabel = "N",
            description = "With --parallel-trials or --spark: attempts a failing run gets before it is reported as "
                    + "failed (default: ${DEFAULT-VALUE}).")
    int attempts = 2;

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
        TrialRunnerFactory sparkFactory = TrialRunners.check(parallelTrials, spark, attempts);
        settingsFor(ImageGeometry.of(28, 28, 1)); // validate the values before reading any data
        Outputs.checkFolder(out, "--out", MARKER, "study", overwrite);
        DataSet dataSet = DataSet.load(data, testFraction, network.seed);
        try (Outputs.OutputLock lock = Outputs.lock(out, "study")) {
            Outputs.prepareFolder(out, "--out", MARKER, "study", overwrite);
            if (sparkFactory == null && parallelTrials == 1) {
                return run(dataSet, selected, null);
            }
            try (TrialRunner runner = TrialRunners.create(sparkFactory, spark, parallelTrials, attempts)) {
                return run(dataSet, selected, runner);
            }
        }
    }

    /**
     * Runs the study: one run after the other in this JVM (runner null, with per-epoch progress), or every run not
     * reused from an earlier study as a trial of the runner. Either way the files are rewritten as each run finishes,
     * in study order, so they are the same whatever order the runs finish in.
     */
    private int run(DataSet dataSet, List<StudyVariant> selected, @Nullable TrialRunner runner) throws IOException {
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

        AtomicFiles.writeString(out.resolve("results.csv"), StudyResults.HEADER + "\n");
        AtomicFiles.writeString(out.resolve("runs.csv"), VariantResult.RUNS_HEADER + "\n");
        writePreview(train, dataSet.geometry, null);
        Book book = new Book(dataSet, train, settings, selected, stale);
        if (runner == null) {
            runInProcess(dataSet, settings, selected, train, test, book);
        } else {
            runTrials(dataSet, settings, selected, train, test, book, runner);
        }
        out().println();
        out().println(table(book.firstSeed()));
        if (!book.all().isEmpty()) {
            out().println(new StudyResults(book.all()).table());
        }
        out().println("Report: " + out.resolve("report.html").toAbsolutePath());
        out().flush();
        return book.failedNames().isEmpty() ? 0 : RegulaCli.EXIT_ERROR;
    }

    /** The runs one after the other in this JVM, with per-epoch and per-batch progress. */
    private void runInProcess(DataSet dataSet, StudySettings settings, List<StudyVariant> selected, Dataset<Label> train,
                              Dataset<Label> test, Book book) throws IOException {
        boolean terminal = Progress.stdoutIsTerminal();
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
                String name = runName(v, seed);
                Path modelFile = modelFile(v, seed);
                VariantResult r = reuse(v, seed, name, trainer, null, train, test, modelFile);
                if (r == null) {
                    r = trainAndEvaluate(v, seed, name, trainer, train, test, modelFile);
                }
                if (r == null) {
                    book.fail(index);
                    continue;
                }
                book.finish(index, r);
                out().printf(Locale.ROOT, "%s: %s; test accuracy %.4f (train %.4f, validation %.4f), %.1f s%n", name,
                        r.model().getHistory().getStopMessage(), r.testAccuracy(), r.trainAccuracy(), r.validationAccuracy(),
                        r.seconds());
                out().flush();
            }
        }
    }

    /**
     * Every run not reused from an earlier study as a trial of the runner (configuration text, the seed, the
     * trainer's validation split, the training data's configuration; the model comes back as bytes). Each model
     * is saved and evaluated on the test set here, as it arrives.
     */
    private void runTrials(DataSet dataSet, StudySettings settings, List<StudyVariant> selected, Dataset<Label> train,
                           Dataset<Label> test, Book book, TrialRunner runner) throws IOException {
        List<Trial> trials = new ArrayList<>();
        Map<String, Integer> indexOf = new HashMap<>();
        int total = seeds * selected.size();
        int[] reported = {0};
        for (int k = 0; k < seeds; k++) {
            long seed = settings.getSeed() + k;
            StudySettings seeded = seeds == 1 ? settings : settingsFor(dataSet.geometry, seed);
            for (int i = 0; i < selected.size(); i++) {
                StudyVariant v = selected.get(i);
                int index = k * selected.size() + i;
                MLPTrainer trainer = Study.trainer(v, seeded);
                VariantResult r = reuse(v, seed, runName(v, seed), trainer, seeded, train, test, modelFile(v, seed));
                if (r != null) {
                    book.finish(index, r);
                    reported[0]++;
                    continue;
                }
                Trial trial = Trial.builder(v.getName() + "-s" + seed).trainer(trainer).seed(seed)
                        .threads(trainer.getNumThreads()).split(TrialSplit.validation()).data(dataSet.train)
                        .keepModel(true).build();
                trials.add(trial);
                indexOf.put(trial.id(), index);
            }
        }
        out().printf(Locale.ROOT, "%d run(s) to train: %s%n", trials.size(), runner.describe());
        out().flush();
        try {
            TrialSweep.run(trials, runner, null, false, result -> {
                int index = indexOf.get(result.id());
                StudyVariant v = selected.get(index % selected.size());
                long seed = settings.getSeed() + index / selected.size();
                String name = runName(v, seed);
                reported[0]++;
                VariantResult r = result.succeeded() ? arrived(v, seed, name, result, test) : null;
                if (!result.succeeded()) {
                    err().printf(Locale.ROOT, "%s: variant %s failed after %d attempt(s) on %s: %s%n", spec.qualifiedName(),
                            name, result.attempts(), result.worker(), result.error());
                    err().flush();
                }
                try {
                    if (r == null) {
                        book.fail(index);
                        return;
                    }
                    book.finish(index, r);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the results of " + name + " into " + out, e);
                }
                out().printf(Locale.ROOT, "[%d/%d] %s: %s; test accuracy %.4f (train %.4f, validation %.4f), %.1f s on %s%n",
                        reported[0], total, name, r.model().getHistory().getStopMessage(), r.testAccuracy(),
                        r.trainAccuracy(), r.validationAccuracy(), r.seconds(), result.worker());
                out().flush();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted; the finished runs are saved in " + out + " and a new run into it reuses them");
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }

    /**
     * A trial's model, saved and evaluated on the test set; null (said on stderr) if it cannot be read or evaluated.
     */
    private @Nullable VariantResult arrived(StudyVariant v, long seed, String name, TrialResult result, Dataset<Label> test) {
        byte[] bytes = result.model();
        MLPModel model;
        try {
            if (bytes == null || !(Model.deserialize(ModelProto.parseFrom(bytes)) instanceof MLPModel m)) {
                throw new IOException("the trial returned no network model");
            }
            model = m;
        } catch (IOException | RuntimeException e) {
            err().println(spec.qualifiedName() + ": variant " + name + ": the model from " + result.worker()
                    + " cannot be read: " + ModelFiles.rootCause(e));
            err().flush();
            return null;
        }
        try {
            LabelEvaluation evaluation = ModelFiles.saveThenEvaluate(model, modelFile(v, seed), test);
            return new VariantResult(v, seed, model, evaluation, result.seconds());
        } catch (UserException e) {
            err().println(spec.qualifiedName() + ": variant " + name + ": " + e.getMessage());
            err().flush();
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model of " + name + " into " + out, e);
        }
    }

    /** A run's name on the console and in the report: the variant, and its seed when there are several. */
    private String runName(StudyVariant v, long seed) {
        return v.getName() + (seeds == 1 ? "" : " seed " + seed);
    }

    /** Where a run's model goes: {@code VARIANT/model.tribuo}, or {@code VARIANT/seed-S/model.tribuo} for several seeds. */
    private Path modelFile(StudyVariant v, long seed) {
        Path dir = seeds == 1 ? out.resolve(v.getName()) : out.resolve(v.getName()).resolve("seed-" + seed);
        return dir.resolve("model.tribuo");
    }

    /**
     * The finished and failed runs so far, by their index in study order (seed by seed, variant by variant); each
     * change rewrites runs.csv, results.csv, the charts and the report from them in that order.
     */
    private final class Book {
        private final DataSet dataSet;
        private final Dataset<Label> train;
        private final StudySettings settings;
        private final List<StudyVariant> selected;
        private final List<String> stale;
        private final @Nullable VariantResult[] finished;
        private final boolean[] failed;

        Book(DataSet dataSet, Dataset<Label> train, StudySettings settings, List<StudyVariant> selected, List<String> stale) {
            this.dataSet = dataSet;
            this.train = train;
            this.settings = settings;
            this.selected = selected;
            this.stale = stale;
            this.finished = new VariantResult[seeds * selected.size()];
            this.failed = new boolean[finished.length];
        }

        /** A run finished: rewrite the files (and the sample images once the first augmented_zca model exists). */
        void finish(int index, VariantResult r) throws IOException {
            finished[index] = r;
            if (index < selected.size() && r.variant() == StudyVariant.AUGMENTED_ZCA) {
                writePreview(train, dataSet.geometry, r.model().getInputTransform());
            }
            write();
        }

        /** A run failed: the report names it once some run has finished. */
        void fail(int index) throws IOException {
            failed[index] = true;
            if (!all().isEmpty()) {
                write();
            }
        }

        /** @return every finished run, in study order. */
        List<VariantResult> all() {
            List<VariantResult> list = new ArrayList<>();
            for (VariantResult r : finished) {
                if (r != null) {
                    list.add(r);
                }
            }
            return list;
        }

        /** @return the first seed's finished runs, in study order (the console table and the provenance diffs). */
        List<VariantResult> firstSeed() {
            List<VariantResult> list = new ArrayList<>();
            for (int i = 0; i < selected.size(); i++) {
                if (finished[i] != null) {
                    list.add(finished[i]);
                }
            }
            return list;
        }

        /** @return the failed runs' names, in study order. */
        List<String> failedNames() {
            List<String> names = new ArrayList<>();
            for (int n = 0; n < failed.length; n++) {
                if (failed[n]) {
                    names.add(name(n));
                }
            }
            return names;
        }

        private String name(int index) {
            return runName(selected.get(index % selected.size()), settings.getSeed() + index / selected.size());
        }

        private void write() throws IOException {
            List<VariantResult> all = all();
            StringBuilder rows = new StringBuilder(VariantResult.RUNS_HEADER + "\n");
            for (VariantResult r : all) {
                rows.append(r.csvRow()).append('\n');
            }
            AtomicFiles.writeString(out.resolve("runs.csv"), rows);
            StudyResults summary = new StudyResults(all);
            AtomicFiles.writeString(out.resolve("results.csv"), summary.csv());
            List<String> pending = new ArrayList<>();
            for (int n = 0; n < finished.length; n++) {
                if (finished[n] == null && !failed[n]) {
                    pending.add(name(n));
                }
            }
            Charts.write(histories(all), summary.summaries(), out);
            StudyReport.write(out, dataSet, settings, summary, firstSeed(), pending,
                    failedVariants(failedNames(), selected), stale);
        }
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
                                          @Nullable StudySettings runnerShare, Dataset<Label> train, Dataset<Label> test,
                                          Path modelFile) throws IOException {
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
        MLPTrainer expected = trainer;
        if (runnerShare != null && trainer.getNumThreads() == 0
                && earlier.getProvenance().getTrainerProvenance().getConfiguredParameters().get("numThreads")
                        instanceof com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance recorded
                && recorded.getValue() > 0) {
            // a trial without its own thread count ran with the runner's share: compare with the count it recorded
            expected = Study.trainerBuilder(v, runnerShare).numThreads(recorded.getValue()).build();
        }
        ProvenanceDiff trainerDiff = ProvenanceDiff.of(earlier.getProvenance().getTrainerProvenance(), expected.getProvenance());
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
