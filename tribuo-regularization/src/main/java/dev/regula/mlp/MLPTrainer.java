package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import dev.regula.augment.Augmentation;
import dev.regula.augment.FittedStandardization;
import dev.regula.augment.Standardization;
import dev.regula.data.ImageGeometry;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.mlp.optimisers.Optimiser;
import dev.regula.nn.Activation;
import dev.regula.nn.Backends;
import dev.regula.nn.Blas;
import dev.regula.nn.LayerSpec;
import dev.regula.nn.Network;
import dev.regula.nn.NetworkTrainer;
import dev.regula.nn.WeightInit;
import org.jspecify.annotations.Nullable;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
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
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Trains a feed-forward network (multi-layer perceptron) classifier with softmax cross-entropy, minibatch
 * gradient descent, L1/L2 penalties with Keras semantics, max-norm constraints, inverted dropout and early
 * stopping on validation data.
 * <p>
 * Every hyper-parameter is an OLCUT {@code @Config} field, so a model's provenance fully determines its training:
 * the same configuration, data, seed and BLAS thread count give bit-identical weights. Matrix products run in
 * float32 on native OpenBLAS (or the pure-Java fallback); see {@link Backends}.
 * <p>
 * Each call to {@code train} draws an independent random stream from the trainer's seeded RNG (Tribuo's
 * invocation-count idiom) and splits it into separate streams for the validation split, initialisation,
 * shuffling and dropout, so variants that differ in one technique share everything else.
 */
public final class MLPTrainer implements Trainer<Label> {
    private static final Logger logger = Logger.getLogger(MLPTrainer.class.getName());

    /** Run-provenance key of the BLAS backend used. */
    public static final String BLAS_PROVENANCE = "regula-blas";
    /** Run-provenance key of the BLAS thread count used. */
    public static final String THREADS_PROVENANCE = "regula-blas-threads";
    /** Run-provenance key of an explicit validation dataset's provenance. */
    public static final String VALIDATION_PROVENANCE = "validation-dataset";
    /** Largest accepted {@code numThreads}: each thread is a started, spinning worker. */
    public static final int MAX_THREADS = 1024;
    private static final String GEOMETRY_REQUIRED = "imageGeometry (e.g. 28x28x1) is required when augmentation is set";

    @Config(description = "Hidden layers, input side first. Empty gives multinomial logistic regression.")
    private List<Layer> hiddenLayers = new ArrayList<>();

    @Config(description = "Rate of inverted dropout applied to the inputs in training, in [0, 1).")
    private double inputDropout = 0.0;

    @Config(description = "Penalty on the output layer's kernel; none if unset.")
    private @Nullable Regularizer outputRegularizer;

    @Config(description = "Optimiser (default Adam with Keras defaults).")
    private Optimiser optimiser = new Adam();

    @Config(description = "Kernel initialisation: GLOROT_UNIFORM (Keras default) or HE_UNIFORM. Biases start at 0.")
    private WeightInit weightInit = WeightInit.GLOROT_UNIFORM;

    @Config(description = "Maximum number of passes over the training data, >= 1.")
    private int epochs = 10;

    @Config(description = "Minibatch size, >= 1.")
    private int minibatchSize = 128;

    @Config(description = "Shuffle the training data before every epoch.")
    private boolean shuffle = true;

    @Config(description = "Seed of the trainer's random number generator.")
    private long seed = Trainer.DEFAULT_SEED;

    @Config(description = "Fraction of the training data held out (stratified by label, seeded) for validation, in [0, 1).")
    private double validationFraction = 0.0;

    @Config(description = "Early stopping; none if unset.")
    private @Nullable EarlyStopping earlyStopping;

    @Config(description = "Random image transforms drawn afresh for every training example in every epoch "
            + "(Keras ImageDataGenerator.flow); needs imageGeometry. Validation data is never augmented.")
    private @Nullable Augmentation augmentation;

    @Config(description = "Image geometry WIDTHxHEIGHTxCHANNELS (e.g. 28x28x1) of the features, which must be "
            + "named by flat pixel index as IDXDataSource names them; required with augmentation. Checked against "
            + "the feature names before training and recorded in the model's provenance (MLPModel.getImageGeometry).")
    private @Nullable String imageGeometry;

    @Config(description = "Input normalization / ZCA whitening fitted on the training split only and baked into the "
            + "model as a fixed first step, so the model predicts on raw examples.")
    private @Nullable Standardization standardization;

