package dev.regula.examples.cli;

import dev.regula.data.AtomicFiles;
import dev.regula.experiment.Intervals;
import dev.regula.experiment.Trial;
import dev.regula.experiment.TrialResult;
import dev.regula.experiment.TrialRunner;
import dev.regula.experiment.TrialRunnerFactory;
import dev.regula.experiment.TrialSplit;
import dev.regula.experiment.TrialStore;
import dev.regula.experiment.TrialSweep;
import dev.regula.experiment.StudySettings;
import dev.regula.mlp.MLPTrainer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code regula grid}: grid search over regularization strengths and any trainer {@code @Config} field. */
@Command(name = "grid", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Grid search: trains every combination of the given values, scores each on the trainer's "
                + "validation split (validation accuracy of the kept epoch) or by k-fold cross-validation (--folds, "
                + "Tribuo's CrossValidation, mean accuracy), prints the table sorted by score and writes grid.csv and "
                + "the best trainer as an OLCUT configuration file (best-config.xml) for 'train --config' or Java code.",
                "--out must be new, empty or written by an earlier grid, unless --overwrite is given.",
                "Only the training data is used; the test set is never looked at."},
        footer = {"%nExamples:%n  regula grid --l2 1e-5,1e-4,1e-3 --dropout 0,0.25 --epochs 5%n"
                + "  regula grid --param epochs=5,10 --param optimiser.learningRate=0.0001,0.001 --folds 3%n"
                + "%nJava: MLPTrainer t = (MLPTrainer) ConfigurationFiles.load(Path.of(\"best-config.xml\")).lookup(\"mlptrainer-0\");"
                + "%n(dev.regula.config.ConfigurationFiles checks the file first: configurations are shared.)"})
