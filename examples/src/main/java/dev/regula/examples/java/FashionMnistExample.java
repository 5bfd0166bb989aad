package dev.regula.examples.java;

import dev.regula.data.IdxFiles;
import dev.regula.data.RescalingDataSource;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.Regularizer;
import dev.regula.mlp.optimisers.Adam;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The reference network with L2 and dropout on Fashion-MNIST IDX files, through Tribuo's {@link IDXDataSource} and
 * evaluated with Tribuo's {@link LabelEvaluator}:
 * <pre>
 * java -cp examples/target/regula.jar dev.regula.examples.java.FashionMnistExample /usr/share/datasets/fashion-mnist [epochs]
 * </pre>
 */
public final class FashionMnistExample {
    private FashionMnistExample() {}

    /**
     * Trains and evaluates the network.
     * @param dir a folder with {@code train-*} and {@code t10k-*} IDX files.
     * @param epochs the number of epochs.
     * @param trainLimit the number of leading training images used (all if larger than the set).
     * @return the test evaluation.
     * @throws IOException if the files cannot be read.
     */
    public static LabelEvaluation run(Path dir, int epochs, int trainLimit) throws IOException {
        // IDX pixels are 0..255; scale to [0, 1] as the reference study does.
        IDXDataSource<Label> trainIdx = IdxFiles.source(dir, IdxFiles.TRAIN);
        IDXDataSource<Label> testIdx = IdxFiles.source(dir, IdxFiles.TEST);
        MutableDataset<Label> all = new MutableDataset<>(RescalingDataSource.of(trainIdx, 1.0 / 255));
        MutableDataset<Label> train = new MutableDataset<>(all.getProvenance(), all.getOutputFactory());
        for (int i = 0; i < Math.min(trainLimit, all.size()); i++) {
            train.add(all.getExample(i));
        }
        MutableDataset<Label> test = new MutableDataset<>(RescalingDataSource.of(testIdx, 1.0 / 255));

        MLPTrainer trainer = MLPTrainer.builder()
                .standardization(null) // pixels are already scaled to [0, 1]; Keras' settings exactly
                .earlyStopping(null)
                .addLayers(5, Layer.dense(500).kernelRegularizer(Regularizer.l2(1e-4)).dropout(0.25).build())
                .optimiser(new Adam())
                .epochs(epochs)
                .minibatchSize(128)
                .validationFraction(0.3)
                .seed(42)
                .build();
        MLPModel model = trainer.train(train);
        return new LabelEvaluator().evaluate(model, test);
    }

    /**
     * Command-line entry point.
     * @param args the IDX folder and optionally the number of epochs (default 10).
     * @throws IOException if the files cannot be read.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        LabelEvaluation eval = run(dir, epochs, Integer.MAX_VALUE);
        System.out.println(eval);
        System.out.printf("test accuracy %.4f%n", eval.accuracy());
    }
}
