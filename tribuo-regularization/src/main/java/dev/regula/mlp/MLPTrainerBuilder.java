package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import dev.regula.augment.Augmentation;
import dev.regula.augment.RandomErasing;
import dev.regula.augment.Standardization;
import dev.regula.data.ImageGeometry;
import dev.regula.mlp.optimisers.Optimiser;
import dev.regula.mlp.schedules.LearningRateSchedule;
import dev.regula.nn.WeightInit;
import org.jspecify.annotations.Nullable;

/**
 * Fluent configuration shared by the trainers of every output type, starting from defaults that train a sound
 * network on any tabular Tribuo data (see {@code docs/mlp.md}, "Defaults", and the constants below): one hidden
 * layer of {@value #DEFAULT_HIDDEN_UNITS} ReLU units, Adam at Keras' defaults, minibatches of
 * {@value #DEFAULT_MINIBATCH_SIZE}, up to {@value #DEFAULT_EPOCHS} epochs stopped when the training loss stops
 * improving by {@value #CONVERGENCE_TOLERANCE} for {@value #CONVERGENCE_PATIENCE} epochs, and feature-wise
 * standardization fitted on the training split and baked into the model. Every default is an ordinary setting:
 * {@link #addLayer} replaces the default hidden layer, {@link #withoutHiddenLayers()} removes it,
 * {@code earlyStopping(null)} and {@code standardization(null)} switch the others off.
 * <p>
 * The trainers' no-argument constructors (used by OLCUT configuration files and by provenance reconstruction) keep
 * the bare field values (no hidden layer, 10 epochs, minibatch 128, no stopping, no standardization), so that a
 * configuration file or a recorded provenance means what it says; the trainer warns when such a configuration
 * runs too few optimiser steps to train.
 * <p>
 * The builder sets each value directly on the
 * trainer it will return; {@link #build()} validates them all ({@code postConfig()}, the single place values are
 * checked) and hands the trainer over. A builder may go on after {@code build()}: it then configures a copy of
 * what it built, so trainers already built never change.
 *
 * @param <R> the trainer type.
 * @param <B> the concrete builder type, returned by every setter.
 */
public abstract class MLPTrainerBuilder<R extends AbstractMLPTrainer<?, ?>, B extends MLPTrainerBuilder<R, B>> {
    /** Units of the default hidden layer (scikit-learn's {@code MLPClassifier} default, {@code (100,)}). */
    public static final int DEFAULT_HIDDEN_UNITS = 100;
    /** Default epoch budget (scikit-learn's {@code max_iter}); the convergence stop usually ends training earlier. */
    public static final int DEFAULT_EPOCHS = 200;
    /** Default minibatch size (Keras' {@code fit} default; a 100-row dataset gets 4 steps per epoch). */
    public static final int DEFAULT_MINIBATCH_SIZE = 32;
    /** Improvement of the training loss below which an epoch counts as no progress (scikit-learn's {@code tol}). */
    public static final double CONVERGENCE_TOLERANCE = 1e-4;
    /** Epochs without progress after which the default training stops (scikit-learn's {@code n_iter_no_change}). */
    public static final int CONVERGENCE_PATIENCE = 10;

    private @Nullable R trainer;
    private @Nullable R built;
    private boolean layersChosen; // false while the default hidden layer applies

    /**
     * @param trainer the unconfigured trainer this builder configures and returns; the builder's defaults are set
     *                on it.
     */
    protected MLPTrainerBuilder(R trainer) {
        this.trainer = trainer;
        trainer.epochs = DEFAULT_EPOCHS;
        trainer.minibatchSize = DEFAULT_MINIBATCH_SIZE;
        trainer.earlyStopping = convergenceStop();
        trainer.standardization = featurewiseStandardization();
    }

    /**
     * The default stopping rule: training loss ({@code loss}, penalty included) not lower than the best so far by
     * more than {@value #CONVERGENCE_TOLERANCE} for {@value #CONVERGENCE_PATIENCE} consecutive epochs; the last
     * epoch's weights are kept (scikit-learn's convergence test; Keras has no default stop).
     * @return a new early-stopping rule.
     */
    public static EarlyStopping convergenceStop() {
        return EarlyStopping.monitoring("loss").minDelta(CONVERGENCE_TOLERANCE).patience(CONVERGENCE_PATIENCE).build();
    }

    /**
     * The default input transform: each feature centred on its training mean and divided by its training standard
     * deviation (+1e-6), scikit-learn's {@code StandardScaler}; fitted on the training split, baked into the model.
     * @return a new standardization.
     */
    public static Standardization featurewiseStandardization() {
        return Standardization.builder().featurewiseCenter(true).featurewiseStdNormalization(true).build();
    }

    /** @return the default hidden layer: {@value #DEFAULT_HIDDEN_UNITS} ReLU units, Glorot-uniform initialised. */
    static Layer defaultHiddenLayer() {
        return Layer.dense(DEFAULT_HIDDEN_UNITS).build();
    }