final class GridCommand extends BaseCommand {
    @Option(names = "--data", paramLabel = "DIR", description = "Data as for 'study --data' (default: the embedded subset).")
    @Nullable Path data;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder for grid.csv and best-config.xml (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("grid-out");

    @Option(names = "--l2", split = ",", paramLabel = "LAMBDA", description = "L2 factors on every hidden kernel (0 = none).")
    List<Double> l2 = List.of(0.0);

    @Option(names = "--l1", split = ",", paramLabel = "LAMBDA", description = "L1 factors on every hidden kernel (0 = none).")
    List<Double> l1 = List.of(0.0);

    @Option(names = "--dropout", split = ",", paramLabel = "RATE", description = "Dropout rates after every hidden layer (0 = none).")
    List<Double> dropout = List.of(0.0);

    @Option(names = "--param", paramLabel = "NAME=V1,V2", description = "Values of any trainer @Config field, e.g. "
            + "epochs=5,10, minibatchSize=64,128, optimiser.learningRate=1e-4,1e-3 (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--folds", paramLabel = "K", description = "Score by K-fold cross-validation instead of the validation split (K >= 2).")
    int folds;

    @Option(names = "--seeds", paramLabel = "N",
            description = "Train every configuration with N seeds (the trainer's seed, seed + 1, …; default: ${DEFAULT-VALUE}): "
                    + "rank by the mean score, with its 95 %% t interval, and say which configurations the best does not "
                    + "beat distinguishably (paired by seed).")
    int seeds = 1;

    @Option(names = "--config", paramLabel = "FILE", description = "Start from this OLCUT trainer configuration instead of the network options.")
    @Nullable Path config;

    @Option(names = "--test-fraction", paramLabel = "FRACTION",
            description = "Fraction held out (and not used) when the data has no test set (default: ${DEFAULT-VALUE}).")
    double testFraction = 0.2;

    @Option(names = "--parallel-trials", paramLabel = "K",
            description = "Run K trials (configuration x seed x fold) at once on this machine, each with its share of "
                    + "the BLAS threads (--threads, or every processor, divided by K; default: ${DEFAULT-VALUE}). "
                    + "Same per-trial threads give the same grid.csv.")
    int parallelTrials = 1;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Run the trials as Spark tasks on MASTER (local[2], spark://host:7077, yarn, k8s://...; "
                    + "needs the regula-spark module on the class path, see docs/distributed.md).")
    @Nullable String spark;

    @Option(names = "--attempts", paramLabel = "N",
            description = "Attempts a failing trial gets before it is reported as failed (default: ${DEFAULT-VALUE}).")
    int attempts = 2;

    @Option(names = "--resume", description = "Take the trials an earlier, interrupted run with the same --out finished "
            + "(--out/trials/, checked against each trial's configuration and provenance) instead of running them again.")
    boolean resume;

    @Option(names = "--overwrite", description = "Write into an existing, non-empty --out folder that 'regula grid' did "
            + "not create (without it, such a folder is refused).")
    boolean overwrite;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    /** Name of the marker file identifying a folder written by grid. */
    static final String MARKER = ".regula-grid";
    /** The folder of --out holding the finished trials ({@link TrialStore}). */
    static final String TRIALS = "trials";
    /** The file of --out listing the failed trials, their errors and configurations. */
    static final String FAILURES = "failed-trials.txt";

    /**
     * One point of the grid. With {@code --config} the penalties and dropout are the configuration's own (the grid
     * refuses --l1/--l2/--dropout then), so they are not shown as axes.
     */
    private record Point(double l2, double l1, double dropout, Map<String, String> params, boolean fromConfig) {
        String describe() {
            StringBuilder sb = new StringBuilder(fromConfig ? ""
                    : String.format(Locale.ROOT, "l2=%s l1=%s dropout=%s", l2, l1, dropout));
            params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
            return sb.length() == 0 ? "the configuration as given" : sb.toString();
        }
    }

    /** A scored point: its score per seed (in seed order), their mean, and the seconds of all its runs. */
    private record Scored(Point point, MLPTrainer trainer, double[] scores, double score, double seconds) {
        /** @return the 95 % t interval of the mean score, or null for one seed. */
        Intervals.@Nullable Interval interval() {
            return scores.length > 1 ? Intervals.tInterval(scores) : null;
        }
    }

    @Override
    int execute() throws Exception {
        if (folds == 1 || folds < 0) {
            throw new UserException("--folds must be >= 2 (or 0 for the validation split), found " + folds);
        }
        if (seeds < 1 || seeds > StudyCommand.MAX_SEEDS) {
            throw new UserException("--seeds must be in [1, " + StudyCommand.MAX_SEEDS + "], found " + seeds);
        }
        TrialRunnerFactory sparkFactory = TrialRunners.check(parallelTrials, spark, attempts);
        MLPTrainer configured = config != null ? TrainerConfig.load(config) : null; // checked before any data is read
        Outputs.checkFolder(out, "--out", MARKER, "grid", overwrite);
        for (String name : List.of("grid.csv", "best-config.xml")) {
            Outputs.refuseInputs(out.resolve(name), "--out", List.of(new Outputs.Input(config, "the --config file")));
        }
        DataSet dataSet = DataSet.load(data, testFraction, network.seed);
        StudySettings settings = network.settings(dataSet.geometry).build();
        TrainOptions builder = new TrainOptions();
        MLPTrainer base = configured != null ? configured : builder.builder(settings, 0, 0, 0, dataSet.geometry).build();
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            List<String> values = new ArrayList<>();
            for (String v : e.getValue().split(",")) {
                if (!v.isBlank()) {
                    values.add(v.trim());
                }
            }
            if (values.isEmpty()) {
                throw new UserException("--param " + e.getKey() + " has no values; write --param " + e.getKey() + "=v1,v2");
            }
            TrainerConfig.override(base, Map.of(e.getKey(), values.get(0))); // validates the name early
            axes.put(e.getKey(), values);
        }
        if (config != null && (l2.size() > 1 || l1.size() > 1 || dropout.size() > 1 || l2.get(0) != 0 || l1.get(0) != 0 || dropout.get(0) != 0)) {
            throw new UserException("--l1/--l2/--dropout cannot be combined with --config; use --param on the configuration's fields");
        }
        List<Point> points = points(axes);
        if (folds == 0 && base.getValidationFraction() == 0) {
            throw new UserException("the trainer has no validation split (validationFraction = 0); use --validation or --folds");
        }
        try (Outputs.OutputLock lock = Outputs.lock(out, "grid")) {
            Outputs.prepareFolder(out, "--out", MARKER, "grid", overwrite);
            try (TrialRunner runner = TrialRunners.create(sparkFactory, spark, parallelTrials, attempts)) {
                return search(dataSet, settings, builder, base, axes, points, runner);
            }
        }
    }

