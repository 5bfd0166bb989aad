package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import dev.regula.augment.Augmentation;
import dev.regula.augment.InputTransform;
import dev.regula.augment.RandomErasing;
import dev.regula.augment.Standardization;
import dev.regula.config.Checks;
import dev.regula.data.ImageGeometry;
import dev.regula.data.PixelFeatures;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.mlp.optimisers.Optimiser;
import dev.regula.nn.Activation;
import dev.regula.nn.Backends;
import dev.regula.nn.Blas;
import dev.regula.nn.LayerSpec;
import dev.regula.nn.Network;
import dev.regula.nn.NetworkTrainer;
import dev.regula.nn.MixUp;
import dev.regula.nn.Noise;
import dev.regula.nn.Updater;
import dev.regula.nn.Updaters;
import dev.regula.mlp.schedules.LearningRateSchedule;
import dev.regula.nn.WeightInit;
import org.jspecify.annotations.Nullable;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Trainer;
import org.tribuo.WeightedExamples;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.logging.Logger;

/**
 * The trainer core shared by every output type: the configuration of a feed-forward network and its training
 * (each hyper-parameter an OLCUT {@code @Config} field, validated in {@link #postConfig()}), and the orchestration
 * of one training run — random streams, data preparation, input transform, augmentation, network and epoch loop.
 * A subclass supplies the {@link OutputHead} of its output type and wraps the trained network as its model.
 * <p>
 * Example weights ({@link WeightedExamples}, Keras {@code sample_weight}) scale each example's loss term: the
 * minibatch loss is the weighted mean {@code Σ w·ℓ / Σ w} (validation loss too, with the validation examples'
 * weights), so scaling every weight changes nothing and a weight of 2 counts an example twice.
 * <p>
 * Each call to {@code train} draws an independent random stream from the trainer's seeded RNG (Tribuo's
 * invocation-count idiom) and splits it into separate streams for the validation split, initialisation,
 * shuffling, dropout, augmentation, Gaussian noise, random erasing and MixUp (in this order, the last three added
 * after the others so that earlier models keep their draws), so variants that differ in one technique share
 * everything else.
 *
 * @param <T> the output type.
 * @param <M> the model type produced.
 */