    /** @return this builder, typed as the concrete builder. */
    protected abstract B self();

    /** The trainer being configured: after a build, a copy of the last one built. */
    @SuppressWarnings("unchecked")
    R t() {
        if (trainer == null) {
            trainer = (R) built.copyConfiguration();
            if (!layersChosen) {
                trainer.hiddenLayers.clear(); // the default layer is re-added by build() unless layers are chosen
            }
        }
        return trainer;
    }

    /**
     * Appends a hidden layer; the first call replaces the default hidden layer.
     * @param layer the layer.
     * @return this builder.
     */
    public B addLayer(Layer layer) {
        t().hiddenLayers.add(layer.copy());
        layersChosen = true;
        return self();
    }

    /**
     * Appends {@code count} identical hidden layers; the first call replaces the default hidden layer.
     * @param count the number of layers, &gt;= 1.
     * @param layer the layer configuration.
     * @return this builder.
     */
    public B addLayers(int count, Layer layer) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, found " + count);
        }
        for (int i = 0; i < count; i++) {
            t().hiddenLayers.add(layer.copy());
        }
        layersChosen = true;
        return self();
    }

    /**
     * Removes every hidden layer, the default one included: the network is then a linear model on its inputs
     * (multinomial logistic regression for classification, linear regression for regression).
     * @return this builder.
     */
    public B withoutHiddenLayers() {
        t().hiddenLayers.clear();
        layersChosen = true;
        return self();
    }

    /**
     * Sets input dropout.
     * @param rate the rate in [0, 1).
     * @return this builder.
     */
    public B inputDropout(double rate) {
        t().inputDropout = rate;
        return self();
    }

    /**
     * Adds zero-mean Gaussian noise to the inputs in training (Keras {@code GaussianNoise(stddev)} as the first
     * layer): {@code x ← x + stddev·n}, n ~ N(0, 1), before input dropout; nothing at inference.
     * @param stddev the standard deviation, finite and &gt;= 0 (0 = none).
     * @return this builder.
     */
    public B inputGaussianNoise(double stddev) {
        t().inputGaussianNoise = stddev;
        return self();
    }

    /**
     * Multiplies the inputs in training by Gaussian noise of mean 1 (Keras {@code GaussianDropout(rate)} as the
     * first layer): {@code x ← x·(1 + s·n)}, s = √(rate / (1 − rate)); nothing at inference.
     * @param rate the rate in [0, 1) (0 = none).
     * @return this builder.
     */
    public B inputGaussianDropout(double rate) {
        t().inputGaussianDropout = rate;
        return self();
    }

    /**
     * Sets the output layer's kernel penalty.
     * @param regularizer the penalty, or null for none.
     * @return this builder.
     */
    public B outputRegularizer(@Nullable Regularizer regularizer) {
        t().outputRegularizer = regularizer;
        return self();
    }

    /**
     * Sets the optimiser.
     * @param optimiser the optimiser.
     * @return this builder.
     */
    public B optimiser(Optimiser optimiser) {
        t().optimiser = optimiser;
        return self();
    }

    /**
     * Sets a learning-rate schedule over the optimiser steps, starting from the optimiser's learning rate
     * (Keras: an optimiser given a {@code LearningRateSchedule}); see {@link dev.regula.mlp.schedules}.
     * @param schedule the schedule, or null for a constant rate; cannot be combined with
     *                 {@link #reduceLROnPlateau}.
     * @return this builder.
     */
    public B learningRateSchedule(@Nullable LearningRateSchedule schedule) {
        t().learningRateSchedule = schedule;
        return self();
    }

    /**
     * Reduces the learning rate when a monitored value stops improving (Keras {@code ReduceLROnPlateau}).
     * @param reduce the configuration, or null for none; cannot be combined with {@link #learningRateSchedule}.
     * @return this builder.
     */
    public B reduceLROnPlateau(@Nullable ReduceLROnPlateau reduce) {
        t().reduceLROnPlateau = reduce;
        return self();
    }

    /**
     * Sets the kernel initialisation.
     * @param init the scheme.
     * @return this builder.
     */
    public B weightInit(WeightInit init) {
        t().weightInit = init;
        return self();
    }

    /**
     * Sets the maximum number of epochs (default {@value #DEFAULT_EPOCHS}).
     * @param epochs the epochs, &gt;= 1.
     * @return this builder.
     */
    public B epochs(int epochs) {
        t().epochs = epochs;
        return self();
    }

    /**
     * Sets the minibatch size (default {@value #DEFAULT_MINIBATCH_SIZE}).
     * @param size the size, &gt;= 1.
     * @return this builder.
     */
    public B minibatchSize(int size) {
        t().minibatchSize = size;
        return self();
    }

    /**
     * Sets whether to shuffle every epoch.
     * @param shuffle true to shuffle.
     * @return this builder.
     */
    public B shuffle(boolean shuffle) {
        t().shuffle = shuffle;
        return self();
    }

    /**
     * Sets the seed.
     * @param seed the seed.
     * @return this builder.
     */
    public B seed(long seed) {
        t().seed = seed;
        return self();
    }

    /**
     * Sets the fraction held out for validation.
     * @param fraction the fraction in [0, 1).
     * @return this builder.
     */
    public B validationFraction(double fraction) {
        t().validationFraction = fraction;
        return self();
    }

    /**
     * Sets early stopping (default {@link #convergenceStop()}).
     * @param earlyStopping the configuration, or null for none: every epoch of the budget then runs.
     * @return this builder.
     */
    public B earlyStopping(@Nullable EarlyStopping earlyStopping) {
        t().earlyStopping = earlyStopping;
        return self();
    }

    /**
     * Sets per-epoch augmentation of training images.
     * @param augmentation the random transforms, or null for none.
     * @param geometry the images' geometry (features must be named by flat pixel index).
     * @return this builder.
     */
    public B augmentation(@Nullable Augmentation augmentation, ImageGeometry geometry) {
        AbstractMLPTrainer.requireGeometry(augmentation, geometry);
        t().augmentation = augmentation;
        if (augmentation != null) {
            t().imageGeometry = geometry.toString();
        }
        return self();
    }

    /**
     * Sets random erasing of training images (torchvision {@code RandomErasing}), applied after the random
     * transforms of {@link #augmentation} if any.
     * @param erasing the erasing, or null for none.
     * @param geometry the images' geometry (features must be named by flat pixel index).
     * @return this builder.
     */
    public B randomErasing(@Nullable RandomErasing erasing, ImageGeometry geometry) {
        t().randomErasing = erasing;
        if (erasing != null) {
            t().imageGeometry = geometry.toString();
        }
        return self();
    }

    /**
     * Declares the geometry of the training images without augmenting them: the feature names are checked
     * against it before training, and the model records it, so that images of another geometry can be refused
     * at prediction time ({@link MLPModel#getImageGeometry()}).
     * @param geometry the images' geometry, or null for data that are not images.
     * @return this builder.
     */
    public B imageGeometry(@Nullable ImageGeometry geometry) {
        AbstractMLPTrainer.requireGeometry(t().augmentation, geometry);
        t().imageGeometry = geometry == null ? null : geometry.toString();
        return self();
    }

    /**
     * Sets the input normalization / ZCA whitening, fitted on the training split and baked into the model
     * (default {@link #featurewiseStandardization()}).
     * @param standardization the specification, or null for none: the network sees the raw feature values.
     * @return this builder.
     */
    public B standardization(@Nullable Standardization standardization) {
        t().standardization = standardization;
        return self();
    }

    /**
     * Sets how inputs are stored and the first layer computed (default {@link InputKind#AUTO}: sparse below 5 %
     * density); see {@code docs/sparse.md}. {@link InputKind#SPARSE} with augmentation, sample-wise normalization
     * or ZCA whitening is refused by {@link #build()}.
     * @param kind the input kind.
     * @return this builder.
     */
    public B inputKind(InputKind kind) {
        t().inputKind = kind;
        return self();
    }

    /**
     * Sets the BLAS thread count.
     * @param threads the count, 0 for every available processor.
     * @return this builder.
     */
    public B numThreads(int threads) {
        t().numThreads = threads;
        return self();
    }

    /**
     * Makes training crash-safe: a backup after every epoch, resumed from by a run of the same configuration and
     * data, deleted at the end (Keras {@code BackupAndRestore}).
     * @param backup the configuration, e.g. {@code BackupAndRestore.inFolder(Path.of("backup"))}, or null for none.
     * @return this builder.
     */
    public B backupAndRestore(@Nullable BackupAndRestore backup) {
        t().backupAndRestore = backup;
        return self();
    }

    /**
     * Adds an epoch listener.
     * @param listener the listener.
     * @return this builder.
     */
    public B epochListener(EpochListener listener) {
        t().addEpochListener(listener);
        return self();
    }

    /**
     * Adds a batch listener.
     * @param everyBatches the interval in batches, &gt;= 1.
     * @param listener the listener.
     * @return this builder.
     */
    public B batchListener(int everyBatches, BatchListener listener) {
        t().addBatchListener(everyBatches, listener);
        return self();
    }

    /**
     * Validates the configuration and returns the trainer.
     * @return the trainer.
     * @throws PropertyException naming the invalid field and its allowed range.
     */
    public R build() {
        R out = t();
        if (!layersChosen && out.hiddenLayers.isEmpty()) {
            out.hiddenLayers.add(defaultHiddenLayer());
        }
        out.postConfig();
        built = out;
        trainer = null;
        return out;
    }
}
