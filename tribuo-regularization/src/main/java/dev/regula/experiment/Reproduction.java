package dev.regula.experiment;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.Property;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import dev.regula.mlp.AbstractMLPModel;
import dev.regula.mlp.AbstractMLPTrainer;
import dev.regula.mlp.BackupAndRestore;
import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import dev.regula.data.ImageFolderDataSource;
import dev.regula.data.ImageFolderDataSourceProvenance;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPMultiLabelModel;
import dev.regula.mlp.MLPRegressionModel;
import dev.regula.mlp.MLPTrainer;
import dev.regula.nn.Backends;
import org.jspecify.annotations.Nullable;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.Output;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.DataSourceProvenance;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.ModelProvenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Re-creates a network model's ({@link MLPModel}, {@link MLPRegressionModel}, {@link MLPMultiLabelModel}) trainer
 * and training data from its provenance alone and trains again, then
 * checks that the new model's predictions are bitwise identical to the original's.
 * <p>
 * Recipe (Tribuo's {@code ReproUtil} idea for a third-party trainer): the provenance's configured objects are
 * loaded into an OLCUT {@code ConfigurationManager}; the trainer is looked up and the data source the dataset
 * provenance names (the outermost decorator, e.g. a {@link StratifiedSplitDataSource} around a
 * {@code RescalingDataSource} around an {@code IDXDataSource}) is rebuilt; the trainer is called with the recorded
 * {@code train-invocation-count}, so its RNG is in the same state. A trainer configured with
 * {@code numThreads = 0} (every processor) is pinned to the BLAS thread count recorded in the run provenance,
 * since results are bit-identical only for a fixed thread count, and a model trained on another BLAS backend is
 * refused with the {@code regula.blas} setting to use. An explicit validation dataset
 * ({@code MLPTrainer.train(train, validation)}) is rebuilt from the provenance recorded under
 * {@code validation-dataset} and passed again. Models trained on a source without configured provenance (e.g.
 * Tribuo's {@code TrainTestSplitter}) cannot be re-created and are rejected.
 */
public final class Reproduction<T extends Output<T>, M extends AbstractMLPModel<T>> {
    private static final List<String> MODEL_CLASSES = List.of(MLPModel.class.getName(),
            MLPRegressionModel.class.getName(), MLPMultiLabelModel.class.getName());

    private final ModelProvenance provenance;
    private final AbstractMLPTrainer<T, M> trainer;
    private final ConfigurableDataSource<T> dataSource;
    private final @Nullable ConfigurableDataSource<T> validationSource;
    private final int invocationCount;
    private final List<String> dataChanges;

    /**
     * The outcome of a reproduction.
     * @param model the re-trained model.
     * @param identical true if every prediction has the same label and bitwise-equal scores.
     * @param differingPredictions the number of examples whose prediction differs.
     * @param total the number of examples compared.
     * @param provenanceDiff differences between the original and the new model's provenance (times excluded);
     *                       e.g. a changed data file shows as a different resource hash.
     */
    public record Result<M extends AbstractMLPModel<?>>(M model, boolean identical, int differingPredictions, int total,
                                                        ProvenanceDiff provenanceDiff) {
    }

    private Reproduction(ModelProvenance provenance, AbstractMLPTrainer<T, M> trainer,
                         ConfigurableDataSource<T> dataSource, @Nullable ConfigurableDataSource<T> validationSource,
                         int invocationCount, List<String> dataChanges) {
        this.provenance = provenance;
        this.trainer = trainer;
        this.dataSource = dataSource;
        this.validationSource = validationSource;
        this.invocationCount = invocationCount;
        this.dataChanges = List.copyOf(dataChanges);
    }

    /** A data source rebuilt from its configuration, and how its data differ from the recorded data. */
    private record Rebuilt<T extends Output<T>>(ConfigurableDataSource<T> source, List<String> changes) {}

    /**
     * Recovers the trainer and data source of a model.
     * @param <T> the output type.
     * @param <M> the model type.
     * @param model the model.
     * @return the reproduction.
     * @throws IllegalArgumentException if the provenance cannot be re-created (see the class comment).
     */
    @SuppressWarnings("unchecked")
    public static <T extends Output<T>, M extends AbstractMLPModel<T>> Reproduction<T, M> of(M model) {
        return (Reproduction<T, M>) of(model.getProvenance());
    }

    /**
     * Recovers the trainer and data source from a model provenance.
     * @param provenance the provenance of a network model ({@link MLPModel}, {@link MLPRegressionModel},
     *                   {@link MLPMultiLabelModel}).
     * @return the reproduction.
     * @throws IllegalArgumentException if the provenance cannot be re-created (see the class comment).
     */
    public static Reproduction<?, ?> of(ModelProvenance provenance) {
        if (!MODEL_CLASSES.contains(provenance.getClassName())) {
            throw new IllegalArgumentException("not the provenance of a Regula network model (" + String.join(", ", MODEL_CLASSES)
                    + "): " + provenance.getClassName());
        }
        return build(provenance);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T extends Output<T>, M extends AbstractMLPModel<T>> Reproduction<T, M> build(ModelProvenance provenance) {
        Map<String, ? extends Provenance> run = provenance.getInstanceProvenance().getMap();
        DataProvenance sourceProvenance = provenance.getDatasetProvenance().getSourceProvenance();
        checkConfigured(sourceProvenance, "training");
        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(provenance);
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(config);
        List<String> trainers = cm.listAll(Trainer.class);
        if (trainers.size() != 1) {
            throw new IllegalArgumentException("expected one trainer in the provenance, found " + trainers);
        }
        String trainerName = trainers.get(0);
        pinThreads(cm, trainerName, run);
        redirectBackup(cm, trainerName);
        AbstractMLPTrainer<T, M> trainer = (AbstractMLPTrainer) cm.lookup(trainerName);
        checkBackend(run, trainer);
        Instant trainedAt = provenance.getTrainingTime().toInstant();
        Rebuilt<T> source = rebuild(cm, sourceProvenance, "training", trainedAt);
        List<String> changes = new ArrayList<>(source.changes());
        ConfigurableDataSource<T> validation = null;
        if (run.get(MLPTrainer.VALIDATION_PROVENANCE) instanceof DatasetProvenance recorded) {
            // An explicit validation set: rebuilt from its own provenance, in a configuration of its own.
            DataProvenance validationSource = recorded.getSourceProvenance();
            checkConfigured(validationSource, "validation");
            ConfigurationManager vcm = new ConfigurationManager();
            vcm.addConfiguration(ProvenanceUtil.extractConfiguration(recorded));
            Rebuilt<T> v = rebuild(vcm, validationSource, "validation", trainedAt);
            validation = v.source();
            changes.addAll(v.changes());
        }
        Provenance count = provenance.getTrainerProvenance().getInstanceValues().get("train-invocation-count");
        int invocations = count instanceof IntProvenance ip ? ip.getValue() : 0;
        return new Reproduction<>(provenance, trainer, source.source(), validation, invocations, changes);
    }

    /**
     * Results are bit-identical only on the BLAS backend they were computed with, which this JVM chooses (the
     * {@code regula.blas} property): refuse up front, naming the property setting, rather than re-train and report
     * thousands of differing predictions.
     */
    private static void checkBackend(Map<String, ? extends Provenance> run, AbstractMLPTrainer<?, ?> trainer) {
        if (!(run.get(MLPTrainer.BLAS_PROVENANCE) instanceof StringProvenance recorded)) {
            return;
        }
        int threads = trainer.getNumThreads() == 0 ? Runtime.getRuntime().availableProcessors() : trainer.getNumThreads();
        String current = Backends.get(threads).name();
        String recordedKind = recorded.getValue().startsWith("openblas") ? "openblas" : recorded.getValue();
        String currentKind = current.startsWith("openblas") ? "openblas" : current;
        if (!recordedKind.equals(currentKind)) {
            throw new IllegalArgumentException("the model was trained with the BLAS backend '" + recorded.getValue()
                    + "' but this JVM uses '" + current + "'; results are bit-identical only on the same backend: run with -D"
                    + Backends.PROPERTY + "=" + recordedKind);
        }
    }

    private static void checkConfigured(DataProvenance source, String role) {
        if (!(source instanceof ConfiguredObjectProvenance)) {
            throw new IllegalArgumentException("the " + role + " data came from " + source.getClassName()
                    + ", which has no configured provenance, so it cannot be rebuilt; use a ConfigurableDataSource "
                    + "(e.g. StratifiedSplitDataSource instead of TrainTestSplitter)");
        }
    }

    /**
     * The data source of the configuration whose configuration is the recorded one. Its provenance must equal the
     * recorded provenance apart from the values that describe the data (hashes, counts) and the volatile times;
     * where those differ, the data changed since the model was trained and each difference is described, naming
     * the file it belongs to.
     */
    @SuppressWarnings("unchecked")
    private static <T extends Output<T>> Rebuilt<T> rebuild(ConfigurationManager cm, DataProvenance recorded, String role,
                                                            Instant trainedAt) {
        ConfigurableDataSource<T> match = null;
        ConfigurableDataSource<T> sameClass = null;
        for (String name : cm.listAll(ConfigurableDataSource.class)) {
            ConfigurableDataSource<T> candidate = (ConfigurableDataSource<T>) cm.lookup(name);
            DataSourceProvenance now = candidate.getProvenance();
            if (now.equals(recorded)) {
                match = candidate;
                break;
            }
            if (match == null && sameConfiguration(recorded, now)) {
                match = candidate;
            } else if (sameClass == null && now.getClassName().equals(recorded.getClassName())) {
                sameClass = candidate;
            }
        }
        if (match == null) {
            throw new IllegalArgumentException("could not rebuild the " + role + " data source " + recorded.getClassName()
                    + " from the provenance" + (sameClass == null ? ""
                    : ": its configuration differs: " + ProvenanceDiff.of(recorded, sameClass.getProvenance()).toString()
                    .strip().replace("\n", "; ")));
        }
        List<String> changes = new ArrayList<>();
        if (recorded instanceof ConfiguredObjectProvenance r && match.getProvenance() instanceof ConfiguredObjectProvenance n) {
            describeChanges(r, n, cm, role, trainedAt, changes);
        }
        return new Rebuilt<>(match, changes);
    }

    /**
     * Whether two provenances have the same classes and configuration, ignoring instance values (hashes, counts,
     * times) at every level.
     */
    static boolean sameConfiguration(Provenance a, Provenance b) {
        if (a instanceof ConfiguredObjectProvenance ca && b instanceof ConfiguredObjectProvenance cb) {
            if (!ca.getClassName().equals(cb.getClassName())) {
                return false;
            }
            Map<String, Provenance> pa = ca.getConfiguredParameters();
            Map<String, Provenance> pb = cb.getConfiguredParameters();
            if (!pa.keySet().equals(pb.keySet())) {
                return false;
            }
            for (Map.Entry<String, Provenance> e : pa.entrySet()) {
                if (!sameConfiguration(e.getValue(), pb.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof ListProvenance<?> la && b instanceof ListProvenance<?> lb) {
            List<? extends Provenance> xa = la.getList();
            List<? extends Provenance> xb = lb.getList();
            if (xa.size() != xb.size()) {
                return false;
            }
            for (int i = 0; i < xa.size(); i++) {
                if (!sameConfiguration(xa.get(i), xb.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    /** Keys of instance values that describe data, not when or where it was read. */
    private static boolean describesData(String key) {
        return !ProvenanceDiff.VOLATILE_KEYS.contains(key);
    }

    /**
     * Describes, one line each, the instance values (data hashes, counts, geometry) that differ between the recorded
     * provenance and the rebuilt source's, at every level of nested sources, naming the file each belongs to; for
     * the images of an {@link ImageFolderDataSource}, also the image files modified after the model was trained.
     */
    private static void describeChanges(ConfiguredObjectProvenance recorded, ConfiguredObjectProvenance now,
                                        ConfigurationManager cm, String role, Instant trainedAt, List<String> out) {
        Map<String, PrimitiveProvenance<?>> before = recorded.getInstanceValues();
        Map<String, PrimitiveProvenance<?>> after = now.getInstanceValues();
        for (Map.Entry<String, PrimitiveProvenance<?>> e : before.entrySet()) {
            String key = e.getKey();
            PrimitiveProvenance<?> current = after.get(key);
            if (!describesData(key) || current == null || Objects.equals(e.getValue().getValue(), current.getValue())) {
                continue;
            }
            out.add(key + " of " + subject(now, key) + " (" + role + " data): " + e.getValue().getValue() + " -> "
                    + current.getValue());
            if (key.equals(ImageFolderDataSourceProvenance.IMAGES_HASH)) {
                out.add(modifiedImages(now, cm, trainedAt));
            }
        }
        Map<String, Provenance> pb = recorded.getConfiguredParameters();
        Map<String, Provenance> pa = now.getConfiguredParameters();
        for (Map.Entry<String, Provenance> e : pb.entrySet()) {
            if (e.getValue() instanceof ConfiguredObjectProvenance r && pa.get(e.getKey()) instanceof ConfiguredObjectProvenance n) {
                describeChanges(r, n, cm, role, trainedAt, out);
            }
        }
    }

    /** What an instance value is about: the file it hashes or counts, else the source's class. */
    private static String subject(ConfiguredObjectProvenance p, String key) {
        Map<String, Provenance> config = p.getConfiguredParameters();
        String index = value(config.get("indexFile"));
        if (key.equals(ImageFolderDataSourceProvenance.INDEX_HASH) && index != null) {
            return index;
        }
        if (index != null) {
            return "the images listed in " + index;
        }
        String features = value(config.get("featuresPath"));
        if (key.startsWith("features-") && features != null) {
            return features;
        }
        String output = value(config.get("outputPath"));
        if (key.startsWith("output-") && output != null) {
            return output;
        }
        String name = p.getClassName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static @Nullable String value(@Nullable Provenance p) {
        return p instanceof PrimitiveProvenance<?> pp && pp.getValue() != null ? pp.getValue().toString() : null;
    }

    /** The image files of the rebuilt image folder that were modified after the model was trained. */
    private static String modifiedImages(ConfiguredObjectProvenance now, ConfigurationManager cm, Instant trainedAt) {
        String index = value(now.getConfiguredParameters().get("indexFile"));
        for (String name : cm.listAll(ImageFolderDataSource.class)) {
            ImageFolderDataSource source = (ImageFolderDataSource) cm.lookup(name);
            if (source.getIndexFile().toString().equals(index)) {
                List<String> files = source.getFilesModifiedAfter(trainedAt);
                if (files.isEmpty()) {
                    return "no listed image was modified since the model was trained (" + trainedAt + "): files were "
                            + "replaced by older ones, reordered or renamed";
                }
                int shown = Math.min(files.size(), 10);
                return "images modified since the model was trained: " + String.join(", ", files.subList(0, shown))
                        + (files.size() > shown ? " and " + (files.size() - shown) + " more" : "")
                        + " (in " + source.getImageDirectory() + ")";
            }
        }
        return "the image files cannot be listed";
    }

    private static void pinThreads(ConfigurationManager cm, String trainerName, Map<String, ? extends Provenance> run) {
        Optional<ConfigurationData> data = cm.getConfigurationData(trainerName);
        Provenance recorded = run.get(MLPTrainer.THREADS_PROVENANCE);
        if (data.isEmpty() || !(recorded instanceof IntProvenance threads)) {
            return;
        }
        Optional<Property> configured = data.get().get("numThreads");
        boolean allProcessors = configured.isEmpty()
                || (configured.get() instanceof SimpleProperty sp && sp.getValue().trim().equals("0"));
        if (allProcessors) {
            cm.overrideConfigurableProperty(trainerName, "numThreads", new SimpleProperty(Integer.toString(threads.getValue())));
        }
    }

    /**
     * A re-training never touches the original run's backup folder (which may hold another run's backup, or not
     * exist on this machine): a configured {@link BackupAndRestore} is kept, in a fresh temporary folder — its
     * folder is a volatile provenance key, so the reproduced provenance still equals the recorded one.
     */
    private static void redirectBackup(ConfigurationManager cm, String trainerName) {
        Optional<ConfigurationData> data = cm.getConfigurationData(trainerName);
        if (data.isEmpty() || !(data.get().get(BackupAndRestore.TRAINER_FIELD).orElse(null) instanceof SimpleProperty ref)
                || cm.getConfigurationData(ref.getValue()).isEmpty()) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("regula-reproduction-backup");
            cm.overrideConfigurableProperty(ref.getValue(), BackupAndRestore.FOLDER_FIELD, new SimpleProperty(dir.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary backup folder for the re-training: " + e.getMessage(), e);
        }
    }

    /** @return the rebuilt trainer (its configuration is the original's). */
    public AbstractMLPTrainer<T, M> getTrainer() {
        return trainer;
    }

    /** @return the rebuilt training data source. */
    public ConfigurableDataSource<T> getDataSource() {
        return dataSource;
    }

    /**
     * How the rebuilt data differ from the data the model was trained on, one line per difference naming the hash
     * or count and the file it belongs to (e.g. {@code images-resource-hash of the images listed in /d/train.csv
     * (training data): 22F8... -> 9A01...}, followed by the image files modified since training); empty if the data
     * is unchanged. Known before re-training; a changed data set cannot reproduce the model.
     * @return the differences (unmodifiable).
     */
    public List<String> getDataChanges() {
        return dataChanges;
    }

    /** @return the train invocation count recorded in the provenance. */
    public int getInvocationCount() {
        return invocationCount;
    }

    /** @return the provenance being reproduced. */
    public ModelProvenance getProvenance() {
        return provenance;
    }

    /**
     * Trains the rebuilt trainer on the rebuilt data with the recorded invocation count.
     * @return the new model.
     */
    public M retrain() {
        return validationSource == null
                ? trainer.train(new MutableDataset<>(dataSource), Map.of(), invocationCount)
                : trainer.train(new MutableDataset<>(dataSource), new MutableDataset<>(validationSource), Map.of(),
                        invocationCount);
    }

    /**
     * Re-trains and compares predictions with the original model's.
     * @param original the original model.
     * @param evaluation the examples to predict, or null to use the rebuilt training data.
     * @return the result.
     */
    public Result<M> reproduce(Model<T> original, @Nullable Dataset<T> evaluation) {
        M again = retrain();
        Dataset<T> data = evaluation != null ? evaluation : new MutableDataset<>(dataSource);
        int differing = countDifferences(original.predict(data), again.predict(data));
        return new Result<>(again, differing == 0, differing, data.size(),
                ProvenanceDiff.of(original.getProvenance(), again.getProvenance()));
    }

    /**
     * Counts the examples whose predictions differ in label or in any score's bits.
     * @param <T> the output type.
     * @param a the first predictions.
     * @param b the second predictions, in the same order.
     * @return the number of differing predictions (every one if the lists differ in length).
     */
    public static <T extends Output<T>> int countDifferences(List<Prediction<T>> a, List<Prediction<T>> b) {
        if (a.size() != b.size()) {
            return Math.max(a.size(), b.size());
        }
        int differing = 0;
        for (int i = 0; i < a.size(); i++) {
            if (!samePrediction(a.get(i), b.get(i))) {
                differing++;
            }
        }
        return differing;
    }

    /**
     * Same output and same scores, to the bit: outputs are compared through their full serializable form, which
     * prints every double exactly (a label's score, a regressor's values).
     */
    private static <T extends Output<T>> boolean samePrediction(Prediction<T> p, Prediction<T> q) {
        if (!p.getOutput().getSerializableForm(true).equals(q.getOutput().getSerializableForm(true))) {
            return false;
        }
        Map<String, T> ps = p.getOutputScores();
        Map<String, T> qs = q.getOutputScores();
        if (!ps.keySet().equals(qs.keySet())) {
            return false;
        }
        for (Map.Entry<String, T> e : ps.entrySet()) {
            if (!e.getValue().getSerializableForm(true).equals(qs.get(e.getKey()).getSerializableForm(true))) {
                return false;
            }
        }
        return true;
    }
}