public abstract class AbstractMLPTrainer<T extends Output<T>, M extends Model<T>>
        implements Trainer<T>, WeightedExamples, Cloneable {
    /** Run-provenance key of the BLAS backend used. */
    public static final String BLAS_PROVENANCE = "regula-blas";
    /** Run-provenance key of the BLAS thread count used. */
    public static final String THREADS_PROVENANCE = "regula-blas-threads";
    /** Run-provenance key of the input kind a run used, {@code DENSE} or {@code SPARSE} ({@link InputKind}). */
    public static final String INPUT_KIND_PROVENANCE = "regula-input-kind";
    /** Run-provenance key of the training data's density: stored features over examples × features. */
    public static final String INPUT_DENSITY_PROVENANCE = "regula-input-density";
    /** Run-provenance key of an explicit validation dataset's provenance. */
    public static final String VALIDATION_PROVENANCE = "validation-dataset";
    /** Largest accepted {@code numThreads}: each thread is a started, spinning worker. */
    public static final int MAX_THREADS = 1024;
    /** The name of the {@code imageGeometry} field, under which a model's trainer provenance records it. */
    static final String IMAGE_GEOMETRY = "imageGeometry";
    private static final String GEOMETRY_REQUIRED = "imageGeometry (e.g. 28x28x1) is required when augmentation is set";

    // The fields are package-private so that MLPTrainerBuilder sets them on the trainer it returns.
    @Config(description = "Hidden layers, input side first. Empty gives a linear model (multinomial logistic regression).")
    List<Layer> hiddenLayers = new ArrayList<>();

    @Config(description = "Rate of inverted dropout applied to the inputs in training, in [0, 1).")
    double inputDropout = 0.0;

    @Config(description = "Standard deviation of zero-mean Gaussian noise added to the inputs in training (Keras "
            + "GaussianNoise(stddev) as the first layer), finite and >= 0; 0 = none. Applied before input dropout.")
    double inputGaussianNoise = 0.0;

    @Config(description = "Rate of multiplicative Gaussian noise N(1, rate/(1-rate)) on the inputs in training (Keras "
            + "GaussianDropout(rate) as the first layer), in [0, 1); 0 = none.")
    double inputGaussianDropout = 0.0;

    @Config(description = "Penalty on the output layer's kernel; none if unset.")
    @Nullable Regularizer outputRegularizer;

    @Config(description = "Optimiser (default Adam with Keras defaults).")
    Optimiser optimiser = new Adam();

    @Config(description = "Learning-rate schedule over the optimiser steps, starting from the optimiser's learning "
            + "rate (Keras LearningRateSchedule); none if unset. Cannot be combined with reduceLROnPlateau.")
    @Nullable LearningRateSchedule learningRateSchedule;

    @Config(description = "Reduce the learning rate when a monitored value stops improving (Keras ReduceLROnPlateau); "
            + "none if unset. Cannot be combined with learningRateSchedule.")
    @Nullable ReduceLROnPlateau reduceLROnPlateau;

    @Config(description = "Kernel initialisation: GLOROT_UNIFORM (Keras default) or HE_UNIFORM. Biases start at 0.")
    WeightInit weightInit = WeightInit.GLOROT_UNIFORM;

    @Config(description = "Maximum number of passes over the training data, >= 1.")
    int epochs = 10;

    @Config(description = "Minibatch size, >= 1.")
    int minibatchSize = 128;

    @Config(description = "Shuffle the training data before every epoch.")
    boolean shuffle = true;

    @Config(description = "Seed of the trainer's random number generator.")
    long seed = Trainer.DEFAULT_SEED;

    @Config(description = "Fraction of the training data held out for validation (seeded; stratified by label for "
            + "classification, random otherwise), in [0, 1).")
    double validationFraction = 0.0;

    @Config(description = "Early stopping; none if unset.")
    @Nullable EarlyStopping earlyStopping;

    @Config(description = "Random image transforms drawn afresh for every training example in every epoch "
            + "(Keras ImageDataGenerator.flow); needs imageGeometry. Validation data is never augmented.")
    @Nullable Augmentation augmentation;

    @Config(description = "Random erasing of a rectangle of each training image (torchvision RandomErasing), after the "
            + "random transforms of augmentation and before the input transform; needs imageGeometry. Validation "
            + "data is never erased.")
    @Nullable RandomErasing randomErasing;

    @Config(description = "Image geometry WIDTHxHEIGHTxCHANNELS (e.g. 28x28x1) of the features, which must be "
            + "named by flat pixel index as IDXDataSource names them; required with augmentation. Checked against "
            + "the feature names before training and recorded in the model's provenance (MLPModel.getImageGeometry).")
    @Nullable String imageGeometry;

    @Config(description = "Input normalization / ZCA whitening fitted on the training split only and baked into the "
            + "model as a fixed first step, so the model predicts on raw examples.")
    @Nullable Standardization standardization;

    @Config(description = "BLAS threads; 0 uses every available processor. Results are bit-identical for a fixed count.")
    int numThreads = 0;

    @Config(description = "Crash-safe training (Keras BackupAndRestore): a backup after every epoch in a folder, "
            + "resumed from by a run of the same configuration and data; none if unset.")
    @Nullable BackupAndRestore backupAndRestore;

    @Config(description = "How inputs are stored and the first layer computed: AUTO (sparse when the training data's "
            + "density is below 5 % and no technique needs dense rows), DENSE, or SPARSE (compressed sparse rows; "
            + "feature-wise standardization scales without centring; augmentation, sample-wise normalization and ZCA "
            + "whitening are refused). The choice and the density are recorded in the model's run provenance.")
    InputKind inputKind = InputKind.AUTO;

    private @Nullable ImageGeometry geometry; // imageGeometry, parsed once by postConfig
    private SplittableRandom rng;
    private int trainInvocationCounter;
    private transient Listeners listeners = new Listeners();

    /** For OLCUT and subclasses. */
    protected AbstractMLPTrainer() {}

    @Override
    public synchronized void postConfig() {
        if (hiddenLayers == null) {
            hiddenLayers = new ArrayList<>();
        }
        for (int i = 0; i < hiddenLayers.size(); i++) {
            if (hiddenLayers.get(i) == null) {
                throw new PropertyException("", "hiddenLayers", "hidden layer " + i + " is null");
            }
        }
        Checks.rate("inputDropout", inputDropout);
        Checks.nonNegativeFinite("inputGaussianNoise", inputGaussianNoise);
        Checks.rate("inputGaussianDropout", inputGaussianDropout);
        if (optimiser == null) {
            throw new PropertyException("", "optimiser", "optimiser must be set");
        }
        if (weightInit == null) {
            throw new PropertyException("", "weightInit", "weightInit must be one of " + Arrays.toString(WeightInit.values()));
        }
        if (epochs < 1) {
            throw new PropertyException("", "epochs", "epochs must be >= 1, found " + epochs);
        }
        if (minibatchSize < 1) {
            throw new PropertyException("", "minibatchSize", "minibatchSize must be >= 1, found " + minibatchSize);
        }
        Checks.rate("validationFraction", validationFraction);
        requireGeometry(augmentation, imageGeometry);
        if (randomErasing != null && imageGeometry == null) {
            throw new PropertyException("", IMAGE_GEOMETRY, "imageGeometry (e.g. 28x28x1) is required when randomErasing is set");
        }
        if (learningRateSchedule != null && reduceLROnPlateau != null) {
            throw new PropertyException("", "reduceLROnPlateau", "reduceLROnPlateau cannot change the rate of a "
                    + "learning-rate schedule (" + learningRateSchedule + "); use one or the other");
        }
        if (reduceLROnPlateau != null && !monitors().contains(reduceLROnPlateau.getMonitor())) {
            throw new PropertyException("", "reduceLROnPlateau", "ReduceLROnPlateau monitors '"
                    + reduceLROnPlateau.getMonitor().getKey() + "', which " + getClass().getSimpleName()
                    + " does not compute; valid monitors: " + String.join(", ", monitorKeys()));
        }
        if (earlyStopping != null && !monitors().contains(earlyStopping.getMonitor())) {
            throw new PropertyException("", "earlyStopping", "Early stopping monitors '" + earlyStopping.getMonitor().getKey()
                    + "', which " + getClass().getSimpleName() + " does not compute; valid monitors: "
                    + String.join(", ", monitorKeys()));
        }
        try {
            geometry = imageGeometry == null ? null : ImageGeometry.parse(imageGeometry);
        } catch (IllegalArgumentException e) {
            throw new PropertyException(e, "", "imageGeometry", e.getMessage());
        }
        if (inputKind == null) {
            throw new PropertyException("", "inputKind", "inputKind must be one of " + Arrays.toString(InputKind.values()));
        }
        String dense = denseOnlyTechnique();
        if (inputKind == InputKind.SPARSE && dense != null) {
            throw new PropertyException("", "inputKind", "inputKind SPARSE cannot be combined with " + dense
                    + ", which needs dense rows (it does not keep zeros zero); use inputKind DENSE or AUTO, or drop " + dense);
        }
        if (numThreads < 0 || numThreads > MAX_THREADS) {
            throw new PropertyException("", "numThreads", "numThreads must be in [0, " + MAX_THREADS
                    + "] (0 = all processors), found " + numThreads);
        }
        if (backupAndRestore != null) {
            List<String> unsupported = notResumable();
            if (!unsupported.isEmpty()) {
                throw new PropertyException("", "backupAndRestore", "backupAndRestore cannot resume a run with "
                        + String.join(", ", unsupported) + ": their state (random streams, the current learning rate) "
                        + "is not part of the backup yet; train without backupAndRestore or without them");
            }
        }
        rng = new SplittableRandom(seed);
    }

    /** The configured techniques whose state a {@link BackupAndRestore} backup does not hold. */
    private List<String> notResumable() {
        List<String> out = new ArrayList<>();
        if (learningRateSchedule != null) {
            out.add("learningRateSchedule");
        }
        if (reduceLROnPlateau != null) {
            out.add("reduceLROnPlateau");
        }
        if (randomErasing != null) {
            out.add("randomErasing");
        }
        if (mixUpAlpha() > 0) {
            out.add("mixUpAlpha");
        }
        if (inputGaussianNoise > 0 || inputGaussianDropout > 0) {
            out.add("input Gaussian noise");
        }
        for (Layer layer : hiddenLayers) {
            if (layer.getGaussianNoise() > 0 || layer.getGaussianDropout() > 0) {
                out.add("Gaussian noise in a hidden layer");
                break;
            }
        }
        return out;
    }

    private List<String> monitorKeys() {
        List<String> valid = new ArrayList<>();
        for (Monitor m : monitors()) {
            valid.add(m.getKey());
        }
        return valid;
    }

    /**
     * The configured technique that needs dense rows, named as configured — augmentation, random erasing, MixUp,
     * Gaussian noise on the inputs, or a standardization's sample-wise step or ZCA whitening — or null if there is
     * none.
     */
    private @Nullable String denseOnlyTechnique() {
        if (augmentation != null && !augmentation.isIdentity()) {
            return "augmentation";
        }
        if (randomErasing != null) {
            return "randomErasing";
        }
        if (mixUpAlpha() > 0) {
            return "mixUpAlpha";
        }
        if (inputGaussianNoise > 0 || inputGaussianDropout > 0) {
            return inputGaussianNoise > 0 ? "inputGaussianNoise" : "inputGaussianDropout";
        }
        String option = standardization == null ? null : standardization.denseOnlyOption();
        return option == null ? null : "standardization." + option;
    }

    /**
     * Resolves the input kind of a run: the configured one, or for {@link InputKind#AUTO} sparse when the data's
     * density is below {@link InputKind#AUTO_SPARSE_BELOW} and no technique needs dense rows. Logs the choice.
     * @param density the training data's density.
     * @param logger the trainer's logger.
     * @return {@link InputKind#DENSE} or {@link InputKind#SPARSE}.
     */
    private InputKind resolveInputKind(double density, Logger logger) {
        InputKind kind = inputKind;
        String why;
        if (kind == InputKind.AUTO) {
            String dense = denseOnlyTechnique();
            kind = dense == null && density < InputKind.AUTO_SPARSE_BELOW ? InputKind.SPARSE : InputKind.DENSE;
            why = dense != null ? "AUTO, " + dense + " needs dense rows"
                    : String.format(java.util.Locale.ROOT, "AUTO, density %s %.0f %%", kind == InputKind.SPARSE ? "<" : ">=",
                    100 * InputKind.AUTO_SPARSE_BELOW);
        } else {
            why = "configured";
        }
        logger.fine(String.format(java.util.Locale.ROOT, "%s inputs (%s; training data density %.4g %%)", kind, why,
                100 * density));
        return kind;
    }

    /**
     * The density of a dataset: its examples' stored features over examples × features of its feature map.
     * @param examples the dataset.
     * @return the density, in [0, 1] for data whose examples name each feature at most once.
     */
    static double density(Dataset<?> examples) {
        long stored = 0;
        for (org.tribuo.Example<?> ex : examples) {
            stored += ex.size();
        }
        return stored / ((double) examples.size() * examples.getFeatureIDMap().size());
    }

    /** Augmentation needs the images' geometry (checked here for postConfig and for the builder's setters). */
    static void requireGeometry(@Nullable Augmentation augmentation, @Nullable Object geometry) {
        if (augmentation != null && geometry == null) {
            throw new PropertyException("", IMAGE_GEOMETRY, GEOMETRY_REQUIRED);
        }
    }

    /**
     * An unvalidated copy of this configuration with its listeners and a fresh invocation count, for a builder
     * that goes on after {@link MLPTrainerBuilder#build()}: the copy is shallow, as the configuration objects
     * (layers, optimiser, penalties) are immutable once validated.
     * @return the copy.
     */
    AbstractMLPTrainer<T, M> copyConfiguration() {
        try {
            @SuppressWarnings("unchecked")
            AbstractMLPTrainer<T, M> copy = (AbstractMLPTrainer<T, M>) super.clone();
            copy.hiddenLayers = new ArrayList<>(hiddenLayers);
            copy.listeners = listeners.copy();
            copy.trainInvocationCounter = 0;
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The output head of the training data's output domain.
     * @param outputs the output domain.
     * @return the head.
     */
    abstract OutputHead<T> head(ImmutableOutputInfo<T> outputs);

    /**
     * Wraps a trained network as this trainer's model.
     * @param head the head the network was trained with (holding what it fitted, such as target statistics).
     * @return the model.
     */
    abstract M model(ModelProvenance provenance, ImmutableFeatureMap features, OutputHead<T> head,
                     @Nullable InputTransform inputTransform, Network network, TrainingHistory history);

    /** @return the early-stopping monitors this output type computes. */
    abstract Set<Monitor> monitors();

    /**
     * Adds a listener called after every epoch. Listeners are not configuration and cannot change the result.
     * @param listener the listener.
     */
    public void addEpochListener(EpochListener listener) {
        listeners.addEpochListener(listener);
    }

    /**
     * Adds a listener called every {@code everyBatches} minibatches.
     * @param everyBatches the interval in batches, &gt;= 1.
     * @param listener the listener.
     */
    public void addBatchListener(int everyBatches, BatchListener listener) {
        listeners.addBatchListener(everyBatches, listener);
    }

    @Override
    public M train(Dataset<T> examples) {
        return train(examples, Collections.emptyMap());
    }

    @Override
    public M train(Dataset<T> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public M train(Dataset<T> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        return fit(examples, null, runProvenance, invocationCount);
    }

    /**
     * Trains with an explicit validation set (for monitoring and early stopping); its provenance is recorded in
     * the model's run provenance under {@value #VALIDATION_PROVENANCE}. Its examples are never trained on.
     * @param examples the training data.
     * @param validation the validation data (outputs must be in the training domain).
     * @return the model.
     */
    public M train(Dataset<T> examples, Dataset<T> validation) {
        return train(examples, validation, Collections.emptyMap());
    }

    /**
     * Trains with an explicit validation set and extra run provenance.
     * @param examples the training data.
     * @param validation the validation data.
     * @param runProvenance extra provenance to record in the model.
     * @return the model.
     */
    public M train(Dataset<T> examples, Dataset<T> validation, Map<String, Provenance> runProvenance) {
        return train(examples, validation, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    /**
     * Trains with an explicit validation set, setting the invocation count first (as Tribuo's
     * {@code train(examples, runProvenance, invocationCount)} does), so a model can be re-created exactly.
     * @param examples the training data.
     * @param validation the validation data.
     * @param runProvenance extra provenance to record in the model.
     * @param invocationCount the invocation count to start from, or {@code INCREMENT_INVOCATION_COUNT} to go on.
     * @return the model.
     */
    public M train(Dataset<T> examples, Dataset<T> validation, Map<String, Provenance> runProvenance, int invocationCount) {
        if (validationFraction > 0) {
            throw new IllegalArgumentException("validationFraction is " + validationFraction
                    + " but an explicit validation dataset was given; set validationFraction to 0 to use it");
        }
        return fit(examples, validation, runProvenance, invocationCount);
    }

    /** One training run: random streams, checks, data, input transform, network, epoch loop, model. */
    private M fit(Dataset<T> examples, @Nullable Dataset<T> validation, Map<String, Provenance> runProvenance,
                  int invocationCount) {
        SplittableRandom localRNG;
        TrainerProvenance trainerProvenance;
        synchronized (this) {
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                setInvocationCount(invocationCount);
            }
            localRNG = rng.split();
            trainerProvenance = getProvenance();
            trainInvocationCounter++;
        }
        SplittableRandom splitRng = localRNG.split();
        SplittableRandom initRng = localRNG.split();
        SplittableRandom shuffleRng = localRNG.split();
        SplittableRandom dropoutRng = localRNG.split();
        SplittableRandom augmentRng = localRNG.split();
        SplittableRandom noiseRng = localRNG.split(); // after the five above, so that existing models keep their draws
        SplittableRandom erasingRng = localRNG.split();
        SplittableRandom mixUpRng = localRNG.split();

        ImmutableFeatureMap fmap = examples.getFeatureIDMap();
        OutputHead<T> head = head(examples.getOutputIDInfo());
        RunChecks.checkTrainable(examples, head);
        int[] pixelOf = geometry == null ? null : PixelFeatures.indices(geometry, fmap); // a mismatch fails before costly work
        Monitor monitor = earlyStopping == null ? null : earlyStopping.getMonitor();
        Blas blas = Backends.get(numThreads == 0 ? Runtime.getRuntime().availableProcessors() : numThreads);
        double density = density(examples);
        boolean sparse = resolveInputKind(density, Logger.getLogger(getClass().getName())) == InputKind.SPARSE;
        TrainingSplit<T> data = TrainingSplit.prepare(examples, validation, validationFraction, splitRng,
                FeatureIndex.of(fmap), head, sparse);
        if (monitor != null && monitor.needsValidation() && data.validation == null) {
            throw new IllegalArgumentException("Early stopping monitors '" + monitor.getKey() + "' but there is no "
                    + "validation data: set validationFraction > 0 or call train(train, validation)");
        }
        Monitor plateauMonitor = reduceLROnPlateau == null ? null : reduceLROnPlateau.getMonitor();
        if (plateauMonitor != null && plateauMonitor.needsValidation() && data.validation == null) {
            throw new IllegalArgumentException("ReduceLROnPlateau monitors '" + plateauMonitor.getKey() + "' but there "
                    + "is no validation data: set validationFraction > 0 or call train(train, validation)");
        }
        boolean transformed = augmentation != null && !augmentation.isIdentity();
        boolean augmented = transformed || randomErasing != null;
        InputTransform inputTransform = data.standardize(standardization, augmented, blas);
        if (inputTransform != null) {
            String[] names = RunChecks.featureNames(fmap);
            if (!augmented) {
                data.train.requireFinite("training example", names, "after the input transform");
            }
            if (data.validation != null) {
                data.validation.rows().requireFinite("validation example", names, "after the input transform");
            }
        }
        if (inputTransform == null) {
            RunChecks.warnIfUnscaled(data.train, fmap, Logger.getLogger(getClass().getName()));
        }
        BatchSource inputs = augmented ? new AugmentedRows((DenseRows) data.train, transformed ? augmentation.newAugmenter(geometry) : null,
                randomErasing, geometry, erasingRng, pixelOf, inputTransform, augmentRng, blas) : data.train;

        ModelProvenance provenance = new ModelProvenance(modelClassName(), OffsetDateTime.now(),
                examples.getProvenance(), trainerProvenance, runProvenance(runProvenance, validation, blas, sparse, density));
        // A minibatch never holds more rows than the training data (Keras semantics), so buffers are sized by both.
        int batchSize = Math.min(minibatchSize, data.train.rows());
        RunChecks.warnIfFewSteps(data.train.rows(), batchSize, epochs, Logger.getLogger(getClass().getName()));
        List<LayerSpec> specs = layerSpecs(fmap.size(), head.units());
        RunChecks.checkMemory(specs, batchSize);
        Network net = Network.initialise(inputDropout, specs, weightInit, initRng);
        NetworkTrainer steps = new NetworkTrainer(net, batchSize, blas, updater(net), head.loss(), dropoutRng,
                new Noise(inputGaussianNoise, inputGaussianDropout), noiseRng, sparse);
        if (mixUpAlpha() > 0) {
            steps.enableMixUp(new MixUp(mixUpAlpha()), mixUpRng, batchSize);
        }
        EpochEvaluator<T> evaluator = new EpochEvaluator<>(head, net, steps, data.validation, monitor, plateauMonitor, blas);
        TrainingLoop loop = new TrainingLoop(net, steps, inputs, data.trainTargets, evaluator, earlyStopping,
                reduceLROnPlateau, listeners, epochs, batchSize, shuffle, shuffleRng, data.train.maxAbs(),
                Logger.getLogger(getClass().getName()));
        TrainingHistory history;
        if (backupAndRestore == null) {
            history = loop.run();
        } else {
            try (TrainingBackup backup = TrainingBackup.open(backupAndRestore, trainerProvenance, blas, data,
                    Logger.getLogger(getClass().getName()))) {
                history = loop.withBackup(backup).run();
            }
        }
        return model(provenance, fmap, head, inputTransform, net, history);
    }

    /** The optimiser's fresh state for the network, following the learning-rate schedule if there is one. */
    private Updater updater(Network net) {
        Updater plain = optimiser.createUpdater(NetworkTrainer.parameterSizes(net));
        if (learningRateSchedule == null) {
            return plain;
        }
        LearningRateSchedule schedule = learningRateSchedule;
        double initial = plain.learningRate();
        return Updaters.scheduled(plain, step -> schedule.learningRate(step, initial));
    }

    /** @return MixUp's α for this output type's training batches, 0 for none (classification offers MixUp). */
    double mixUpAlpha() {
        return 0;
    }

    /** @return the class name recorded as the model's in its provenance. */
    abstract String modelClassName();

    private static Map<String, Provenance> runProvenance(Map<String, Provenance> given, @Nullable Dataset<?> validation,
                                                         Blas blas, boolean sparse, double density) {
        Map<String, Provenance> runProv = new HashMap<>(given);
        runProv.put(INPUT_KIND_PROVENANCE, new StringProvenance(INPUT_KIND_PROVENANCE,
                (sparse ? InputKind.SPARSE : InputKind.DENSE).name()));
        runProv.put(INPUT_DENSITY_PROVENANCE, new DoubleProvenance(INPUT_DENSITY_PROVENANCE, density));
        runProv.put(BLAS_PROVENANCE, new StringProvenance(BLAS_PROVENANCE, blas.name()));
        runProv.put(THREADS_PROVENANCE, new IntProvenance(THREADS_PROVENANCE, blas.threads()));
        if (validation != null) {
            runProv.put(VALIDATION_PROVENANCE, validation.getProvenance());
        }
        return runProv;
    }

    /** The kernels' description of the network: the hidden layers, then a linear output layer for the head. */
    private List<LayerSpec> layerSpecs(int inputs, int outputs) {
        List<LayerSpec> specs = new ArrayList<>();
        int in = inputs;
        for (Layer l : hiddenLayers) {
            specs.add(l.spec(in));
            in = l.getUnits();
        }
        specs.add(LayerSpec.dense(in, outputs, Activation.LINEAR).withKernelPenalty(Regularizer.active(outputRegularizer)));
        return specs;
    }

    @Override
    public int getInvocationCount() {
        return trainInvocationCounter;
    }

    @Override
    public synchronized void setInvocationCount(int invocationCount) {
        if (invocationCount < 0) {
            throw new IllegalArgumentException("The supplied invocationCount is less than zero.");
        }
        rng = new SplittableRandom(seed);
        for (trainInvocationCounter = 0; trainInvocationCounter < invocationCount; trainInvocationCounter++) {
            rng.split();
        }
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    /** @return the input dropout rate. */
    public double getInputDropout() {
        return inputDropout;
    }

    /** @return the standard deviation of the Gaussian noise added to the inputs in training, 0 for none. */
    public double getInputGaussianNoise() {
        return inputGaussianNoise;
    }

    /** @return the rate of multiplicative Gaussian noise on the inputs in training, 0 for none. */
    public double getInputGaussianDropout() {
        return inputGaussianDropout;
    }

    /** @return the output layer's kernel penalty, or null. */
    public @Nullable Regularizer getOutputRegularizer() {
        return outputRegularizer;
    }

    /** @return the optimiser configuration. */
    public Optimiser getOptimiser() {
        return optimiser;
    }

    /** @return the learning-rate schedule, or null. */
    public @Nullable LearningRateSchedule getLearningRateSchedule() {
        return learningRateSchedule;
    }

    /** @return the ReduceLROnPlateau configuration, or null. */
    public @Nullable ReduceLROnPlateau getReduceLROnPlateau() {
        return reduceLROnPlateau;
    }

    /** @return the kernel initialisation scheme. */
    public WeightInit getWeightInit() {
        return weightInit;
    }

    /** @return whether the training rows are shuffled every epoch. */
    public boolean getShuffle() {
        return shuffle;
    }

    /** @return the configured BLAS thread count (0 = every available processor). */
    public int getNumThreads() {
        return numThreads;
    }

    /** @return the geometry of the training images (required for augmentation), or null if not given. */
    public @Nullable ImageGeometry getImageGeometry() {
        return geometry;
    }

    /** @return the hidden layers (unmodifiable). */
    public List<Layer> getHiddenLayers() {
        return Collections.unmodifiableList(hiddenLayers);
    }

    /** @return the early-stopping configuration, or null. */
    public @Nullable EarlyStopping getEarlyStopping() {
        return earlyStopping;
    }

    /** @return the maximum number of epochs. */
    public int getEpochs() {
        return epochs;
    }

    /** @return the minibatch size. */
    public int getMinibatchSize() {
        return minibatchSize;
    }

    /** @return the seed. */
    public long getSeed() {
        return seed;
    }

    /** @return the per-epoch augmentation, or null. */
    public @Nullable Augmentation getAugmentation() {
        return augmentation;
    }

    /** @return the random erasing of training images, or null. */
    public @Nullable RandomErasing getRandomErasing() {
        return randomErasing;
    }

    /** @return the input standardization, or null. */
    public @Nullable Standardization getStandardization() {
        return standardization;
    }

    /** @return the crash-safe backup configuration, or null. */
    public @Nullable BackupAndRestore getBackupAndRestore() {
        return backupAndRestore;
    }

    /** @return the configured input kind. */
    public InputKind getInputKind() {
        return inputKind;
    }

    /** @return the validation fraction. */
    public double getValidationFraction() {
        return validationFraction;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(hiddenLayers=" + hiddenLayers + ",inputDropout=" + inputDropout
                + ",inputGaussianNoise=" + inputGaussianNoise + ",inputGaussianDropout=" + inputGaussianDropout
                + ",outputRegularizer=" + outputRegularizer + ",optimiser=" + optimiser + ",learningRateSchedule="
                + learningRateSchedule + ",reduceLROnPlateau=" + reduceLROnPlateau + ",weightInit=" + weightInit
                + ",epochs=" + epochs + ",minibatchSize=" + minibatchSize + ",shuffle=" + shuffle + ",seed=" + seed
                + ",validationFraction=" + validationFraction + ",earlyStopping=" + earlyStopping + ",augmentation="
                + augmentation + ",randomErasing=" + randomErasing + ",imageGeometry=" + imageGeometry + ",standardization=" + standardization
                + ",numThreads=" + numThreads + ",inputKind=" + inputKind
                + (backupAndRestore == null ? "" : ",backupAndRestore=" + backupAndRestore) + ")";
    }
}
