package dev.regula.examples.cli;

import dev.regula.augment.Augmentation;
import dev.regula.augment.Standardization;
import dev.regula.data.IdxFiles;
import dev.regula.data.ImageGeometry;
import dev.regula.data.RescalingDataSource;
import dev.regula.mlp.EpochRecord;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.nn.Backends;
import dev.regula.nn.LayerSpec;
import dev.regula.nn.SoftmaxCrossEntropy;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code regula bench}: trains the reference network (784 → 5×500 ReLU → 10, Adam, batch 128) on an IDX dataset
 * and prints one JSON line of speed figures, for side-by-side comparison with the PyTorch reference script.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Train the reference network on IDX data and print one JSON line of speed figures.",
                "A figure that cannot be measured (no t10k files to predict, a diverged loss) is null, and the \"notes\" "
                        + "field (and stderr) says why."})
final class BenchCommand extends BaseCommand {
    /** Held strongly: a logger whose level is set must not be garbage collected. */
    private static final Logger REGULA_LOGGER = Logger.getLogger("dev.regula");
    /** The variants, named as in the PyTorch reference script. */
    private static final List<String> VARIANTS = List.of("baseline", "l2", "l1", "dropout", "augmented_zca");

    @Option(names = "--data", required = true, description = "IDX folder with train-* (and optionally t10k-*) files.")
    private Path data;

    @Option(names = "--epochs", defaultValue = "3", description = "Epochs to train (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--train", defaultValue = "42000",
            description = "Number of leading training images used for training (default: ${DEFAULT-VALUE}).")
    private int trainSize;

    @Option(names = "--validation", defaultValue = "false",
            description = "Also evaluate the remaining training images as validation data every epoch.")
    private boolean validation;

    @Option(names = "--threads", defaultValue = "0", description = "BLAS threads, 0 = all processors (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--variant", defaultValue = "baseline",
            description = "baseline, l2, l1, dropout or augmented_zca (default: ${DEFAULT-VALUE}).")
    private String variant;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Override
    int execute() throws IOException {
        if (epochs < 1) {
            throw new UserException("--epochs must be >= 1, found " + epochs);
        }
        if (threads < 0 || threads > MLPTrainer.MAX_THREADS) {
            throw new UserException("--threads must be in [0, " + MLPTrainer.MAX_THREADS + "] (0 = all processors), found "
                    + threads);
        }
        if (!VARIANTS.contains(variant)) {
            throw new UserException("unknown --variant '" + variant + "'; valid: " + String.join(", ", VARIANTS));
        }
        REGULA_LOGGER.setLevel(Level.WARNING);
        Dataset<Label> all = new MutableDataset<>(RescalingDataSource.of(IdxFiles.source(data, IdxFiles.TRAIN), 1.0 / 255));
        if (trainSize < 1 || trainSize > all.size()) {
            throw new UserException("--train must be in [1, " + all.size() + "] for " + data + ", found " + trainSize);
        }
        MutableDataset<Label> train = subset(all, 0, trainSize);
        MutableDataset<Label> val = validation && trainSize < all.size() ? subset(all, trainSize, all.size()) : null;

        Layer.Builder hidden = Layer.dense(500);
        MLPTrainer.Builder b = MLPTrainer.builder().earlyStopping(null).standardization(null).optimiser(new Adam()).epochs(epochs).minibatchSize(128).seed(seed)
                .numThreads(threads);
        switch (variant) {
            case "baseline": break;
            case "l2": hidden.kernelRegularizer(dev.regula.mlp.Regularizer.l2(1e-4)); break;
            case "l1": hidden.kernelRegularizer(dev.regula.mlp.Regularizer.l1(1e-4)); break;
            case "dropout": hidden.dropout(0.25); break;
            case "augmented_zca":
                hidden.dropout(0.25);
                b.augmentation(Augmentation.builder().rotationRange(10).widthShiftRange(0.1).heightShiftRange(0.1)
                        .zoomRange(0.1).build(), ImageGeometry.of(28, 28, 1))
                        .standardization(Standardization.builder().zcaWhitening(true).build());
                break;
            default:
                throw new IllegalStateException("variant " + variant + " passed validation but has no configuration");
        }
        b.addLayers(5, hidden.build());
        List<Double> seconds = new ArrayList<>();
        b.epochListener((EpochRecord r) -> {
            seconds.add(r.seconds());
            err().printf(Locale.ROOT, "epoch %d: %.2f s, loss %.4f, accuracy %.4f, val_accuracy %.4f%n",
                    r.epoch(), r.seconds(), r.loss(), r.accuracy(), r.valAccuracy());
        });
        MLPTrainer trainer = b.build();
        long t0 = System.nanoTime();
        MLPModel model = val == null ? trainer.train(train) : trainer.train(train, val);
        double total = (System.nanoTime() - t0) / 1e9;

        double median = medianAfterFirst(seconds);
        double flopsPerExample = trainingFlopsPerExample(model.getNetwork().getLayers());
        double predictPerSecond = Double.NaN;
        double networkPerSecond = Double.NaN;
        Dataset<Label> test = IdxFiles.hasSplit(data, IdxFiles.TEST)
                ? new MutableDataset<>(RescalingDataSource.of(IdxFiles.source(data, IdxFiles.TEST), 1.0 / 255)) : null;
        if (test != null) {
            model.predict(test); // warm-up
            predictPerSecond = test.size() / medianOfFivePasses(() -> model.predict(test));
            networkPerSecond = networkThroughput(model, test);
        }
        List<String> notes = new ArrayList<>();
        if (test == null) {
            notes.add("predict_examples_per_second and network_predict_examples_per_second are null: " + data
                    + " has no t10k test files to predict");
        }
        double finalLoss = model.getHistory().getEpochs().get(model.getHistory().getEpochsRun() - 1).loss();
        if (!Double.isFinite(finalLoss)) {
            notes.add("final_loss is null: the training loss was " + finalLoss);
        }
        if (!(median > 0)) {
            notes.add("examples_per_second and gflops are null: the median epoch time is " + median + " s");
        }
        for (String note : notes) {
            err().println("bench: " + note);
        }
        err().flush();
        // JSON has no NaN or Infinity: a value that is not a finite number is written as null, and "notes" says why.
        String json = String.format(Locale.ROOT,
                "{\"tool\":\"regula\",\"variant\":\"%s\",\"backend\":\"%s\",\"threads\":%d,\"train_examples\":%d,"
                        + "\"validation_examples\":%d,\"epochs\":%d,\"seconds_per_epoch_median\":%s,\"seconds_per_epoch\":%s,"
                        + "\"examples_per_second\":%s,\"gflops\":%s,\"train_seconds_total\":%s,"
                        + "\"predict_examples_per_second\":%s,\"network_predict_examples_per_second\":%s,"
                        + "\"final_loss\":%s,\"peak_rss_mb\":%d,\"notes\":%s}",
                variant, Backends.get(threadsUsed()).name(), threadsUsed(), train.size(),
                val == null ? 0 : val.size(), epochs, number(median, 3), format(seconds),
                number(median > 0 ? trainSize / median : Double.NaN, 1),
                number(median > 0 ? trainSize * flopsPerExample / median / 1e9 : Double.NaN, 1), number(total, 2),
                number(predictPerSecond, 1), number(networkPerSecond, 1), number(finalLoss, 4), peakRssMb(), strings(notes));
        out().println(json);
        out().flush();
        return 0;
    }

