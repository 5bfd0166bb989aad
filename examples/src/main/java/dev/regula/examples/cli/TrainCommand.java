package dev.regula.examples.cli;

import dev.regula.mlp.BackupAndRestore;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import org.jspecify.annotations.Nullable;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code regula train}: trains one configuration and saves the model. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains one network, from the options or from an OLCUT configuration file (e.g. the best "
                + "configuration of 'regula grid'), evaluates it on the test set and saves the model (Tribuo protobuf) "
                + "with provenance.json, history.csv and confusion-matrix.txt next to it. Existing files are replaced only "
                + "with --overwrite; the model is saved before it is evaluated.",
        footer = {"%nExamples:%n  regula train --dropout 0.25 --epochs 10 --model out/model.tribuo%n"
                + "  regula train --config grid-out/best-config.xml --data /usr/share/datasets/fashion-mnist%n"
                + "  regula train --csv diabetes.csv --task regression --response progression --hidden 32 --l2 0.03 "
                + "--early-stopping 10 --epochs 300 --batch 32 --learning-rate 0.01 --validation 0.2 --model out/m.tribuo%n"
                + "  regula train --epochs 50 --backup out/backup --model out/model.tribuo   (run again after a crash)"})
final class TrainCommand extends BaseCommand {
    @Option(names = "--data", paramLabel = "DIR", description = "Data as for 'study --data' (default: the embedded subset).")
    @Nullable Path data;

    @Option(names = "--config", paramLabel = "FILE",
            description = "OLCUT configuration file defining one MLPTrainer; network and regularization options are then ignored.")
    @Nullable Path config;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Set any trainer @Config field, e.g. epochs=5, "
            + "optimiser.learningRate=0.01 (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--model", paramLabel = "FILE", description = "Where to save the model (default: ${DEFAULT-VALUE}).")
    Path model = Path.of("model.tribuo");

    @Option(names = "--test-fraction", paramLabel = "FRACTION",
            description = "Fraction held out as the test set when the data has none (default: ${DEFAULT-VALUE}).")
    double testFraction = 0.2;

    @Option(names = "--overwrite", description = "Replace an existing model file and the provenance.json, history.csv "
            + "and confusion-matrix.txt next to it (without it, train refuses to replace them).")
    boolean overwrite;

    @Option(names = "--backup", paramLabel = "DIR", description = "Crash-safe training: back up the run to DIR after "
            + "every epoch; a run killed and started again with the same options and data resumes from the last "
            + "completed epoch, with the result of an uninterrupted run; the backup is deleted at the end.")
    @Nullable Path backup;

    @Option(names = "--csv", paramLabel = "FILE", description = "Train on a CSV file (a header row, numeric feature "
            + "columns and the --response column(s)) instead of images: any output type (--task); features are "
            + "standardized unless --no-standardize.")
    @Nullable Path csv;

    @Option(names = "--response", split = ",", paramLabel = "COLUMN", description = "With --csv: the response column(s): "
            + "one for classification; one per dimension for regression; for multilabel one column of comma-separated "
            + "labels or one true/false column per label.")
    List<String> responses = new ArrayList<>();

    @Option(names = "--task", paramLabel = "TASK", description = "With --csv: CLASSIFICATION (default), REGRESSION or "
            + "MULTILABEL. Early stopping then monitors val_accuracy, val_rmse or val_jaccard.")
    TabularTraining.Task task = TabularTraining.Task.CLASSIFICATION;

    @Option(names = "--standardize", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "With --csv: standardize every feature on the training split (baked into the model; "
                    + "default: on).")
    boolean standardize = true;

    @Mixin
    NetworkOptions network = new NetworkOptions();

    @Mixin
    TrainOptions regularization = new TrainOptions();

    @Override
    int execute() throws Exception {
        if (csv != null) {
            return TabularTraining.run(this);
        }
        MLPTrainer configured = config != null ? TrainerConfig.load(config) : null; // checked before any data is read
        ModelFiles.checkWritable(model, overwrite);
        for (Path f : ModelFiles.files(model)) {
            Outputs.refuseInputs(f, "--model", List.of(new Outputs.Input(config, "the --config file")));
        }
        DataSet dataSet = DataSet.load(data, testFraction, network.seed);
        MLPTrainer trainer = configured != null ? configured : regularization.builder(network, dataSet.geometry).build();
        if (backup != null) { // before --param, which may then set backupAndRestore.deleteCheckpoint
            trainer = TrainerConfig.withBackup(trainer, backup);
            printBackup();
        }
        if (!params.isEmpty()) {
            trainer = TrainerConfig.override(trainer, params);
        }
        out().println("Data: " + dataSet.description);
        out().println("Trainer: " + trainer);
        Dataset<Label> test = new MutableDataset<>(dataSet.test);
        if (test.size() == 0) {
            out().println("Warning: the test set is empty (--test-fraction " + testFraction + " holds out no image of any "
                    + "class); the model will be saved but not evaluated");
        }
        out().flush();
        try (Outputs.OutputLock lock = Outputs.lock(model.toAbsolutePath().getParent(), "train")) {
            ModelFiles.checkWritable(model, overwrite); // again, now that no other run can write there
            Progress progress = new Progress(out(), Progress.stdoutIsTerminal(), "train", trainer.getEpochs(), 0);
            trainer.addEpochListener(progress::onEpoch);
            trainer.addBatchListener(5, progress::onBatch);
            Dataset<Label> train = new MutableDataset<>(dataSet.train);
            long start = System.nanoTime();
            MLPModel m = trainer.train(train);
            double seconds = (System.nanoTime() - start) / 1e9;
            LabelEvaluation evaluation;
            try {
                evaluation = ModelFiles.saveThenEvaluate(m, model, test);
            } catch (UserException e) {
                out().printf(Locale.ROOT, "%s; %.1f s%nSaved %s (not evaluated)%n", m.getHistory().getStopMessage(), seconds,
                        model.toAbsolutePath());
                out().flush();
                throw e;
            }
            out().printf(Locale.ROOT, "%s; test accuracy %.4f; %.1f s%nSaved %s%n", m.getHistory().getStopMessage(),
                    evaluation.accuracy(), seconds, model.toAbsolutePath());
        }
        return 0;
    }

    /** Says where the backup goes, and whether this run starts from one. */
    void printBackup() {
        Path file = backup.resolve(BackupAndRestore.FILE_NAME);
        out().println(Files.isRegularFile(file)
                ? "Backup: " + file + " exists; training resumes from it if it is of this configuration and data"
                : "Backup: after every epoch to " + file);
    }
}