    private int search(DataSet dataSet, StudySettings settings, TrainOptions builder, MLPTrainer base,
                       Map<String, List<String>> axes, List<Point> points, TrialRunner runner) throws Exception {
        out().println("Data: " + dataSet.description);
        out().printf(Locale.ROOT, "%d configuration(s), scored by %s%n", points.size(),
                folds > 0 ? folds + "-fold cross-validation (mean accuracy)" : "validation accuracy");
        // One trial per configuration, seed and fold, described by configuration text only.
        List<MLPTrainer> trainers = new ArrayList<>();
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            MLPTrainer t = config != null ? base : builder.builder(settings, p.l2(), p.l1(), p.dropout(), dataSet.geometry).build();
            if (!p.params().isEmpty()) {
                t = TrainerConfig.override(t, p.params());
            }
            trainers.add(t);
            for (int k = 0; k < seeds; k++) {
                for (int f = 0; f < Math.max(folds, 1); f++) {
                    trials.add(Trial.builder(trialId(i, k, f)).trainer(t).seed(t.getSeed() + k).threads(t.getNumThreads())
                            .split(folds > 0 ? TrialSplit.fold(f, folds, network.seed) : TrialSplit.validation())
                            .data(dataSet.train).build());
                }
            }
        }
        int perPoint = seeds * Math.max(folds, 1);
        out().printf(Locale.ROOT, "%d trial(s): %s%n", trials.size(), runner.describe());
        out().flush();
        Map<String, Integer> pointOf = new HashMap<>();
        for (int n = 0; n < trials.size(); n++) {
            pointOf.put(trials.get(n).id(), n / perPoint);
        }
        Map<Integer, Map<String, TrialResult>> arrived = new HashMap<>();
        int[] reported = {0};
        TrialSweep.Outcome outcome;
        try {
            outcome = TrialSweep.run(trials, runner, new TrialStore(out.resolve(TRIALS)), resume, r -> {
                int i = pointOf.get(r.id());
                if (!r.succeeded()) {
                    out().printf(Locale.ROOT, "trial %s failed after %d attempt(s): %s%n", r.id(), r.attempts(), r.error());
                }
                Map<String, TrialResult> mine = arrived.computeIfAbsent(i, k -> new HashMap<>());
                mine.put(r.id(), r);
                if (mine.size() == perPoint) {
                    reported[0]++;
                    List<TrialResult> ordered = trials.subList(i * perPoint, (i + 1) * perPoint).stream()
                            .map(t -> mine.get(t.id())).toList();
                    Scored s = scored(points.get(i), trainers.get(i), ordered);
                    out().printf(Locale.ROOT, "[%d/%d] %s: %s%s (%.1f s)%n", reported[0], points.size(), points.get(i).describe(),
                            s == null ? "failed" : String.format(Locale.ROOT, "%.4f", s.score()),
                            seeds == 1 || s == null ? "" : " (mean of " + seeds + " seeds)", s == null ? 0 : s.seconds());
                }
                out().flush();
            });
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        if (outcome.resumed() > 0) {
            out().printf(Locale.ROOT, "%d trial(s) taken from %s (finished by an earlier run)%n", outcome.resumed(),
                    out.resolve(TRIALS));
        }
        List<Scored> scored = new ArrayList<>();
        List<TrialResult> failed = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            List<TrialResult> mine = outcome.results().subList(i * perPoint, (i + 1) * perPoint);
            Scored s = scored(points.get(i), trainers.get(i), mine);
            if (s == null) {
                mine.stream().filter(r -> !r.succeeded()).forEach(failed::add);
            } else {
                scored.add(s);
            }
        }
        if (failed.isEmpty()) {
            Files.deleteIfExists(out.resolve(FAILURES)); // from an earlier run
        } else {
            writeFailures(failed);
        }
        if (scored.isEmpty()) {
            throw new UserException("every configuration has a failed trial; see " + out.resolve(FAILURES));
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed());
        StringBuilder csv = new StringBuilder("rank,l2,l1,dropout");
        for (String k : axes.keySet()) {
            csv.append(',').append(k);
        }
        csv.append(",score,seconds,seeds,score_std,score_ci95_low,score_ci95_high,tied_with_best\n");
        out().println();
        out().println(seeds == 1 ? "rank  score   configuration" : "rank  score   95 % interval    configuration");
        Scored top = scored.get(0);
        List<Integer> tied = new ArrayList<>();
        for (int r = 0; r < scored.size(); r++) {
            Scored s = scored.get(r);
            csv.append(r + 1);
            if (s.point().fromConfig()) { // the configuration's own values, not axes of this grid: left empty
                csv.append(",,,");
            } else {
                csv.append(',').append(s.point().l2()).append(',').append(s.point().l1()).append(',').append(s.point().dropout());
            }
            for (String k : axes.keySet()) {
                csv.append(',').append(s.point().params().get(k));
            }
            Intervals.Interval ci = s.interval();
            // Every configuration runs with the same seeds, so the comparison with the best is paired by seed.
            boolean tie = r > 0 && ci != null && !Intervals.pairedDifference(top.scores(), s.scores()).excludesZero();
            if (tie) {
                tied.add(r + 1);
            }
            csv.append(String.format(Locale.ROOT, ",%.4f,%.1f,%d,%s,%s,%s,%s%n", s.score(), s.seconds(), seeds,
                    ci == null ? "" : String.format(Locale.ROOT, "%.4f", Intervals.standardDeviation(s.scores())),
                    ci == null ? "" : String.format(Locale.ROOT, "%.4f", ci.low()),
                    ci == null ? "" : String.format(Locale.ROOT, "%.4f", ci.high()),
                    ci == null || r == 0 ? "" : tie ? "yes" : "no"));
            out().printf(Locale.ROOT, "%4d  %.4f  %s%s%n", r + 1, s.score(),
                    ci == null ? "" : String.format(Locale.ROOT, "%.4f–%.4f  ", ci.low(), ci.high()), s.point().describe());
        }
        if (seeds > 1) {
            out().println(tied.isEmpty()
                    ? "The best configuration scores distinguishably higher than every other (paired t test over the seeds, 95 %)."
                    : "Not distinguishable from the best (the 95 % interval of the paired difference over the seeds contains 0): "
                            + "rank(s) " + tied.toString().replaceAll("[\\[\\]]", ""));
        }
        AtomicFiles.writeString(out.resolve("grid.csv"), csv);
        Path best = out.resolve("best-config.xml");
        TrainerConfig.save(scored.get(0).trainer(), best);
        out().println("Best: " + scored.get(0).point().describe());
        out().println("Wrote " + out.resolve("grid.csv").toAbsolutePath() + " and " + best.toAbsolutePath());
        if (!failed.isEmpty()) {
            out().printf(Locale.ROOT, "%d trial(s) failed (%s): their configurations are left out of grid.csv; "
                    + "rerun with --resume to run only the unfinished trials%n", failed.size(), out.resolve(FAILURES));
            return RegulaCli.EXIT_ERROR;
        }
        return 0;
    }

    /**
     * A configuration's score from its trials (seed by seed, fold by fold): per seed the validation accuracy, or the
     * fold accuracies summed in fold order and divided by the folds, which is Tribuo's CrossValidation mean.
     * @return the scored configuration, or null if one of its trials failed.
     */
    private @Nullable Scored scored(Point point, MLPTrainer trainer, List<TrialResult> results) {
        if (results.stream().anyMatch(r -> !r.succeeded())) {
            return null;
        }
        int perSeed = Math.max(folds, 1);
        double seconds = 0;
        double[] scores = new double[seeds];
        for (int k = 0; k < seeds; k++) {
            double sum = 0;
            for (int f = 0; f < perSeed; f++) {
                TrialResult r = results.get(k * perSeed + f);
                sum += r.score();
                seconds += r.seconds();
            }
            scores[k] = folds > 0 ? sum / folds : sum;
        }
        return new Scored(point, trainer, scores, Intervals.mean(scores), seconds);
    }

    /** The id of a trial: configuration (1-based), seed offset and fold. */
    private String trialId(int point, int seed, int fold) {
        return String.format(Locale.ROOT, "p%03d-s%d", point + 1, seed) + (folds > 0 ? "-f" + fold : "");
    }

    /** Writes the failed trials with their errors and configurations. */
    private void writeFailures(List<TrialResult> failed) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (TrialResult r : failed) {
            sb.append("== ").append(r.trial().describe()).append(", ").append(r.attempts()).append(" attempt(s), on ")
                    .append(r.worker()).append('\n').append("error: ").append(r.error()).append('\n')
                    .append("trainer configuration:\n").append(r.trial().trainerConfig()).append('\n')
                    .append("data source ").append(r.trial().dataSource()).append(":\n").append(r.trial().dataConfig())
                    .append("\n\n");
        }
        AtomicFiles.writeString(out.resolve(FAILURES), sb);
    }

    private List<Point> points(Map<String, List<String>> axes) {
        List<Point> points = new ArrayList<>();
        for (double a : l2) {
            for (double b : l1) {
                for (double c : dropout) {
                    points.add(new Point(a, b, c, Map.of(), config != null));
                }
            }
        }
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Point> next = new ArrayList<>();
            for (Point p : points) {
                for (String v : axis.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(p.params());
                    m.put(axis.getKey(), v);
                    next.add(new Point(p.l2(), p.l1(), p.dropout(), m, p.fromConfig()));
                }
            }
            points = next;
        }
        return points;
    }

}