    @Config(description = "BLAS threads; 0 uses every available processor. Results are bit-identical for a fixed count.")
    private int numThreads = 0;

    private SplittableRandom rng;
    private int trainInvocationCounter;
    private final transient List<EpochListener> epochListeners = new CopyOnWriteArrayList<>();
    private final transient List<BatchListenerEntry> batchListeners = new CopyOnWriteArrayList<>();

    /** For OLCUT. */
    private MLPTrainer() {}

    /**
     * Starts a trainer configuration with the defaults: no hidden layer, Adam, 10 epochs, batch 128.
     * @return a builder.
     */
    public static Builder builder() {
        return new Builder();
    }

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
        if (!(inputDropout >= 0 && inputDropout < 1)) {
            throw new PropertyException("", "inputDropout", "inputDropout must be in [0, 1), found " + inputDropout);
        }
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
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new PropertyException("", "validationFraction", "validationFraction must be in [0, 1), found " + validationFraction);
        }
        if (augmentation != null && imageGeometry == null) {
            throw new PropertyException("", "imageGeometry", GEOMETRY_REQUIRED);
        }
        if (imageGeometry != null) {
            try {
                ImageGeometry.parse(imageGeometry);
            } catch (IllegalArgumentException e) {
                throw new PropertyException(e, "", "imageGeometry", e.getMessage());
            }
        }
        if (numThreads < 0 || numThreads > MAX_THREADS) {
            throw new PropertyException("", "numThreads", "numThreads must be in [0, " + MAX_THREADS
                    + "] (0 = all processors), found " + numThreads);
        }
        rng = new SplittableRandom(seed);
    }

    /**
     * Adds a listener called after every epoch. Listeners are not configuration and cannot change the result.
     * @param listener the listener.
     */
    public void addEpochListener(EpochListener listener) {
        epochListeners.add(listener);
    }

    /**
     * Adds a listener called every {@code everyBatches} minibatches.
     * @param everyBatches the interval in batches, &gt;= 1.
     * @param listener the listener.
     */
    public void addBatchListener(int everyBatches, BatchListener listener) {
        if (everyBatches < 1) {
            throw new IllegalArgumentException("everyBatches must be >= 1, found " + everyBatches);
        }
        batchListeners.add(new BatchListenerEntry(everyBatches, listener));
    }

    @Override
    public MLPModel train(Dataset<Label> examples) {
        return train(examples, Collections.emptyMap());
    }

    @Override
    public MLPModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public MLPModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        return fit(examples, null, runProvenance, invocationCount);
    }

    /**
     * Trains with an explicit validation set (for monitoring and early stopping); its provenance is recorded in
     * the model's run provenance under {@value #VALIDATION_PROVENANCE}. Its examples are never trained on.
     * @param examples the training data.
     * @param validation the validation data (labels must be among the training labels).
     * @return the model.
     */
    public MLPModel train(Dataset<Label> examples, Dataset<Label> validation) {
        return train(examples, validation, Collections.emptyMap());
    }

    /**
     * Trains with an explicit validation set and extra run provenance.
     * @param examples the training data.
     * @param validation the validation data.
     * @param runProvenance extra provenance to record in the model.
     * @return the model.
     */
    public MLPModel train(Dataset<Label> examples, Dataset<Label> validation, Map<String, Provenance> runProvenance) {
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
    public MLPModel train(Dataset<Label> examples, Dataset<Label> validation, Map<String, Provenance> runProvenance,
                          int invocationCount) {
        if (validationFraction > 0) {
            throw new IllegalArgumentException("validationFraction is " + validationFraction
                    + " but an explicit validation dataset was given; set validationFraction to 0 to use it");
        }
        return fit(examples, validation, runProvenance, invocationCount);
    }

    private MLPModel fit(Dataset<Label> examples, @Nullable Dataset<Label> validation,
                         Map<String, Provenance> runProvenance, int invocationCount) {
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

        ImmutableFeatureMap fmap = examples.getFeatureIDMap();
        ImmutableOutputInfo<Label> labels = examples.getOutputIDInfo();
        checkTrainable(examples, labels);
        if (imageGeometry != null) {
            dev.regula.data.PixelFeatures.indices(ImageGeometry.parse(imageGeometry), fmap); // fail on a geometry mismatch before any costly preparation
        }
        int threads = numThreads == 0 ? Runtime.getRuntime().availableProcessors() : numThreads;
        Blas blas = Backends.get(threads);
        TrainingData data = TrainingData.prepare(examples, validation, validationFraction, splitRng, fmap, labels);
        FittedStandardization inputTransform = data.standardize(standardization, augmentation == null, blas);
        if (augmentation != null && !augmentation.isIdentity()) {
            data.augmentEveryEpoch(augmentation, ImageGeometry.parse(imageGeometry), fmap, augmentRng, blas);
        }
        Monitor monitor = earlyStopping == null ? null : earlyStopping.getMonitor();
        if (monitor != null && monitor.needsValidation() && data.validation == null) {
            throw new IllegalArgumentException("Early stopping monitors '" + monitor.getKey() + "' but there is no "
                    + "validation data: set validationFraction > 0 or call train(train, validation)");
        }

        Map<String, Provenance> runProv = new HashMap<>(runProvenance);
        runProv.put(BLAS_PROVENANCE, new StringProvenance(BLAS_PROVENANCE, blas.name()));
        runProv.put(THREADS_PROVENANCE, new IntProvenance(THREADS_PROVENANCE, blas.threads()));
        if (validation != null) {
            runProv.put(VALIDATION_PROVENANCE, validation.getProvenance());
        }
        ModelProvenance provenance = new ModelProvenance(MLPModel.class.getName(), OffsetDateTime.now(),
                examples.getProvenance(), trainerProvenance, runProv);

        Network net = Network.initialise(inputDropout, layerSpecs(fmap.size(), labels.size()), weightInit, initRng);
        // A minibatch never holds more rows than the training data (Keras semantics), so buffers are sized by both.
        NetworkTrainer steps = new NetworkTrainer(net, Math.min(minibatchSize, data.train.rows), blas, optimiser.createUpdater(
                NetworkTrainer.parameterSizes(net)), dropoutRng);
        TrainingHistory history = runEpochs(net, steps, data, shuffleRng, blas, monitor, provenance, fmap, labels);
        return new MLPModel("mlp-model", provenance, fmap, labels, inputTransform, net, history);
    }

    /** The epoch loop: shuffle, step through minibatches, evaluate, record, and consult early stopping. */
    private TrainingHistory runEpochs(Network net, NetworkTrainer steps, TrainingData data, SplittableRandom shuffleRng,
                                      Blas blas, @Nullable Monitor monitor, ModelProvenance provenance,
                                      ImmutableFeatureMap fmap, ImmutableOutputInfo<Label> labels) {
        EarlyStopping.Tracker tracker = earlyStopping == null ? null : earlyStopping.newTracker();
        Network best = null;
        List<EpochRecord> records = new ArrayList<>();
        StopReason reason = StopReason.COMPLETED;
        String message = "completed all " + epochs + " epochs";
        int[] order = TrainingData.identity(data.train.rows);
        int batchSize = Math.min(minibatchSize, data.train.rows); // same batches; buffers no larger than the data
        float[] batchX = new float[batchSize * data.train.cols];
        int[] batchY = new int[batchSize];
        int batches = (data.train.rows + batchSize - 1) / batchSize;
        Network initial = net.copy(); // to notice a first epoch that changed nothing
        for (int epoch = 1; epoch <= epochs && reason == StopReason.COMPLETED; epoch++) {
            long start = System.nanoTime();
            if (shuffle) {
                TrainingData.shuffle(order, shuffleRng);
            }
            steps.resetEpochStatistics();
            for (int b = 0; b < batches; b++) {
                int rows = data.fillBatch(order, b * batchSize, batchSize, batchX, batchY);
                double loss = steps.step(batchX, batchY, rows);
                if (!Double.isFinite(loss)) {
                    reason = StopReason.DIVERGED;
                    message = "loss became " + loss + " at epoch " + epoch + ", batch " + (b + 1) + " of " + batches;
                    break;
                }
                notifyBatch(epoch, b + 1, batches, steps);
            }
            if (reason == StopReason.DIVERGED) {
                break;
            }
            if (epoch == 1) {
                warnIfUnchanged(initial, net, steps.learningRate());
            }
            EpochRecord record = data.evaluate(epoch, steps, net, blas, monitor, provenance, fmap, labels,
                    (System.nanoTime() - start) / 1e9);
            records.add(record);
            notifyEpoch(record);
            if (tracker != null) {
                EarlyStopping.Decision decision = tracker.update(epoch, record.monitorValue());
                if (decision == EarlyStopping.Decision.IMPROVED) {
                    best = net.copy();
                } else if (decision == EarlyStopping.Decision.STOP) {
                    reason = StopReason.EARLY_STOPPED;
                    message = "early stopping at epoch " + epoch + ": " + monitor.getKey() + " did not improve for "
                            + tracker.getWait() + " epoch(s); best epoch " + tracker.getBestEpoch();
                }
            }
        }
        boolean restored = false;
        if (reason == StopReason.DIVERGED) {
            if (best == null) {
                String why = earlyStopping == null
                        ? "enable early stopping to keep the best weights"
                        : "early stopping had not yet counted an epoch (it counts epochs after startFromEpoch = "
                                + earlyStopping.getStartFromEpoch() + ")";
                throw new IllegalStateException("Training diverged: " + message + ". No finite model to keep ("
                        + why + "); try a lower learning rate or smaller penalties.");
            }
            logger.warning("Training diverged (" + message + "); keeping the weights of epoch " + tracker.getBestEpoch());
            net.restoreFrom(best);
            restored = true;
        } else if (best != null && earlyStopping.isRestoreBestWeights()) {
            net.restoreFrom(best);
            restored = true;
        }
        logger.info("MLPTrainer: " + message);
        return new TrainingHistory(records, monitor == null ? null : monitor.getKey(),
                tracker == null ? 0 : tracker.getBestEpoch(), reason, message, restored, epochs);
    }

    /**
     * Logs a warning when a whole epoch left every kernel weight as it was: a step size below float32's resolution
     * of the weights (a learning rate such as 1e-20) or gradients that are all zero train nothing, silently
     * otherwise. (Biases start at 0, where any step is representable, so they do not tell.)
     */
    private static void warnIfUnchanged(Network before, Network after, double learningRate) {
        for (int l = 0; l < after.getLayers().size(); l++) {
            if (!Arrays.equals(before.getKernel(l), after.getKernel(l))) {
                return;
            }
        }
        logger.warning("MLPTrainer: the first epoch changed no kernel weight; the learning rate " + learningRate
                + " may be too small to move float32 weights, or every gradient was zero");
    }

    private void notifyBatch(int epoch, int batch, int batches, NetworkTrainer steps) {
        for (BatchListenerEntry e : batchListeners) {
            if (batch % e.every == 0 || batch == batches) {
                e.listener.onBatchEnd(epoch, batch, batches, steps.epochCrossEntropy() + steps.epochPenalty());
            }
        }
    }

    private void notifyEpoch(EpochRecord r) {
        if (logger.isLoggable(Level.INFO)) {
            logger.info(String.format(java.util.Locale.ROOT,
                    "epoch %d/%d: loss=%.4f accuracy=%.4f val_loss=%.4f val_accuracy=%.4f (%.2f s)",
                    r.epoch(), epochs, r.loss(), r.accuracy(), r.valLoss(), r.valAccuracy(), r.seconds()));
        }
        for (EpochListener l : epochListeners) {
            l.onEpochEnd(r);
        }
    }

    private List<LayerSpec> layerSpecs(int inputs, int outputs) {
        List<LayerSpec> specs = new ArrayList<>();
        int in = inputs;
        for (Layer l : hiddenLayers) {
            Regularizer k = l.getKernelRegularizer();
            Regularizer b = l.getBiasRegularizer();
            specs.add(new LayerSpec(in, l.getUnits(), l.getActivation(), l.getDropout(),
                    k == null ? 0 : k.getL1(), k == null ? 0 : k.getL2(),
                    b == null ? 0 : b.getL1(), b == null ? 0 : b.getL2(), l.getMaxNorm()));
            in = l.getUnits();
        }
        Regularizer o = outputRegularizer;
        specs.add(new LayerSpec(in, outputs, Activation.LINEAR, 0, o == null ? 0 : o.getL1(), o == null ? 0 : o.getL2(),
                0, 0, 0));
        return specs;
    }

    private static void checkTrainable(Dataset<Label> examples, ImmutableOutputInfo<Label> labels) {
        if (examples.size() == 0) {
            throw new IllegalArgumentException("Cannot train on an empty dataset");
        }
        if (examples.getFeatureIDMap().size() == 0) {
            throw new IllegalArgumentException("Cannot train on a dataset with no features");
        }
        if (labels.getUnknownCount() > 0) {
            throw new IllegalArgumentException("The training data has " + labels.getUnknownCount()
                    + " examples with the unknown label; MLPTrainer needs every example labelled");
        }
        if (labels.size() < 2) {
            throw new IllegalArgumentException("The training data has only " + labels.size() + " label ("
                    + labels.getDomain() + "); a classifier needs at least 2");
        }
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

    /** @return the output layer's kernel penalty, or null. */
    public @Nullable Regularizer getOutputRegularizer() {
        return outputRegularizer;
    }

    /** @return the optimiser configuration. */
    public Optimiser getOptimiser() {
        return optimiser;
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
        return imageGeometry == null ? null : ImageGeometry.parse(imageGeometry);
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

    /** @return the input standardization, or null. */
    public @Nullable Standardization getStandardization() {
        return standardization;
    }

    /** @return the validation fraction. */
    public double getValidationFraction() {
        return validationFraction;
    }

    @Override
    public String toString() {
        return "MLPTrainer(hiddenLayers=" + hiddenLayers + ",inputDropout=" + inputDropout + ",outputRegularizer="
                + outputRegularizer + ",optimiser=" + optimiser + ",weightInit=" + weightInit + ",epochs=" + epochs
                + ",minibatchSize=" + minibatchSize + ",shuffle=" + shuffle + ",seed=" + seed + ",validationFraction="
                + validationFraction + ",earlyStopping=" + earlyStopping + ",augmentation=" + augmentation
                + ",imageGeometry=" + imageGeometry + ",standardization=" + standardization + ",numThreads=" + numThreads + ")";
    }

    private static final class BatchListenerEntry {
        final int every;
        final BatchListener listener;

        BatchListenerEntry(int every, BatchListener listener) {
            this.every = every;
            this.listener = listener;
        }
    }

    /**
     * Fluent configuration of an {@link MLPTrainer}; {@link #build()} validates every value.
     */
    public static final class Builder {
        private final MLPTrainer t = new MLPTrainer();
        private final List<EpochListener> epochListeners = new ArrayList<>();
        private final List<BatchListenerEntry> batchListeners = new ArrayList<>();

        private Builder() {}

        /**
         * Appends a hidden layer.
         * @param layer the layer.
         * @return this builder.
         */
        public Builder addLayer(Layer layer) {
            t.hiddenLayers.add(layer.copy());
            return this;
        }

        /**
         * Appends {@code count} identical hidden layers.
         * @param count the number of layers, &gt;= 1.
         * @param layer the layer configuration.
         * @return this builder.
         */
        public Builder addLayers(int count, Layer layer) {
            if (count < 1) {
                throw new IllegalArgumentException("count must be >= 1, found " + count);
            }
            for (int i = 0; i < count; i++) {
                t.hiddenLayers.add(layer.copy());
            }
            return this;
        }

        /**
         * Sets input dropout.
         * @param rate the rate in [0, 1).
         * @return this builder.
         */
        public Builder inputDropout(double rate) {
            t.inputDropout = rate;
            return this;
        }

        /**
         * Sets the output layer's kernel penalty.
         * @param regularizer the penalty, or null for none.
         * @return this builder.
         */
        public Builder outputRegularizer(@Nullable Regularizer regularizer) {
            t.outputRegularizer = regularizer;
            return this;
        }

        /**
         * Sets the optimiser.
         * @param optimiser the optimiser.
         * @return this builder.
         */
        public Builder optimiser(Optimiser optimiser) {
            t.optimiser = optimiser;
            return this;
        }

        /**
         * Sets the kernel initialisation.
         * @param init the scheme.
         * @return this builder.
         */
        public Builder weightInit(WeightInit init) {
            t.weightInit = init;
            return this;
        }

        /**
         * Sets the maximum number of epochs.
         * @param epochs the epochs, &gt;= 1.
         * @return this builder.
         */
        public Builder epochs(int epochs) {
            t.epochs = epochs;
            return this;
        }

        /**
         * Sets the minibatch size.
         * @param size the size, &gt;= 1.
         * @return this builder.
         */
        public Builder minibatchSize(int size) {
            t.minibatchSize = size;
            return this;
        }

        /**
         * Sets whether to shuffle every epoch.
         * @param shuffle true to shuffle.
         * @return this builder.
         */
        public Builder shuffle(boolean shuffle) {
            t.shuffle = shuffle;
            return this;
        }

        /**
         * Sets the seed.
         * @param seed the seed.
         * @return this builder.
         */
        public Builder seed(long seed) {
            t.seed = seed;
            return this;
        }

        /**
         * Sets the fraction held out for validation.
         * @param fraction the fraction in [0, 1).
         * @return this builder.
         */
        public Builder validationFraction(double fraction) {
            t.validationFraction = fraction;
            return this;
        }

        /**
         * Sets early stopping.
         * @param earlyStopping the configuration, or null for none.
         * @return this builder.
         */
        public Builder earlyStopping(@Nullable EarlyStopping earlyStopping) {
            t.earlyStopping = earlyStopping;
            return this;
        }

        /**
         * Sets per-epoch augmentation of training images.
         * @param augmentation the random transforms, or null for none.
         * @param geometry the images' geometry (features must be named by flat pixel index).
         * @return this builder.
         */
        public Builder augmentation(@Nullable Augmentation augmentation, ImageGeometry geometry) {
            if (augmentation != null && geometry == null) {
                throw new PropertyException("", "imageGeometry", GEOMETRY_REQUIRED);
            }
            t.augmentation = augmentation;
            if (augmentation != null) {
                t.imageGeometry = geometry.toString();
            }
            return this;
        }

        /**
         * Declares the geometry of the training images without augmenting them: the feature names are checked
         * against it before training, and the model records it, so that images of another geometry can be refused
         * at prediction time ({@link MLPModel#getImageGeometry()}).
         * @param geometry the images' geometry, or null for data that are not images.
         * @return this builder.
         */
        public Builder imageGeometry(@Nullable ImageGeometry geometry) {
            if (geometry == null && t.augmentation != null) {
                throw new PropertyException("", "imageGeometry", GEOMETRY_REQUIRED);
            }
            t.imageGeometry = geometry == null ? null : geometry.toString();
            return this;
        }

        /**
         * Sets the input normalization / ZCA whitening, fitted on the training split and baked into the model.
         * @param standardization the specification, or null for none.
         * @return this builder.
         */
        public Builder standardization(@Nullable Standardization standardization) {
            t.standardization = standardization;
            return this;
        }

        /**
         * Sets the BLAS thread count.
         * @param threads the count, 0 for every available processor.
         * @return this builder.
         */
        public Builder numThreads(int threads) {
            t.numThreads = threads;
            return this;
        }

        /**
         * Adds an epoch listener.
         * @param listener the listener.
         * @return this builder.
         */
        public Builder epochListener(EpochListener listener) {
            epochListeners.add(listener);
            return this;
        }

        /**
         * Adds a batch listener.
         * @param everyBatches the interval in batches, &gt;= 1.
         * @param listener the listener.
         * @return this builder.
         */
        public Builder batchListener(int everyBatches, BatchListener listener) {
            if (everyBatches < 1) {
                throw new IllegalArgumentException("everyBatches must be >= 1, found " + everyBatches);
            }
            batchListeners.add(new BatchListenerEntry(everyBatches, listener));
            return this;
        }

        /**
         * Validates the configuration and creates the trainer.
         * @return the trainer.
         * @throws PropertyException naming the invalid field and its allowed range.
         */
        public MLPTrainer build() {
            MLPTrainer out = new MLPTrainer();
            out.hiddenLayers = new ArrayList<>(t.hiddenLayers);
            out.inputDropout = t.inputDropout;
            out.outputRegularizer = t.outputRegularizer;
            out.optimiser = t.optimiser;
            out.weightInit = t.weightInit;
            out.epochs = t.epochs;
            out.minibatchSize = t.minibatchSize;
            out.shuffle = t.shuffle;
            out.seed = t.seed;
            out.validationFraction = t.validationFraction;
            out.earlyStopping = t.earlyStopping;
            out.augmentation = t.augmentation;
            out.imageGeometry = t.imageGeometry;
            out.standardization = t.standardization;
            out.numThreads = t.numThreads;
            out.postConfig();
            out.epochListeners.addAll(epochListeners);
            out.batchListeners.addAll(batchListeners);
            return out;
        }
    }
}
