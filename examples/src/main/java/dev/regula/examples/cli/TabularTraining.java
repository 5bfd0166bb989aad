package dev.regula.examples.cli;

import dev.regula.experiment.RandomSplitDataSource;
import dev.regula.experiment.StratifiedSplitDataSource;
import dev.regula.mlp.AbstractMLPModel;
import dev.regula.mlp.BackupAndRestore;
import dev.regula.mlp.AbstractMLPTrainer;
import dev.regula.mlp.EarlyStopping;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPMultiLabelTrainer;
import dev.regula.mlp.MLPRegressionTrainer;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.MLPTrainerBuilder;
import dev.regula.mlp.Regularizer;
import dev.regula.mlp.optimisers.Adam;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.multilabel.MultiLabelFactory;
import org.tribuo.multilabel.evaluation.MultiLabelEvaluation;
import org.tribuo.multilabel.evaluation.MultiLabelEvaluator;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluation;
import org.tribuo.regression.evaluation.RegressionEvaluator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code regula train --csv}: a network for any output type on a Tribuo-style CSV file (a header row, numeric
 * feature columns, the named response columns), read with Tribuo's {@link CSVLoader} into a configurable
 * {@code CSVDataSource}, split into training and test sides by a configurable split (stratified for
 * classification, random otherwise), so that {@code regula reproduce} re-creates the model from its provenance.
 */
final class TabularTraining {
    /** The output type of {@code --task}. */
    enum Task {
        /** A Label per example from one response column. */
        CLASSIFICATION,
        /** A Regressor of one dimension per response column. */
        REGRESSION,
        /** A MultiLabel: one column of comma-separated labels, or one true/false column per label. */
        MULTILABEL
    }

    private final TrainCommand cmd;

    private TabularTraining(TrainCommand cmd) {
        this.cmd = cmd;
    }

    /**
     * Runs {@code train --csv}.
     * @param cmd the command and its options.
     * @return the exit code.
     * @throws Exception if training or writing fails.
     */
    static int run(TrainCommand cmd) throws Exception {
        if (cmd.config != null || !cmd.params.isEmpty() || cmd.data != null) {
            throw new UserException("--csv trains from the command-line options only; --config, --param and --data "
                    + "apply to image data");
        }
        if (cmd.responses.isEmpty()) {
            throw new UserException("--csv needs --response naming the response column(s) of " + cmd.csv);
        }
        if (!Files.isRegularFile(cmd.csv)) {
            throw new UserException("--csv " + cmd.csv + " is not a readable file");
        }
        TabularTraining t = new TabularTraining(cmd);
        return switch (cmd.task) {
            case CLASSIFICATION -> t.train(new LabelFactory(), MLPTrainer.builder(), "val_accuracy");
            case REGRESSION -> t.train(new RegressionFactory(), MLPRegressionTrainer.builder(), "val_rmse");
            case MULTILABEL -> t.train(new MultiLabelFactory(), MLPMultiLabelTrainer.builder(), "val_jaccard");
        };
    }

    private <T extends Output<T>, M extends AbstractMLPModel<T>, R extends AbstractMLPTrainer<T, M>,
            B extends MLPTrainerBuilder<R, B>> int train(OutputFactory<T> factory, B builder, String monitor)
            throws Exception {
        Path model = cmd.model;
        ModelFiles.checkWritable(model, cmd.overwrite);
        for (Path f : ModelFiles.files(model)) {
            Outputs.refuseInputs(f, "--model", List.of(new Outputs.Input(cmd.csv, "the --csv file")));
        }
        if (cmd.task == Task.CLASSIFICATION && cmd.responses.size() != 1) {
            throw new UserException("classification takes one --response column, found " + cmd.responses);
        }
        ConfigurableDataSource<T> all = load(factory);
        ConfigurableDataSource<T> trainSide;
        ConfigurableDataSource<T> testSide;
        if (cmd.task == Task.CLASSIFICATION) {
            @SuppressWarnings("unchecked")
            ConfigurableDataSource<Label> labels = (ConfigurableDataSource<Label>) all;
            @SuppressWarnings("unchecked")
            ConfigurableDataSource<T> tr = (ConfigurableDataSource<T>) StratifiedSplitDataSource.of(labels, cmd.testFraction,
                    cmd.network.seed, StratifiedSplitDataSource.Part.TRAIN);
            @SuppressWarnings("unchecked")
            ConfigurableDataSource<T> te = (ConfigurableDataSource<T>) StratifiedSplitDataSource.of(labels, cmd.testFraction,
                    cmd.network.seed, StratifiedSplitDataSource.Part.TEST);
            trainSide = tr;
            testSide = te;
        } else {
            trainSide = RandomSplitDataSource.of(all, cmd.testFraction, cmd.network.seed, StratifiedSplitDataSource.Part.TRAIN);
            testSide = RandomSplitDataSource.of(all, cmd.testFraction, cmd.network.seed, StratifiedSplitDataSource.Part.TEST);
        }
        R trainer = configure(builder, monitor)
                .backupAndRestore(cmd.backup == null ? null : BackupAndRestore.inFolder(cmd.backup)).build();
        if (cmd.backup != null) {
            cmd.printBackup();
        }
        Dataset<T> train;
        Dataset<T> test;
        try {
            train = new MutableDataset<>(trainSide);
            test = new MutableDataset<>(testSide);
        } catch (NumberFormatException e) {
            throw new UserException("cannot read " + cmd.csv + ": a feature column holds a value that is not a number ("
                    + e.getMessage() + "); every column other than the --response column(s) must be numeric");
        }
        cmd.out().println("Data: " + cmd.csv + " (" + train.size() + " training, " + test.size() + " test examples; "
                + train.getFeatureIDMap().size() + " features; task " + cmd.task.name().toLowerCase(Locale.ROOT)
                + ", response " + String.join(", ", cmd.responses) + ")");
        cmd.out().println("Trainer: " + trainer);
        cmd.out().flush();
        try (Outputs.OutputLock lock = Outputs.lock(model.toAbsolutePath().getParent(), "train")) {
            ModelFiles.checkWritable(model, cmd.overwrite);
            Progress progress = new Progress(cmd.out(), Progress.stdoutIsTerminal(), "train", trainer.getEpochs(), 0);
            trainer.addEpochListener(progress::onEpoch);
            long start = System.nanoTime();
            M m = trainer.train(train);
            double seconds = (System.nanoTime() - start) / 1e9;
            ModelFiles.writeModel(m, model); // saved before it is evaluated
            String summary = evaluate(m, test, model);
            cmd.out().printf(Locale.ROOT, "%s; %s; %.1f s%nSaved %s%n", m.getHistory().getStopMessage(), summary, seconds,
                    model.toAbsolutePath());
        }
        return 0;
    }

