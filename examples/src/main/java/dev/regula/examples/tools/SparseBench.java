package dev.regula.examples.tools;

import dev.regula.mlp.EpochRecord;
import dev.regula.mlp.InputKind;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.optimisers.AdaGrad;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.mlp.optimisers.LazyAdam;
import dev.regula.mlp.optimisers.Optimiser;
import dev.regula.mlp.optimisers.SGD;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sparse-input benchmarks behind {@code docs/sparse.md} and {@code docs/performance.md}, on synthetic
 * bag-of-words documents: each document holds a fixed number of distinct words (so the density is exact), drawn
 * from a Zipf-like distribution over the vocabulary (weight 1 / (rank + 10)), a fifth of them from its class's own
 * topic words; word counts 1–3 as feature values.
 * <ul>
 *   <li>{@code speed [features docs wordsPerDoc rounds]} (default 20,000 × 5,000 × 100, 0.5 %, 3 rounds): per-epoch
 *       training time of the dense and the sparse input kind for Adam, LazyAdam, SGD and AdaGrad, alternating the two round by
 *       round in this one process; one hidden layer of 100 ReLU units, minibatch 128, no standardization; each run
 *       trains {@value #SPEED_EPOCHS} epochs and its time is the median of the epochs after the first
 *       {@value #WARM_UP_EPOCHS} (the JIT compiles the sparse loops during the first two: a second sparse epoch
 *       still took 2–4 times a fifth). Prints the medians over the rounds and their ratio.</li>
 *   <li>{@code memory [features docs wordsPerDoc epochs]} (default 200,000 × 20,000 × 1,000, 0.5 %, 2 epochs): trains
 *       the default classifier ({@code MLPTrainer.builder()}: AUTO input kind, feature-wise standardization, one
 *       hidden layer of 100) with minibatches of 128 and Adam, and prints the epoch times, the held-out accuracy, the
 *       heap limit and the process's peak resident memory ({@code VmHWM}). Run it with {@code -Xmx2g}.</li>
 * </ul>
 * A sixth argument sets the BLAS threads (default 0, every processor).
 * Usage: {@code java -Xmx2g -cp regula.jar dev.regula.examples.tools.SparseBench memory}.
 */
public final class SparseBench {
    private static final int CLASSES = 4;
    /** Epochs of each timed run. */
    private static final int SPEED_EPOCHS = 6;
    /** Epochs at the start of each timed run that are not timed. */
    private static final int WARM_UP_EPOCHS = 3;
    /** Held so that its level stays set (JUL keeps loggers weakly). */
    private static final Logger REGULA_LOGGER = Logger.getLogger("dev.regula");
    private static int threads;

    private SparseBench() {}

    /**
     * Runs one benchmark.
     * @param args {@code speed} or {@code memory}, then optional sizes.
     * @throws IOException if the peak memory cannot be read.
     */
    public static void main(String[] args) throws IOException {
        REGULA_LOGGER.setLevel(Level.SEVERE);
        String mode = args.length > 0 ? args[0] : "speed";
        boolean memory = mode.equals("memory");
        if (!memory && !mode.equals("speed")) {
            throw new IllegalArgumentException("mode must be speed or memory, found '" + mode + "'");
        }
        int features = args.length > 1 ? Integer.parseInt(args[1]) : memory ? 200_000 : 20_000;
        int docs = args.length > 2 ? Integer.parseInt(args[2]) : memory ? 20_000 : 5_000;
        int words = args.length > 3 ? Integer.parseInt(args[3]) : memory ? 1_000 : 100;
        int last = args.length > 4 ? Integer.parseInt(args[4]) : memory ? 2 : 3;
        threads = args.length > 5 ? Integer.parseInt(args[5]) : 0;
        if (words > features / 2) {
            throw new IllegalArgumentException("wordsPerDoc must be at most half the features, found " + words);
        }
        long t0 = System.nanoTime();
        Dataset<Label> train = documents(features, docs, words, 1);
        System.out.printf(Locale.ROOT, "data: %,d documents x %,d features, %,d words each (density %.3f %%), built in %.1f s%n",
                train.size(), train.getFeatureIDMap().size(), words, 100.0 * words / train.getFeatureIDMap().size(),
                (System.nanoTime() - t0) / 1e9);
        if (memory) {
            memory(train, features, words, last);
        } else {
            speed(train, last);
        }
    }

    private static void memory(Dataset<Label> train, int features, int words, int epochs) throws IOException {
        long t0 = System.nanoTime();
        MLPModel model = MLPTrainer.builder().optimiser(new Adam()).minibatchSize(128).epochs(epochs).seed(1)
                .numThreads(threads).build()
                .train(train);
        double seconds = (System.nanoTime() - t0) / 1e9;
        StringBuilder epochTimes = new StringBuilder();
        for (EpochRecord r : model.getHistory().getEpochs()) {
            epochTimes.append(String.format(Locale.ROOT, " %.1f", r.seconds()));
        }
        Dataset<Label> test = documents(features, 2_000, words, 2);
        double accuracy = new LabelEvaluator().evaluate(model, test).accuracy();
        System.out.printf(Locale.ROOT, "input kind %s; %d epochs of Adam in %.1f s (train() total; epochs:%s s); held-out "
                        + "accuracy %.3f; heap limit %,d MB; peak RSS %s%n", model.getInputKind(), epochs, seconds,
                epochTimes, accuracy, Runtime.getRuntime().maxMemory() >> 20, peakRss());
    }

    private static void speed(Dataset<Label> train, int rounds) {
        System.out.println("| optimiser | dense s/epoch | sparse s/epoch | dense / sparse |");
        System.out.println("|---|---|---|---|");
        for (String name : new String[]{"Adam", "LazyAdam", "SGD", "AdaGrad"}) {
            double[] dense = new double[rounds];
            double[] sparse = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                dense[r] = warmEpoch(train, name, InputKind.DENSE);
                sparse[r] = warmEpoch(train, name, InputKind.SPARSE);
            }
            double d = median(dense);
            double s = median(sparse);
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.4f | %.1f× |%n", name, d, s, d / s);
        }
    }

    /** The median training time of the epochs after the warm-up ones. */
    private static double warmEpoch(Dataset<Label> train, String optimiser, InputKind kind) {
        Optimiser o = switch (optimiser) {
            case "Adam" -> new Adam();
            case "LazyAdam" -> new LazyAdam();
            case "SGD" -> new SGD(0.05, 0, false);
            default -> new AdaGrad(0.05);
        };
        MLPModel m = MLPTrainer.builder().addLayer(Layer.dense(100).build()).optimiser(o).minibatchSize(128)
                .epochs(SPEED_EPOCHS).earlyStopping(null).standardization(null).seed(1).inputKind(kind).numThreads(threads)
                .build().train(train);
        List<EpochRecord> epochs = m.getHistory().getEpochs();
        double[] warm = new double[SPEED_EPOCHS - WARM_UP_EPOCHS];
        for (int e = WARM_UP_EPOCHS; e < SPEED_EPOCHS; e++) {
            warm[e - WARM_UP_EPOCHS] = epochs.get(e).seconds();
        }
        return median(warm);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The process's peak resident set size from /proc, or "n/a" where there is none. */
    private static String peakRss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return "n/a";
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                long kb = Long.parseLong(line.replaceAll("\\D", ""));
                return String.format(Locale.ROOT, "%,d MB", kb >> 10);
            }
        }
        return "n/a";
    }

    /**
     * Synthetic documents: {@code words} distinct words each from a vocabulary of {@code features}, every vocabulary
     * word used at least once over the first documents so that the feature map holds all of them.
     */
    static Dataset<Label> documents(int features, int docs, int words, long seed) {
        String[] vocabulary = new String[features];
        for (int j = 0; j < features; j++) {
            vocabulary[j] = String.format(Locale.ROOT, "w%06d", j);
        }
        double[] cumulative = new double[features];
        double total = 0;
        for (int j = 0; j < features; j++) {
            total += 1.0 / (j + 10);
            cumulative[j] = total;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("zipf-documents-" + seed,
                new LabelFactory()), new LabelFactory());
        int topicWords = features / (4 * CLASSES); // class c's topic words: a block of the rarer half of the vocabulary
        int sweep = 0; // next vocabulary word to force into a document until every word has appeared
        List<Integer> chosen = new ArrayList<>(words);
        boolean[] inDoc = new boolean[features];
        for (int i = 0; i < docs; i++) {
            int c = rng.nextInt(CLASSES);
            for (int j : chosen) {
                inDoc[j] = false;
            }
            chosen.clear();
            while (chosen.size() < words) {
                int j;
                if (seed == 1 && sweep < features && chosen.size() < words / 10) {
                    j = sweep++;
                } else if (rng.nextInt(5) == 0) {
                    j = features / 2 + c * topicWords + rng.nextInt(topicWords);
                } else {
                    int k = Arrays.binarySearch(cumulative, rng.nextDouble() * total);
                    j = Math.min(features - 1, k >= 0 ? k : -k - 1);
                }
                if (!inDoc[j]) {
                    inDoc[j] = true;
                    chosen.add(j);
                }
            }
            String[] names = new String[words];
            double[] values = new double[words];
            for (int k = 0; k < words; k++) {
                names[k] = vocabulary[chosen.get(k)];
                values[k] = 1 + rng.nextInt(3);
            }
            d.add(new ArrayExample<>(new Label("topic" + c), names, values));
        }
        return d;
    }
}
