package dev.regula.examples.cli;

import dev.regula.augment.Standardization;
import dev.regula.data.ImageGeometry;
import dev.regula.experiment.Study;
import dev.regula.experiment.StudySettings;
import dev.regula.mlp.EarlyStopping;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.Regularizer;
import dev.regula.mlp.optimisers.Adam;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Regularization options of {@code train}: one value each. */
final class TrainOptions {
    @Option(names = "--l2", paramLabel = "LAMBDA", description = "L2 penalty on every hidden kernel (default: none).")
    double l2;

    @Option(names = "--l1", paramLabel = "LAMBDA", description = "L1 penalty on every hidden kernel (default: none).")
    double l1;

    @Option(names = "--dropout", paramLabel = "RATE", description = "Dropout after every hidden layer (default: none).")
    double dropout;

    @Option(names = "--augment", description = "Per-epoch augmentation of the study (rotation 10°, shifts 0.1, zoom 0.1).")
    boolean augment;

    @Option(names = "--zca", description = "ZCA whitening fitted on the training split and baked into the model.")
    boolean zca;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE",
            description = "Stop when val_accuracy has not improved for PATIENCE epochs and restore the best weights.")
    @Nullable Integer patience;

    /**
     * A trainer builder from the network and regularization options.
     * @param network the network options.
     * @param geometry the image geometry.
     * @return the builder.
     */
    MLPTrainer.Builder builder(NetworkOptions network, ImageGeometry geometry) {
        return builder(network.settings(geometry).build(), l2, l1, dropout, geometry);
    }

    /**
     * A trainer builder with explicit penalties and dropout.
     * @param s the shared settings.
     * @param l2 the L2 factor (0 = none).
     * @param l1 the L1 factor (0 = none).
     * @param dropoutRate the dropout rate (0 = none).
     * @param geometry the image geometry.
     * @return the builder.
     */
    MLPTrainer.Builder builder(StudySettings s, double l2, double l1, double dropoutRate, ImageGeometry geometry) {
        if (!(l2 >= 0) || !(l1 >= 0) || !Double.isFinite(l1 + l2)) {
            throw new UserException("--l1/--l2 must be finite and >= 0, found l1=" + l1 + ", l2=" + l2);
        }
        if (!(dropoutRate >= 0 && dropoutRate < 1)) {
            throw new UserException("--dropout must be in [0, 1), found " + dropoutRate);
        }
        // The study's Keras settings exactly: none of the builder's tabular defaults (hidden layer, stop, standardization).
        MLPTrainer.Builder b = MLPTrainer.builder().withoutHiddenLayers().earlyStopping(null).standardization(null)
                .optimiser(new Adam(s.getLearningRate())).epochs(s.getEpochs())
                .minibatchSize(s.getMinibatchSize()).seed(s.getSeed()).validationFraction(s.getValidationFraction())
                .numThreads(s.getThreads()).imageGeometry(geometry);
        for (int units : s.getHiddenUnits()) {
            Layer.Builder layer = Layer.dense(units);
            if (l1 > 0 || l2 > 0) {
                layer.kernelRegularizer(l1 == 0 ? Regularizer.l2(l2) : l2 == 0 ? Regularizer.l1(l1) : Regularizer.l1l2(l1, l2));
            }
            b.addLayer(layer.dropout(dropoutRate).build());
        }
        if (augment) {
            b.augmentation(Study.augmentation(), geometry);
        }
        if (zca) {
            b.standardization(Standardization.builder().zcaWhitening(true).build());
        }
        if (patience != null) {
            if (patience < 0) {
                throw new UserException("--early-stopping patience must be >= 0, found " + patience);
            }
            b.earlyStopping(EarlyStopping.monitoring("val_accuracy").patience(patience).restoreBestWeights(true).build());
        }
        return b;
    }
}