    /** The CSV file as a configurable Tribuo data source, with the CSV's problems reported as user errors. */
    private <T extends Output<T>> ConfigurableDataSource<T> load(OutputFactory<T> factory) throws IOException {
        Set<String> responses = new LinkedHashSet<>(cmd.responses);
        DataSource<T> source;
        try {
            source = new CSVLoader<>(factory).loadDataSource(cmd.csv, responses);
        } catch (IllegalArgumentException e) {
            throw new UserException("cannot read " + cmd.csv + ": " + e.getMessage());
        }
        @SuppressWarnings("unchecked")
        ConfigurableDataSource<T> configurable = (ConfigurableDataSource<T>) source; // CSVLoader returns a CSVDataSource
        return configurable;
    }

    /** The network and regularization options on a builder of any output type. */
    private <R extends AbstractMLPTrainer<?, ?>, B extends MLPTrainerBuilder<R, B>> B configure(B b, String monitor) {
        NetworkOptions n = cmd.network;
        TrainOptions r = cmd.regularization;
        if (!(r.l2 >= 0) || !(r.l1 >= 0) || !Double.isFinite(r.l1 + r.l2)) {
            throw new UserException("--l1/--l2 must be finite and >= 0, found l1=" + r.l1 + ", l2=" + r.l2);
        }
        if (!(r.dropout >= 0 && r.dropout < 1)) {
            throw new UserException("--dropout must be in [0, 1), found " + r.dropout);
        }
        if (r.augment || r.zca) {
            throw new UserException("--augment and --zca apply to images, not to --csv data");
        }
        b.optimiser(new Adam(n.learningRate)).epochs(n.epochs).minibatchSize(n.batch).seed(n.seed)
                .validationFraction(n.validation).numThreads(n.threads).withoutHiddenLayers();
        for (int units : n.hidden) {
            Layer.Builder layer = Layer.dense(units).dropout(r.dropout);
            if (r.l1 > 0 || r.l2 > 0) {
                layer.kernelRegularizer(r.l1 == 0 ? Regularizer.l2(r.l2) : r.l2 == 0 ? Regularizer.l1(r.l1)
                        : Regularizer.l1l2(r.l1, r.l2));
            }
            b.addLayer(layer.build());
        }
        b.standardization(cmd.standardize ? MLPTrainerBuilder.featurewiseStandardization() : null);
        b.earlyStopping(null); // the CLI's epochs run in full unless --early-stopping is given
        if (r.patience != null) {
            if (r.patience < 0) {
                throw new UserException("--early-stopping patience must be >= 0, found " + r.patience);
            }
            b.earlyStopping(EarlyStopping.monitoring(monitor).patience(r.patience).restoreBestWeights(true).build());
        }
        return b;
    }

    /** Evaluates with the output type's Tribuo evaluator, writes the evaluation and returns a one-line summary. */
    @SuppressWarnings("unchecked")
    private String evaluate(AbstractMLPModel<?> m, Dataset<?> test, Path model) throws IOException {
        if (test.size() == 0) {
            throw new UserException("the model was trained and saved to " + model.toAbsolutePath() + ", but the test set "
                    + "is empty: raise --test-fraction");
        }
        switch (cmd.task) {
            case CLASSIFICATION -> {
                LabelEvaluation e = ModelFiles.evaluate((dev.regula.mlp.MLPModel) m, model, (Dataset<Label>) test);
                ModelFiles.writeEvaluation(model, e);
                return String.format(Locale.ROOT, "test accuracy %.4f", e.accuracy());
            }
            case REGRESSION -> {
                RegressionEvaluation e = new RegressionEvaluator().evaluate((AbstractMLPModel<Regressor>) m,
                        (Dataset<Regressor>) test);
                ModelFiles.writeEvaluationText(model, e.toString());
                return String.format(Locale.ROOT, "test RMSE %.4g, MAE %.4g, R2 %.4f", e.averageRMSE(), e.averageMAE(),
                        e.averageR2());
            }
            default -> {
                MultiLabelEvaluation e = new MultiLabelEvaluator().evaluate((AbstractMLPModel<MultiLabel>) m,
                        (Dataset<MultiLabel>) test);
                ModelFiles.writeEvaluationText(model, e.toString());
                return String.format(Locale.ROOT, "test Jaccard %.4f, micro F1 %.4f", e.jaccardScore(), e.microAveragedF1());
            }
        }
    }
}