    /**
     * Inference throughput of the network alone on a dense float matrix (the peer of PyTorch's {@code eval()} on a
     * tensor), without Tribuo's example conversion and {@code Prediction} objects.
     */
    private double networkThroughput(MLPModel model, Dataset<Label> test) {
        org.tribuo.ImmutableFeatureMap fmap = model.getFeatureIDMap();
        int d = fmap.size();
        float[] x = new float[test.size() * d];
        for (int i = 0; i < test.size(); i++) {
            for (org.tribuo.Feature f : test.getExample(i)) {
                int id = fmap.getID(f.getName());
                if (id >= 0) {
                    x[i * d + id] = (float) f.getValue();
                }
            }
        }
        dev.regula.nn.Network net = model.getNetwork();
        float[] out = new float[test.size() * net.numOutputs()];
        dev.regula.nn.Blas blas = Backends.get(threadsUsed());
        net.predict(x, test.size(), out, blas, SoftmaxCrossEntropy.INSTANCE); // warm-up
        return test.size() / medianOfFivePasses(() -> net.predict(x, test.size(), out, blas, SoftmaxCrossEntropy.INSTANCE));
    }

    /**
     * The median wall time of five runs of {@code pass} in seconds, the statistic
     * {@code examples/bench/torch_predict.py} reports for PyTorch.
     */
    private static double medianOfFivePasses(Runnable pass) {
        List<Double> seconds = new ArrayList<>();
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            pass.run();
            seconds.add((System.nanoTime() - t0) / 1e9);
        }
        return median(seconds);
    }

    private int threadsUsed() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    /**
     * GEMM floating-point operations of one training example: forward {@code 2·in·out} per layer, the weight
     * gradient {@code 2·in·out} per layer, and the input gradient {@code 2·in·out} for every layer but the first.
     * @param layers the network's layers.
     * @return the operations per example.
     */
    static double trainingFlopsPerExample(List<LayerSpec> layers) {
        double f = 0;
        for (int l = 0; l < layers.size(); l++) {
            double mac = (double) layers.get(l).inputs() * layers.get(l).units();
            f += (l == 0 ? 4 : 6) * mac;
        }
        return f;
    }

    private static MutableDataset<Label> subset(Dataset<Label> all, int from, int to) {
        MutableDataset<Label> out = new MutableDataset<>(all.getProvenance(), new LabelFactory());
        for (int i = from; i < to; i++) {
            Example<Label> e = all.getExample(i);
            out.add(e);
        }
        return out;
    }

    /**
     * The median epoch time without the first epoch (which includes JIT compilation), as the PyTorch script reports
     * its own; a single epoch is its own median.
     * @param seconds the epoch times in order.
     * @return the median.
     */
    static double medianAfterFirst(List<Double> seconds) {
        return median(seconds.size() > 1 ? seconds.subList(1, seconds.size()) : seconds);
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static String format(List<Double> v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(number(v.get(i), 3));
        }
        return sb.append(']').toString();
    }

    /**
     * A JSON number with a fixed number of decimals, or {@code null} for NaN and the infinities, which JSON cannot
     * represent.
     * @param v the value.
     * @param decimals the decimals.
     * @return the JSON text.
     */
    static String number(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "null";
    }

    /** A JSON array of strings. */
    private static String strings(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (String v : values) {
            sb.append(sb.length() == 1 ? "" : ",").append('"');
            for (char c : v.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }

    /** Peak resident set size of this process in MiB (Linux {@code VmHWM}), or -1 where unavailable. */
    private static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
