package dev.regula.examples.tools;

import dev.regula.data.EmbeddedData;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.nn.Activation;
import dev.regula.nn.Backends;
import dev.regula.nn.Blas;
import dev.regula.nn.LayerSpec;
import dev.regula.nn.MixUp;
import dev.regula.nn.Network;
import dev.regula.nn.NetworkTrainer;
import dev.regula.nn.Noise;
import dev.regula.nn.SoftmaxCrossEntropy;
import dev.regula.nn.WeightInit;
import dev.regula.data.IdxFiles;
import dev.regula.data.RescalingDataSource;
import dev.regula.experiment.Study;
import dev.regula.experiment.StudySettings;
import dev.regula.experiment.StudyVariant;
import dev.regula.mlp.EpochRecord;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.ReduceLROnPlateau;
import dev.regula.mlp.schedules.CosineDecay;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The measurement behind the table of {@code docs/toolbox.md}: the study's reference network (5 × 500 ReLU, Adam
 * 1e-3, batch 128, 70:30 validation split) trained once per technique of the toolbox and seed, interleaved by seed
 * so that every technique sees the same machine load, and the baseline's run of the same seed is the reference of
 * the time ratio. Prints per technique the mean test accuracy, the mean final train − validation accuracy gap and
 * the mean training time per epoch relative to the baseline.
 * <p>
 * Usage: {@code ToolboxTable [idx-folder|embedded [epochs [seeds]]]}, default {@code embedded}, 10 epochs, 2 seeds
 * from 42; {@code ToolboxTable steps [rounds]} measures instead the cost of one training step with each per-step
 * technique relative to a plain step (default 15 rounds).
 */
public final class ToolboxTable {
    /** Held so that the level set on it is not lost to garbage collection. */
    private static final Logger REGULA = Logger.getLogger("dev.regula");

    private ToolboxTable() {}

