package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import dev.regula.augment.Augmentation;
import dev.regula.augment.Standardization;
import dev.regula.data.ImageGeometry;
import dev.regula.mlp.optimisers.Optimiser;
import dev.regula.nn.WeightInit;
import org.jspecify.annotations.Nullable;

/**
 * Fluent configuration shared by the trainers of every output type. The builder sets each value directly on the
 * trainer it will return; {@link #build()} validates them all ({@code postConfig()}, the single place values are
 * checked) and hands the trainer over. A builder may go on after {@code build()}: it then configures a copy of
 * what it built, so trainers already built never change.
 *
 * @param <R> the trainer type.
 * @param <B> the concrete builder type, returned by every setter.
 */
public abstract class MLPTrainerBuilder<R extends AbstractMLPTrainer<?, ?>, B extends MLPTrainerBuilder<R, B>> {
    private @Nullable R trainer;
    private @Nullable R built;

    /**
     * @param trainer the unconfigured trainer this builder configures and returns.
     */
    protected MLPTrainerBuilder(R trainer) {
        this.trainer = trainer;
    }

    /** @return this builder, typed as the concrete builder. */
    protected abstract B self();

    /** The trainer being configured: after a build, a copy of the last one built. */
    @SuppressWarnings("unchecked")
    R t() {
        if (trainer == null) {
            trainer = (R) built.copyConfiguration();
        }
        return trainer;
    }

    /**
     * Appends a hidden layer.
     * @param layer the layer.
     * @return this builder.
     */
    public B addLayer(Layer layer) {
        t().hiddenLayers.add(layer.copy());
        return self();
    }

    /**
     * Appends {@code count} identical hidden layers.
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
     * Sets the kernel initialisation.
     * @param init the scheme.
     * @return this builder.
     */
    public B weightInit(WeightInit init) {
        t().weightInit = init;
        return self();
    }

    /**
     * Sets the maximum number of epochs.
     * @param epochs the epochs, &gt;= 1.
     * @return this builder.
     */
    public B epochs(int epochs) {
        t().epochs = epochs;
        return self();
    }

    /**
     * Sets the minibatch size.
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
     * Sets early stopping.
     * @param earlyStopping the configuration, or null for none.
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
     * Sets the input normalization / ZCA whitening, fitted on the training split and baked into the model.
     * @param standardization the specification, or null for none.
     * @return this builder.
     */
    public B standardization(@Nullable Standardization standardization) {
        t().standardization = standardization;
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
        out.postConfig();
        built = out;
        trainer = null;
        return out;
    }
}
