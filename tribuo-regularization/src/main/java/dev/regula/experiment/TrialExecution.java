package dev.regula.experiment;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import dev.regula.data.Sha256;
import dev.regula.mlp.EpochRecord;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import org.jspecify.annotations.Nullable;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.evaluation.KFoldSplitter;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Runs one {@link Trial} in this JVM: re-creates the trainer from its configuration text with the trial's seed and
 * threads, takes the data set from a per-JVM cache (built from the data configuration the first time a trial
 * names it, then shared by every trial on this JVM, the way a Spark executor keeps a broadcast), trains, scores
 * and packs a {@link TrialResult}.
 * <p>
 * Scores: for {@link TrialSplit#validation()} the validation accuracy and loss of the kept epoch (what
 * {@code regula grid} ranks by); for a fold, the {@link LabelEvaluator} accuracy on the held-out fold of
 * Tribuo's {@link KFoldSplitter}, the model trained with invocation count equal to the fold index, so that a
 * trial reproduces the model Tribuo's {@code CrossValidation} trains for that fold bit for bit.
 */
public final class TrialExecution {
    /** Data sets by the SHA-256 of their configuration text and source name; one per distinct data set. */
    private static final ConcurrentMap<String, Dataset<Label>> DATA = new ConcurrentHashMap<>();

    private TrialExecution() {}

    /**
     * Runs a trial once.
     * @param trial the trial.
     * @param threads the BLAS threads to run it with, at least 1 (the trial's own count when it names one).
     * @param worker where it runs, recorded in the result.
     * @return the successful result (attempts 1).
     * @throws Exception whatever re-creating the trainer or data, training or scoring throws; the runner decides
     *     whether to retry.
     */
    public static TrialResult run(Trial trial, int threads, String worker) throws Exception {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
        MLPTrainer trainer = TrialConfigs.trainer(trial, trial.threads() > 0 ? trial.threads() : threads);
        Dataset<Label> data = dataset(trial);
        long start = System.nanoTime(); // training and scoring; the data is read once per JVM, not per trial
        Map<String, Double> scores = new LinkedHashMap<>();
        MLPModel model;
        double score;
        TrialSplit split = trial.split();
        if (split.isFold()) {
            KFoldSplitter.TrainTestFold<Label> fold = fold(data, split);
            model = trainer.train(fold.train, Map.of(), split.index());
            score = new LabelEvaluator().evaluate(model, fold.test).accuracy();
            scores.put("score", score);
            scores.put("accuracy", score);
            scores.put("fold_size", (double) fold.test.size());
        } else {
            model = trainer.train(data);
            EpochRecord kept = model.getHistory().getFinalEpoch();
            score = kept == null ? Double.NaN : kept.valAccuracy();
            scores.put("score", score);
            scores.put("val_accuracy", score);
            scores.put("val_loss", kept == null ? Double.NaN : kept.valLoss());
        }
        String provenance = new JsonProvenanceSerialization(true).marshalAndSerialize(model.getProvenance());
        byte[] bytes = trial.keepModel() ? model.serialize().toByteArray() : null;
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrialResult(trial, null, score, scores, model.getHistory().getEpochsRun(), provenance, bytes, 1,
                seconds, worker);
    }

    /**
     * Checks a trial on the driver before anything runs: its trainer configuration loads and passes
     * {@code postConfig}, and its data configuration parses and names a data source (the data itself is not read,
     * since it may live where only the executors see it).
     * @param trial the trial.
     * @throws IllegalArgumentException naming the trial and the problem.
     */
    public static void check(Trial trial) {
        try {
            TrialConfigs.trainer(trial, trial.threads() > 0 ? trial.threads() : 1);
            TrialConfigs.checkData(trial);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(trial.describe() + " cannot run: " + describe(e), e);
        }
    }

    /**
     * The fold a split scores.
     * @param data the whole data set.
     * @param split a fold split.
     * @return the fold's training and test views.
     */
    static KFoldSplitter.TrainTestFold<Label> fold(Dataset<Label> data, TrialSplit split) {
        Iterator<KFoldSplitter.TrainTestFold<Label>> folds = new KFoldSplitter<Label>(split.folds(), split.seed()).split(data, true);
        for (int i = 0; i < split.index(); i++) {
            folds.next();
        }
        return folds.next();
    }

    /**
     * The trial's data set, read once per JVM.
     * @param trial the trial.
     * @return the cached data set.
     * @throws IOException if the data configuration is refused or the data cannot be read.
     */
    static Dataset<Label> dataset(Trial trial) throws IOException {
        String key = Sha256.hex(Sha256.digest((trial.dataSource() + "\n" + trial.dataConfig()).getBytes(StandardCharsets.UTF_8)));
        Dataset<Label> cached = DATA.get(key);
        if (cached != null) {
            return cached;
        }
        synchronized (DATA) { // one reader at a time: two trials arriving together read the data once
            cached = DATA.get(key);
            if (cached == null) {
                ConfigurableDataSource<Label> source = TrialConfigs.data(trial);
                cached = new MutableDataset<>(source);
                DATA.put(key, cached);
            }
            return cached;
        }
    }

    /** Forgets the cached data sets (tests; a long-lived JVM switching data). */
    public static void clearCache() {
        DATA.clear();
    }

    /** @return the number of data sets cached in this JVM. */
    public static int cachedDataSets() {
        return DATA.size();
    }

    /**
     * An error as one line with its causes: {@code Class: message <- Cause: message}.
     * @param error the error.
     * @return the description.
     */
    public static String describe(Throwable error) {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        for (@Nullable Throwable t = error; t != null && depth < 5; t = t.getCause(), depth++) {
            if (depth > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getClass().getName()).append(": ").append(t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return sb.toString();
    }

    /** @return this JVM's host name and the current thread, for {@link TrialResult#worker()}. */
    public static String localWorker() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + "/" + Thread.currentThread().getName();
    }
}
