package dev.regula.spark;

import dev.regula.data.EmbeddedData;
import dev.regula.data.RescalingDataSource;
import dev.regula.experiment.LocalTrialRunner;
import dev.regula.experiment.Trial;
import dev.regula.experiment.TrialListener;
import dev.regula.experiment.TrialResult;
import dev.regula.experiment.TrialRunner;
import dev.regula.experiment.TrialSplit;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.optimisers.Adam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Throughput of a sweep on this machine, as ratios measured in one process: the same trials (the embedded
 * Fashion-MNIST subset, 784 → 2 × 256 ReLU → 10, two epochs, one seed each) run
 * <ol>
 *     <li>sequentially, one trial at a time with 2 BLAS threads (the baseline),</li>
 *     <li>on the local runner, 2 trials in parallel × 1 BLAS thread,</li>
 *     <li>on Spark {@code local[2]}, 2 tasks in parallel × 1 BLAS thread,</li>
 * </ol>
 * in rotating order, round after round, after one warm-up trial has read the data (cached per JVM). Prints each
 * round's wall times, the medians, the speed-ups against the baseline, and the Spark overhead per trial (Spark's
 * wall time minus the local runner's, per trial). Arguments: {@code [trials (12)] [rounds (3)] [epochs (2)]}.
 */
public final class SweepBenchmark {
    private SweepBenchmark() {}

    /**
     * Runs the benchmark.
     * @param args trials, rounds and epochs, all optional.
     * @throws Exception if a trial fails.
     */
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Logger.getLogger("dev.regula").setLevel(Level.SEVERE);
        var data = RescalingDataSource.of(EmbeddedData.trainSource(), 1.0 / 255);
        List<Trial> one = new ArrayList<>();
        List<Trial> two = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            MLPTrainer t = MLPTrainer.builder().addLayers(2, Layer.dense(256).build()).optimiser(new Adam())
                    .epochs(epochs).minibatchSize(128).seed(100 + i).validationFraction(0.3).build();
            Trial trial = Trial.builder("t" + i).trainer(t).data(data).split(TrialSplit.validation()).build();
            one.add(trial.withThreads(1));
            two.add(trial.withThreads(2));
        }
        LocalTrialRunner sequential = LocalTrialRunner.builder().parallelTrials(1).build();
        LocalTrialRunner parallel = LocalTrialRunner.builder().parallelTrials(2).build();
        try (SparkTrialRunner spark = SparkTrialRunner.builder().master("local[2]").set("spark.ui.enabled", "false").build()) {
            sequential.run(List.of(two.get(0)), TrialListener.NONE); // reads the data once for the local runners
            spark.run(List.of(one.get(0)), TrialListener.NONE);      // and for Spark (the same JVM in local mode)
            String[] names = {"sequential 1 x 2 threads", "local 2 x 1 thread", "Spark local[2] 2 x 1 thread"};
            double[][] seconds = new double[3][rounds];
            double[] trialSeconds = new double[3];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 3; k++) {
                    int which = (r + k) % 3; // rotate the order, so no setting always runs first
                    TrialRunner runner = which == 0 ? sequential : which == 1 ? parallel : spark;
                    long start = System.nanoTime();
                    List<TrialResult> results = runner.run(which == 0 ? two : one, TrialListener.NONE);
                    seconds[which][r] = (System.nanoTime() - start) / 1e9;
                    for (TrialResult res : results) {
                        if (!res.succeeded()) {
                            throw new IllegalStateException(res.id() + ": " + res.error());
                        }
                        trialSeconds[which] += res.seconds() / (rounds * count);
                    }
                }
                System.out.printf(Locale.ROOT, "round %d: %.1f s, %.1f s, %.1f s%n", r + 1, seconds[0][r], seconds[1][r], seconds[2][r]);
            }
            double[] median = new double[3];
            for (int k = 0; k < 3; k++) {
                median[k] = median(seconds[k]);
                System.out.printf(Locale.ROOT, "%-30s median %.1f s for %d trials (%.2f s per trial inside the runner); "
                        + "speed-up vs sequential %.2f%n", names[k], median[k], count, trialSeconds[k], median[0] / median[k]);
            }
            System.out.printf(Locale.ROOT, "Spark overhead per trial vs the local runner: %.3f s (%s)%n",
                    (median[2] - median[1]) / count, spark.describe());
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
