package dev.regula.examples.cli;

import dev.regula.data.ImageGeometry;
import dev.regula.experiment.StudySettings;
import picocli.CommandLine.Option;

import java.util.List;

/** Options shared by the training commands: the network, optimiser, epochs, seed, threads and validation split. */
final class NetworkOptions {
    @Option(names = "--hidden", split = ",", paramLabel = "UNITS",
            description = "Hidden layer widths, input side first (default: 500,500,500,500,500, the reference network).")
    List<Integer> hidden = List.of(500, 500, 500, 500, 500);

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (the maximum for early stopping; default: ${DEFAULT-VALUE}).")
    int epochs = 10;

    @Option(names = "--seed", paramLabel = "SEED", description = "Trainer seed (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--threads", paramLabel = "N",
            description = "BLAS threads; 0 = every processor (default: ${DEFAULT-VALUE}). Results are bit-identical for a fixed count.")
    int threads = 0;

    @Option(names = "--batch", paramLabel = "N", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batch = 128;

    @Option(names = "--learning-rate", paramLabel = "RATE", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 0.001;

    @Option(names = "--validation", paramLabel = "FRACTION",
            description = "Fraction of the training data held out for validation inside the trainer (default: ${DEFAULT-VALUE}).")
    double validation = 0.3;

    /**
     * Options whose {@code --epochs} default differs from the reference's 10.
     * @param epochs the default epoch budget.
     * @return the options.
     */
    static NetworkOptions withEpochs(int epochs) {
        NetworkOptions options = new NetworkOptions();
        options.epochs = epochs;
        return options;
    }

    /**
     * Shared study settings from these options.
     * @param geometry the images' geometry.
     * @return a settings builder.
     */
    StudySettings.Builder settings(ImageGeometry geometry) {
        return StudySettings.builder().hiddenUnits(hidden).epochs(epochs).seed(seed).threads(threads)
                .minibatchSize(batch).learningRate(learningRate).validationFraction(validation).geometry(geometry);
    }
}
