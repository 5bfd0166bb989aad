package dev.regula.experiment;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The comparison of variants trained with the same seeds and tested on the same examples: per variant the mean test
 * accuracy with its 95 % interval, and the paired difference to a baseline with its interval and p-value, by the
 * methods of {@link Intervals} (t intervals over seeds for two or more seeds; for one seed the Wilson interval over the
 * test examples and McNemar's exact test on the paired predictions). When two or more seeds give the very same
 * paired difference the seeds show no spread to build a t interval on (it would have zero width and p = 0); the
 * difference is then judged by McNemar on the paired predictions of the seed whose test is the least conclusive
 * (largest p), as for one seed, and {@link Summary#deltaTest()} says so.
 * <pre>{@code
 * List<SeedComparison.Run> runs = ...; // one per (variant, seed): which test examples it got right
 * for (SeedComparison.Summary s : SeedComparison.summarize(runs, "baseline")) {
 *     System.out.println(s.variant() + " " + s.testAccuracy() + " " + s.delta() + " " + s.distinguishable());
 * }
 * }</pre>
 */
public final class SeedComparison {
    /** The significance level below which a difference counts as distinguishable from zero. */
    public static final double ALPHA = 0.05;

    private SeedComparison() {}

    /** How a difference to the baseline was tested. */
    public enum DeltaTest {
        /** Student t over the paired per-seed differences (two or more seeds that differ). */
        PAIRED_T,
        /** McNemar's exact test on one seed's paired predictions (one seed). */
        MCNEMAR,
        /**
         * McNemar on the least conclusive seed's paired predictions, because every seed gave the same difference and a
         * t interval over the seeds would have zero width.
         */
        MCNEMAR_IDENTICAL_SEEDS
    }

    /**
     * One trained and tested run.
     * @param variant the variant's name.
     * @param seed the seed it was trained with.
     * @param correct for every test example, in one fixed order shared by all runs, whether the run predicted it right.
     */
    public record Run(String variant, long seed, boolean[] correct) {
        /**
         * Validates the run.
         * @param variant the variant's name.
         * @param seed the seed.
         * @param correct the per-example outcomes, at least one.
         */
        public Run {
            Objects.requireNonNull(variant, "variant");
            if (correct.length == 0) {
                throw new IllegalArgumentException("run " + variant + " seed " + seed + " has no test examples");
            }
            correct = correct.clone();
        }

        /** @return the fraction of test examples predicted right. */
        public double testAccuracy() {
            return (double) correctCount() / correct.length;
        }

        /** @return the number of test examples predicted right. */
        public int correctCount() {
            int k = 0;
            for (boolean c : correct) {
                k += c ? 1 : 0;
            }
            return k;
        }

        /**
         * The per-example outcomes.
         * @return a copy of the outcomes, so the run stays immutable.
         */
        @Override
        public boolean[] correct() {
            return correct.clone();
        }
    }

    /**
     * The summary of one variant.
     * @param variant the variant's name.
     * @param seeds the number of seeds it ran with.
     * @param testAccuracy the mean test accuracy over its seeds.
     * @param testAccuracyStd the sample standard deviation over seeds (NaN for one seed).
     * @param testAccuracyInterval the 95 % interval of the mean test accuracy.
     * @param delta the mean paired difference to the baseline and its 95 % interval (null for the baseline itself or
     *              without a baseline run sharing a seed).
     * @param deltaP the p-value of that difference (paired t test, or McNemar for one seed; NaN when delta is null).
     * @param deltaTest the test that gave {@code delta} and {@code deltaP} (null when delta is null).
     */
    public record Summary(String variant, int seeds, double testAccuracy, double testAccuracyStd,
                          Intervals.Interval testAccuracyInterval, Intervals.@Nullable Interval delta, double deltaP,
                          @Nullable DeltaTest deltaTest) {
        /** @return whether the difference to the baseline is distinguishable from zero (p below {@value #ALPHA}). */
        public boolean distinguishable() {
            return delta != null && deltaP < ALPHA;
        }
    }

    /**
     * Summarizes runs per variant, in the order variants first appear.
     * @param runs the runs; every run must have the same number of test examples, and a (variant, seed) pair occurs
     *             at most once.
     * @param baseline the name of the variant the others are compared with (it need not be among the runs).
     * @return one summary per variant.
     * @throws IllegalArgumentException on duplicate runs or differing test-set sizes.
     */
    public static List<Summary> summarize(List<Run> runs, String baseline) {
        Map<String, Map<Long, Run>> byVariant = new LinkedHashMap<>();
        int examples = -1;
        for (Run r : runs) {
            if (examples >= 0 && r.correct.length != examples) {
                throw new IllegalArgumentException("run " + r.variant() + " seed " + r.seed() + " was tested on "
                        + r.correct.length + " examples, others on " + examples);
            }
            examples = r.correct.length;
            if (byVariant.computeIfAbsent(r.variant(), v -> new LinkedHashMap<>()).put(r.seed(), r) != null) {
                throw new IllegalArgumentException("two runs of variant " + r.variant() + " with seed " + r.seed());
            }
        }
        Map<Long, Run> base = byVariant.getOrDefault(baseline, Map.of());
        List<Summary> out = new ArrayList<>();
        for (Map.Entry<String, Map<Long, Run>> e : byVariant.entrySet()) {
            List<Run> own = new ArrayList<>(e.getValue().values());
            double[] acc = own.stream().mapToDouble(Run::testAccuracy).toArray();
            double mean = Intervals.mean(acc);
            double std = acc.length > 1 ? Intervals.standardDeviation(acc) : Double.NaN;
            Intervals.Interval accInterval = acc.length > 1 ? Intervals.tInterval(acc)
                    : Intervals.wilson(own.get(0).correctCount(), examples);
            Intervals.Interval delta = null;
            double p = Double.NaN;
            List<Run[]> pairs = new ArrayList<>();
            if (!e.getKey().equals(baseline)) {
                for (Run r : own) {
                    Run b = base.get(r.seed());
                    if (b != null) {
                        pairs.add(new Run[]{r, b});
                    }
                }
            }
            DeltaTest test = null;
            if (pairs.size() > 1 && !identicalDifferences(pairs)) {
                double[] va = pairs.stream().mapToDouble(x -> x[0].testAccuracy()).toArray();
                double[] ba = pairs.stream().mapToDouble(x -> x[1].testAccuracy()).toArray();
                delta = Intervals.pairedDifference(va, ba);
                p = Intervals.pairedTTestP(va, ba);
                test = DeltaTest.PAIRED_T;
            } else if (!pairs.isEmpty()) {
                for (Run[] pair : pairs) { // one seed, or identical differences: the least conclusive seed's McNemar
                    int onlyBaseline = 0;
                    int onlyVariant = 0;
                    boolean[] v = pair[0].correct;
                    boolean[] b = pair[1].correct;
                    for (int i = 0; i < v.length; i++) {
                        onlyBaseline += b[i] && !v[i] ? 1 : 0;
                        onlyVariant += v[i] && !b[i] ? 1 : 0;
                    }
                    double seedP = Intervals.mcNemarExactP(onlyBaseline, onlyVariant);
                    if (delta == null || seedP > p) {
                        delta = Intervals.pairedAccuracyDifference(onlyBaseline, onlyVariant, examples);
                        p = seedP;
                    }
                }
                test = pairs.size() == 1 ? DeltaTest.MCNEMAR : DeltaTest.MCNEMAR_IDENTICAL_SEEDS;
            }
            out.add(new Summary(e.getKey(), own.size(), mean, std, accInterval, delta, p, test));
        }
        return out;
    }

    /** Whether every pair has the same number of correct test examples between variant and baseline. */
    private static boolean identicalDifferences(List<Run[]> pairs) {
        int first = pairs.get(0)[0].correctCount() - pairs.get(0)[1].correctCount();
        for (Run[] pair : pairs) {
            if (pair[0].correctCount() - pair[1].correctCount() != first) {
                return false;
            }
        }
        return true;
    }
}
