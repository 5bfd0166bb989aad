package dev.regula.experiment;

import dev.regula.augment.Augmentation;
import dev.regula.augment.Standardization;
import dev.regula.data.ImageGeometry;
import dev.regula.mlp.EarlyStopping;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.Regularizer;
import dev.regula.mlp.optimisers.Adam;

/**
 * Builds the trainers of the regularization study. Every variant shares the network (ReLU hidden layers, softmax
 * output sized by the data), Adam, batch size, epochs, seed, BLAS threads and the seeded 70:30 train/validation
 * split made inside the trainer ({@code validationFraction}); each adds one technique:
 * <ul>
 *     <li>{@code baseline}: none;</li>
 *     <li>{@code l2} / {@code l1}: {@code Regularizer.l2(λ)} / {@code l1(λ)} on every hidden kernel;</li>
 *     <li>{@code dropout}: dropout after every hidden layer;</li>
 *     <li>{@code augmented}: rotation ±10°, width/height shifts ±0.1, zoom ±0.1 (and horizontal flips when
 *     {@link StudySettings#isHorizontalFlip()}) drawn afresh every epoch, nothing else;</li>
 *     <li>{@code zca_dropout}: ZCA whitening fitted on the training split and dropout after every hidden layer;</li>
 *     <li>{@code augmented_zca}: rotation ±10°, width/height shifts ±0.1, zoom ±0.1 drawn afresh every epoch,
 *     ZCA whitening fitted on the training split, and dropout after every hidden layer;</li>
 *     <li>{@code early_stopping}: stop when {@code val_accuracy} has not improved for {@code patience} epochs,
 *     at most {@code epochs} epochs, and restore the best epoch's weights.</li>
 * </ul>
 * <pre>{@code
 * MLPTrainer t = Study.trainer(StudyVariant.DROPOUT, StudySettings.builder().epochs(5).build());
 * MLPModel m = t.train(new MutableDataset<>(RescalingDataSource.of(EmbeddedData.trainSource(), 1.0 / 255)));
 * }</pre>
 */
public final class Study {
    private Study() {}

    /**
     * The augmentation of the {@code augmented_zca} variant.
     * @return rotation 10°, shifts 0.1, zoom 0.1 (fill NEAREST).
     */
    public static Augmentation augmentation() {
        return augmentation(false);
    }

    /**
     * The augmentation of the {@code augmented} and {@code augmented_zca} variants.
     * @param horizontalFlip whether images are also flipped horizontally at random.
     * @return rotation 10°, shifts 0.1, zoom 0.1 (fill NEAREST), and flips if asked for.
     */
    public static Augmentation augmentation(boolean horizontalFlip) {
        return Augmentation.builder().rotationRange(10).widthShiftRange(0.1).heightShiftRange(0.1).zoomRange(0.1)
                .horizontalFlip(horizontalFlip).build();
    }

    /**
     * The input standardization of the {@code augmented_zca} variant.
     * @param epsilon added to the covariance eigenvalues (Keras' {@code zca_epsilon}, default 1e-6).
     * @return ZCA whitening.
     */
    public static Standardization zca(double epsilon) {
        return Standardization.builder().zcaWhitening(true).zcaEpsilon(epsilon).build();
    }

    /**
     * A trainer builder for a variant, so listeners can be added before {@code build()}.
     * @param variant the variant.
     * @param settings the shared settings.
     * @return the configured builder.
     * @throws IllegalArgumentException if {@code augmented_zca} is asked for without an image geometry.
     */
    public static MLPTrainer.Builder trainerBuilder(StudyVariant variant, StudySettings settings) {
        // Keras' settings exactly: none of the builder's tabular defaults (hidden layer, stop, standardization).
        MLPTrainer.Builder b = MLPTrainer.builder()
                .withoutHiddenLayers()
                .earlyStopping(null)
                .standardization(null)
                .optimiser(new Adam(settings.getLearningRate()))
                .epochs(settings.getEpochs())
                .minibatchSize(settings.getMinibatchSize())
                .seed(settings.getSeed())
                .validationFraction(settings.getValidationFraction())
                .numThreads(settings.getThreads())
                .imageGeometry(settings.getGeometry());
        for (int units : settings.getHiddenUnits()) {
            Layer.Builder layer = Layer.dense(units);
            switch (variant) {
                case L2 -> layer.kernelRegularizer(Regularizer.l2(settings.getL2()));
                case L1 -> layer.kernelRegularizer(Regularizer.l1(settings.getL1()));
                case DROPOUT, ZCA_DROPOUT, AUGMENTED_ZCA -> layer.dropout(settings.getDropout());
                default -> { }
            }
            b.addLayer(layer.build());
        }
        if (variant == StudyVariant.AUGMENTED || variant == StudyVariant.AUGMENTED_ZCA) {
            ImageGeometry g = settings.getGeometry();
            if (g == null) {
                throw new IllegalArgumentException("variant " + variant + " needs images, but the data has no image geometry");
            }
            b.augmentation(augmentation(settings.isHorizontalFlip()), g);
        }
        if (variant == StudyVariant.ZCA_DROPOUT || variant == StudyVariant.AUGMENTED_ZCA) {
            b.standardization(zca(settings.getZcaEpsilon()));
        } else if (variant == StudyVariant.EARLY_STOPPING) {
            b.earlyStopping(EarlyStopping.monitoring("val_accuracy").patience(settings.getPatience())
                    .restoreBestWeights(true).build());
        }
        return b;
    }

    /**
     * A trainer for a variant.
     * @param variant the variant.
     * @param settings the shared settings.
     * @return the trainer.
     */
    public static MLPTrainer trainer(StudyVariant variant, StudySettings settings) {
        return trainerBuilder(variant, settings).build();
    }

    /**
     * The reference network (5 × 500 ReLU) for a variant with the reference defaults and 28×28 gray images.
     * @param variant the variant.
     * @param epochs the number of epochs (maximum for early stopping).
     * @param seed the seed.
     * @return the trainer.
     */
    public static MLPTrainer referenceTrainer(StudyVariant variant, int epochs, long seed) {
        return trainer(variant, StudySettings.builder().epochs(epochs).seed(seed).build());
    }
}
