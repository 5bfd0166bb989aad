package dev.regula.examples.cli;

import dev.regula.augment.RandomErasing;
import dev.regula.augment.Standardization;
import dev.regula.data.ImageGeometry;
import dev.regula.experiment.Study;
import dev.regula.experiment.StudySettings;
import dev.regula.mlp.EarlyStopping;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.ReduceLROnPlateau;
import dev.regula.mlp.Regularizer;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.mlp.schedules.CosineDecay;
import dev.regula.mlp.schedules.ExponentialDecay;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Regularization and learning-rate options of {@code train}: one value each. */
final class TrainOptions {
    @Option(names = "--l2", paramLabel = "LAMBDA", description = "L2 penalty on every hidden kernel (default: none).")
    double l2;

    @Option(names = "--l1", paramLabel = "LAMBDA", description = "L1 penalty on every hidden kernel (default: none).")
    double l1;

    @Option(names = "--dropout", paramLabel = "RATE", description = "Dropout after every hidden layer (default: none).")
    double dropout;

    @Option(names = "--gaussian-noise", paramLabel = "STDDEV",
            description = "Gaussian noise N(0, STDDEV²) added after every hidden layer in training (Keras GaussianNoise; default: none).")
    double gaussianNoise;

    @Option(names = "--gaussian-dropout", paramLabel = "RATE",
            description = "Multiplicative Gaussian noise N(1, RATE/(1-RATE)) after every hidden layer in training "
                    + "(Keras GaussianDropout; default: none).")
    double gaussianDropout;

    @Option(names = "--input-gaussian-noise", paramLabel = "STDDEV",
            description = "Gaussian noise N(0, STDDEV²) added to the inputs in training (default: none).")
    double inputGaussianNoise;

    @Option(names = "--input-gaussian-dropout", paramLabel = "RATE",
            description = "Multiplicative Gaussian noise N(1, RATE/(1-RATE)) on the inputs in training (default: none).")
    double inputGaussianDropout;

    @Option(names = "--label-smoothing", paramLabel = "EPSILON",
            description = "Label smoothing: targets (1 - EPSILON)·onehot + EPSILON/K (Keras label_smoothing; default: none).")
    double labelSmoothing;

    @Option(names = "--mixup", paramLabel = "ALPHA",
            description = "MixUp of every training batch with λ ~ Beta(ALPHA, ALPHA) (Keras MixUp; Keras' default 0.2; default: none).")
    double mixUp;

    @Option(names = "--cosine-decay", paramLabel = "STEPS",
            description = "Cosine decay of the learning rate to 0 over STEPS optimiser steps (after the warm-up; Keras CosineDecay).")
    @Nullable Long cosineDecay;

    @Option(names = "--warmup", paramLabel = "STEPS:TARGET",
            description = "With --cosine-decay: a linear warm-up over STEPS steps from --learning-rate to TARGET, from which the cosine decays.")
    @Nullable String warmup;

    @Option(names = "--step-decay", paramLabel = "STEPS:RATE",
            description = "Multiply the learning rate by RATE every STEPS optimiser steps (Keras ExponentialDecay, staircase).")
    @Nullable String stepDecay;

    @Option(names = "--reduce-lr-on-plateau", paramLabel = "PATIENCE",
            description = "Multiply the learning rate by --reduce-lr-factor when val_loss has not improved for PATIENCE "
                    + "epochs (Keras ReduceLROnPlateau; needs --validation > 0).")
    @Nullable Integer reducePatience;

    @Option(names = "--reduce-lr-factor", paramLabel = "FACTOR",
            description = "Factor of --reduce-lr-on-plateau, in (0, 1) (default: ${DEFAULT-VALUE}, Keras').")
    double reduceFactor = 0.1;

    @Option(names = "--augment", description = "Per-epoch augmentation of the study (rotation 10°, shifts 0.1, zoom 0.1).")
    boolean augment;

    @Option(names = "--random-erasing", paramLabel = "P",
            description = "Erase a random rectangle of each training image with probability P (torchvision "
                    + "RandomErasing: scale 0.02-0.33, ratio 0.3-3.3, value 0; default: none).")
    @Nullable Double randomErasing;

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
            b.addLayer(layer.dropout(dropoutRate).gaussianNoise(gaussianNoise).gaussianDropout(gaussianDropout).build());
        }
        b.inputGaussianNoise(inputGaussianNoise).inputGaussianDropout(inputGaussianDropout)
                .labelSmoothing(labelSmoothing).mixUp(mixUp);
        learningRateControl(b);
        if (augment) {
            b.augmentation(Study.augmentation(), geometry);
        }
        if (randomErasing != null) {
            b.randomErasing(RandomErasing.builder().probability(randomErasing).build(), geometry);
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

    /** The learning-rate schedule and ReduceLROnPlateau options. */
    private void learningRateControl(MLPTrainer.Builder b) {
        if (cosineDecay != null && stepDecay != null) {
            throw new UserException("--cosine-decay and --step-decay are two schedules: give one");
        }
        if (warmup != null && cosineDecay == null) {
            throw new UserException("--warmup " + warmup + " needs --cosine-decay");
        }
        if (cosineDecay != null) {
            CosineDecay.Builder cosine = CosineDecay.overSteps(cosineDecay);
            if (warmup != null) {
                String[] parts = pair("--warmup", warmup);
                cosine.warmup(parseLong("--warmup", parts[0], warmup), parseDouble("--warmup", parts[1], warmup));
            }
            b.learningRateSchedule(cosine.build());
        }
        if (stepDecay != null) {
            String[] parts = pair("--step-decay", stepDecay);
            b.learningRateSchedule(ExponentialDecay.stepDecay(parseLong("--step-decay", parts[0], stepDecay),
                    parseDouble("--step-decay", parts[1], stepDecay)));
        }
        if (reducePatience != null) {
            b.reduceLROnPlateau(ReduceLROnPlateau.monitoring("val_loss").patience(reducePatience).factor(reduceFactor).build());
        }
    }

    private static String[] pair(String option, String value) {
        String[] parts = value.split(":", -1);
        if (parts.length != 2) {
            throw new UserException(option + " must be STEPS:VALUE (e.g. 1000:0.01), found '" + value + "'");
        }
        return parts;
    }

    private static long parseLong(String option, String text, String value) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new UserException(option + ": STEPS must be a whole number, found '" + text + "' in '" + value + "'");
        }
    }

    private static double parseDouble(String option, String text, String value) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new UserException(option + ": '" + text + "' in '" + value + "' is not a number");
        }
    }
}