    /**
     * The cost of a training step of the reference network (784 → 5 × 500 → 10, batch 128, one BLAS thread) with
     * each per-step technique, as the median over rounds of its time over the plain step's time in the same round
     * (the variants alternate within a round, so a change of machine load hits all alike).
     */
    private static void stepCosts(int rounds) {
        Blas blas = Backends.get(1);
        Map<String, Noise> noises = new LinkedHashMap<>();
        noises.put("plain", Noise.NONE);
        noises.put("dropout 0.25", Noise.NONE);
        noises.put("Gaussian dropout 0.25", new Noise(0, 0.25));
        noises.put("Gaussian noise 0.3", new Noise(0.3, 0));
        noises.put("MixUp 0.2", Noise.NONE);
        int batch = 128;
        SplittableRandom data = new SplittableRandom(1);
        float[] x = new float[batch * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) data.nextDouble();
        }
        float[] y = new float[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = data.nextInt(10);
        }
        Map<String, NetworkTrainer> trainers = new LinkedHashMap<>();
        for (Map.Entry<String, Noise> e : noises.entrySet()) {
            List<LayerSpec> specs = new java.util.ArrayList<>();
            int in = 784;
            for (int l = 0; l < 5; l++) {
                specs.add(LayerSpec.dense(in, 500, Activation.RELU).withNoise(e.getValue())
                        .withDropout(e.getKey().startsWith("dropout") ? 0.25 : 0));
                in = 500;
            }
            specs.add(LayerSpec.dense(500, 10, Activation.LINEAR));
            Network net = Network.initialise(0, specs, WeightInit.GLOROT_UNIFORM, new SplittableRandom(2));
            NetworkTrainer t = new NetworkTrainer(net, batch, blas, new Adam().createUpdater(NetworkTrainer.parameterSizes(net)),
                    SoftmaxCrossEntropy.INSTANCE, new SplittableRandom(3), Noise.NONE, new SplittableRandom(4));
            if (e.getKey().startsWith("MixUp")) {
                t.enableMixUp(new MixUp(0.2), new SplittableRandom(5), batch);
            }
            trainers.put(e.getKey(), t);
        }
        Map<String, double[]> ratios = new LinkedHashMap<>();
        for (int r = -2; r < rounds; r++) { // two warm-up rounds
            Map<String, Double> seconds = new LinkedHashMap<>();
            for (Map.Entry<String, NetworkTrainer> e : trainers.entrySet()) {
                long start = System.nanoTime();
                for (int s = 0; s < 10; s++) {
                    e.getValue().step(x.clone(), y, batch);
                }
                seconds.put(e.getKey(), (System.nanoTime() - start) / 1e9);
            }
            if (r >= 0) {
                for (Map.Entry<String, Double> e : seconds.entrySet()) {
                    ratios.computeIfAbsent(e.getKey(), k -> new double[rounds])[r] = e.getValue() / seconds.get("plain");
                }
            }
        }
        System.out.println("| technique | step time / plain step (median of " + rounds + " rounds) |");
        System.out.println("|---|---|");
        for (Map.Entry<String, double[]> e : ratios.entrySet()) {
            double[] v = e.getValue().clone();
            java.util.Arrays.sort(v);
            System.out.printf(Locale.ROOT, "| %s | %.2f |%n", e.getKey(), v[v.length / 2]);
        }
    }

    /**
     * Runs the measurement.
     * @param args see the class description.
     * @throws Exception if the data cannot be read.
     */
    public static void main(String[] args) throws Exception {
        REGULA.setLevel(Level.WARNING);
        if (args.length > 0 && args[0].equals("steps")) {
            stepCosts(args.length > 1 ? Integer.parseInt(args[1]) : 15);
            return;
        }
        String data = args.length > 0 ? args[0] : "embedded";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int seeds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        ConfigurableDataSource<Label> trainSource = data.equals("embedded") ? EmbeddedData.trainSource()
                : IdxFiles.source(Path.of(data), IdxFiles.TRAIN);
        ConfigurableDataSource<Label> testSource = data.equals("embedded") ? EmbeddedData.testSource()
                : IdxFiles.source(Path.of(data), IdxFiles.TEST);
        Dataset<Label> train = new MutableDataset<>(RescalingDataSource.of(trainSource, 1.0 / 255));
        Dataset<Label> test = new MutableDataset<>(RescalingDataSource.of(testSource, 1.0 / 255));
        long stepsPerEpoch = (Math.round(train.size() * 0.7) + 127) / 128;
        Map<String, UnaryOperator<MLPTrainer.Builder>> techniques = new LinkedHashMap<>();
        techniques.put("baseline", b -> b);
        techniques.put("dropout 0.25", b -> layers(b, Layer.dense(500).dropout(0.25)));
        techniques.put("label smoothing 0.1", b -> b.labelSmoothing(0.1));
        techniques.put("Gaussian dropout 0.25", b -> layers(b, Layer.dense(500).gaussianDropout(0.25)));
        techniques.put("Gaussian noise 0.3", b -> layers(b, Layer.dense(500).gaussianNoise(0.3)));
        techniques.put("input Gaussian noise 0.2", b -> b.inputGaussianNoise(0.2));
        techniques.put("cosine decay", b -> b.learningRateSchedule(CosineDecay.overSteps(epochs * stepsPerEpoch).build()));
        techniques.put("ReduceLROnPlateau", b -> b.reduceLROnPlateau(ReduceLROnPlateau.monitoring("val_loss")
                .factor(0.5).patience(1).build()));
        Map<String, double[]> sums = new LinkedHashMap<>();
        System.out.printf(Locale.ROOT, "data %s: %d training, %d test images; %d epochs, %d seed(s)%n", data,
                train.size(), test.size(), epochs, seeds);
        for (int s = 0; s < seeds; s++) {
            double baselineSeconds = Double.NaN;
            for (Map.Entry<String, UnaryOperator<MLPTrainer.Builder>> e : techniques.entrySet()) {
                StudySettings settings = StudySettings.builder().epochs(epochs).seed(42 + s).build();
                MLPTrainer trainer = e.getValue().apply(Study.trainerBuilder(StudyVariant.BASELINE, settings)).build();
                long start = System.nanoTime();
                MLPModel model = trainer.train(train);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (e.getKey().equals("baseline")) {
                    baselineSeconds = seconds;
                }
                double accuracy = new LabelEvaluator().evaluate(model, test).accuracy();
                List<EpochRecord> h = model.getHistory().getEpochs();
                EpochRecord last = h.get(h.size() - 1);
                double gap = last.accuracy() - last.valAccuracy();
                double[] sum = sums.computeIfAbsent(e.getKey(), k -> new double[3]);
                sum[0] += accuracy;
                sum[1] += gap;
                sum[2] += seconds / baselineSeconds;
                System.out.printf(Locale.ROOT, "seed %d %-26s test %.4f  gap %+.4f  %.1f s  final lr %.3g%n", 42 + s,
                        e.getKey(), accuracy, gap, seconds, last.learningRate());
            }
        }
        System.out.println();
        System.out.println("| technique | mean test accuracy | mean final train − val accuracy | time / baseline |");
        System.out.println("|---|---|---|---|");
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            double[] v = e.getValue();
            System.out.printf(Locale.ROOT, "| %s | %.4f | %+.4f | %.2f |%n", e.getKey(), v[0] / seeds, v[1] / seeds,
                    v[2] / seeds);
        }
    }

    /** The builder with its five hidden layers replaced by five of the given layer. */
    private static MLPTrainer.Builder layers(MLPTrainer.Builder b, Layer.Builder layer) {
        return b.withoutHiddenLayers().addLayers(5, layer.build());
    }
}
