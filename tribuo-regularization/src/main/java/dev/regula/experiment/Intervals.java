package dev.regula.experiment;

/**
 * The statistics of a repeated-seed comparison: 95 % Student-t intervals over seeds, paired differences to a
 * baseline, and, for a single seed, McNemar's exact test on the paired test-set predictions.
 * <p>
 * <b>Several seeds (N ≥ 2).</b> Each seed gives one test accuracy per variant; for a given seed every variant shares
 * the validation split and the initial weights, so the comparison is paired: the difference to the baseline is taken
 * seed by seed, {@code d_i = a_i − b_i}, and its interval is the t interval of the {@code d_i}. The t interval of N
 * values with mean m and sample standard deviation s (divisor N − 1) is {@code m ± t(0.975, N − 1) · s / √N}. A
 * difference is <em>distinguishable from zero</em> when its interval excludes 0. The seeds sample the training
 * randomness (initial weights, shuffling, dropout, augmentation) on one fixed test set; they say nothing about the
 * sampling of the test set itself.
 * <p>
 * <b>One seed.</b> Nothing varies, so there is no t interval; the paired predictions of the test examples are used
 * instead. With {@code b} the examples the baseline gets right and the variant wrong, and {@code c} the reverse,
 * McNemar's exact test gives the two-sided p-value {@code min(1, 2 · P(X ≤ min(b, c)))} for X ~ Binomial(b + c, ½),
 * and the difference of the two accuracies, {@code (c − b) / n}, gets the Wald interval of a paired difference of
 * proportions, {@code (c − b)/n ± 1.96 · √(b + c − (c − b)²/n) / n}. A difference is distinguishable from zero when
 * {@code p < 0.05}.
 */
public final class Intervals {
    /** Two-sided level of every interval here. */
    public static final double LEVEL = 0.95;
    private static final double Z_975 = 1.959963984540054;

    private Intervals() {}

    /**
     * A two-sided interval with its point estimate.
     * @param mean the point estimate.
     * @param low the lower end.
     * @param high the upper end.
     */
    public record Interval(double mean, double low, double high) {
        /** @return whether the interval leaves out 0 (both ends on the same side, neither end 0). */
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }

    /**
     * The mean of the values.
     * @param values at least one value.
     * @return the arithmetic mean.
     * @throws IllegalArgumentException if there are no values or one is not finite.
     */
    public static double mean(double[] values) {
        check(values, 1);
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }

    /**
     * The sample standard deviation (divisor N − 1).
     * @param values at least two values.
     * @return the standard deviation.
     * @throws IllegalArgumentException if there are fewer than two values or one is not finite.
     */
    public static double standardDeviation(double[] values) {
        check(values, 2);
        double m = mean(values);
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (values.length - 1));
    }

    /**
     * The 95 % Student-t interval of the mean: {@code m ± t(0.975, N − 1) · s / √N}.
     * @param values at least two values (one per seed).
     * @return the interval.
     * @throws IllegalArgumentException if there are fewer than two values or one is not finite.
     */
    public static Interval tInterval(double[] values) {
        check(values, 2);
        double m = mean(values);
        double half = tQuantile(0.975, values.length - 1) * standardDeviation(values) / Math.sqrt(values.length);
        return new Interval(m, m - half, m + half);
    }

    /**
     * The 95 % t interval of the paired differences {@code variant[i] − baseline[i]} (one pair per seed).
     * @param variant the variant's values.
     * @param baseline the baseline's values, in the same seed order.
     * @return the interval of the mean difference.
     * @throws IllegalArgumentException if the lengths differ or are below 2, or a value is not finite.
     */
    public static Interval pairedDifference(double[] variant, double[] baseline) {
        return tInterval(differences(variant, baseline));
    }

    /** {@code variant[i] − baseline[i]}, refusing arrays of different lengths. */
    private static double[] differences(double[] variant, double[] baseline) {
        if (variant.length != baseline.length) {
            throw new IllegalArgumentException("paired values need one baseline value per variant value: "
                    + variant.length + " against " + baseline.length);
        }
        double[] d = new double[variant.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = variant[i] - baseline[i];
        }
        return d;
    }

    /**
     * The two-sided p-value of the paired t test of {@code variant[i] − baseline[i]} against a mean of 0:
     * {@code 2 · (1 − F(|m| / (s / √N)))} with F the t distribution function at N − 1 degrees of freedom (1 when every
     * difference is 0, 0 when they are all equal and not 0).
     * @param variant the variant's values.
     * @param baseline the baseline's values, in the same seed order.
     * @return the p-value.
     * @throws IllegalArgumentException if the lengths differ or are below 2, or a value is not finite.
     */
    public static double pairedTTestP(double[] variant, double[] baseline) {
        double[] d = differences(variant, baseline);
        double m = mean(d);
        double s = standardDeviation(d);
        if (s == 0) {
            return m == 0 ? 1 : 0;
        }
        double t = Math.abs(m) / (s / Math.sqrt(d.length));
        return Math.min(1, 2 * (1 - tCdf(t, d.length - 1)));
    }

    /**
     * The 95 % Wilson score interval of an accuracy measured on n examples (one seed: the test examples are the only
     * sample): {@code (p + z²/2n ± z·√(p(1 − p)/n + z²/4n²)) / (1 + z²/n)}, z = 1.96.
     * @param correct the examples predicted correctly.
     * @param examples n, all examples.
     * @return the interval, with the accuracy {@code correct / n} as its point estimate.
     * @throws IllegalArgumentException if the counts are negative, n is 0 or correct exceeds n.
     */
    public static Interval wilson(int correct, int examples) {
        if (examples < 1 || correct < 0 || correct > examples) {
            throw new IllegalArgumentException(correct + " correct of " + examples + " examples");
        }
        double n = examples;
        double p = correct / n;
        double z2 = Z_975 * Z_975;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z_975 * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return new Interval(p, centre - half, centre + half);
    }

    /**
     * The quantile of Student's t distribution.
     * @param p the probability, in (0, 1).
     * @param degreesOfFreedom at least 1.
     * @return t such that P(T ≤ t) = p.
     * @throws IllegalArgumentException if p is outside (0, 1) or the degrees of freedom below 1.
     */
    public static double tQuantile(double p, int degreesOfFreedom) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), found " + p);
        }
        if (degreesOfFreedom < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, found " + degreesOfFreedom);
        }
        if (p < 0.5) {
            return -tQuantile(1 - p, degreesOfFreedom);
        }
        double lo = 0;
        double hi = 1;
        while (tCdf(hi, degreesOfFreedom) < p) {
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-13 * Math.max(1, hi); i++) {
            double mid = 0.5 * (lo + hi);
            if (tCdf(mid, degreesOfFreedom) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /**
     * The distribution function of Student's t: {@code 1 − ½ I(ν / (ν + t²); ν/2, ½)} for t ≥ 0, with I the
     * regularized incomplete beta function.
     * @param t the point.
     * @param degreesOfFreedom at least 1.
     * @return P(T ≤ t).
     */
    public static double tCdf(double t, int degreesOfFreedom) {
        double nu = degreesOfFreedom;
        double tail = 0.5 * regularizedBeta(nu / (nu + t * t), nu / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /**
     * McNemar's exact two-sided test on paired outcomes: {@code min(1, 2 · P(X ≤ min(b, c)))}, X ~ Binomial(b + c, ½).
     * @param onlyBaselineRight b, the examples only the baseline gets right.
     * @param onlyVariantRight c, the examples only the variant gets right.
     * @return the p-value (1 when b + c = 0).
     * @throws IllegalArgumentException if a count is negative.
     */
    public static double mcNemarExactP(int onlyBaselineRight, int onlyVariantRight) {
        if (onlyBaselineRight < 0 || onlyVariantRight < 0) {
            throw new IllegalArgumentException("discordant counts cannot be negative: " + onlyBaselineRight + ", "
                    + onlyVariantRight);
        }
        int n = onlyBaselineRight + onlyVariantRight;
        int k = Math.min(onlyBaselineRight, onlyVariantRight);
        double tail = 0;
        double logTerm = n * Math.log(0.5); // ln P(X = 0); then ln P(X = i + 1) = ln P(X = i) + ln((n − i) / (i + 1))
        for (int i = 0; i <= k; i++) {
            tail += Math.exp(logTerm);
            logTerm += Math.log((double) (n - i) / (i + 1));
        }
        return Math.min(1, 2 * tail);
    }

    /**
     * The 95 % Wald interval of the difference of two paired accuracies on the same n examples,
     * {@code (c − b)/n ± 1.96 · √(b + c − (c − b)²/n) / n}.
     * @param onlyBaselineRight b, the examples only the baseline gets right.
     * @param onlyVariantRight c, the examples only the variant gets right.
     * @param examples n, all test examples.
     * @return the interval of variant accuracy − baseline accuracy.
     * @throws IllegalArgumentException if a count is negative or b + c exceeds n.
     */
    public static Interval pairedAccuracyDifference(int onlyBaselineRight, int onlyVariantRight, int examples) {
        int b = onlyBaselineRight;
        int c = onlyVariantRight;
        if (b < 0 || c < 0 || examples < 1 || (long) b + c > examples) {
            throw new IllegalArgumentException("discordant counts " + b + " and " + c + " do not fit " + examples
                    + " examples");
        }
        double n = examples;
        double d = (c - b) / n;
        double half = Z_975 * Math.sqrt(Math.max(0, b + c - (c - b) * (double) (c - b) / n)) / n;
        return new Interval(d, d - half, d + half);
    }

    private static void check(double[] values, int atLeast) {
        if (values.length < atLeast) {
            throw new IllegalArgumentException("need at least " + atLeast + " value(s), found " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("value " + i + " is " + values[i]);
            }
        }
    }

    /** ln Γ(x) for x > 0: the Lanczos approximation (g = 7, nine terms), reflected below ½. */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                1.5056327351493116e-7};
        double z = x - 1;
        double a = c[0];
        double t = z + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
    }

    /** The regularized incomplete beta function I_x(a, b), by its continued fraction (modified Lentz). */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        if (x > (a + 1) / (a + b + 2)) {
            return 1 - regularizedBeta(1 - x, b, a);
        }
        double front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - (logGamma(a) + logGamma(b) - logGamma(a + b))) / a;
        double tiny = 1e-300;
        double cc = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double f = d;
        for (int m = 1; m <= 500; m++) {
            double num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + num * d;
            d = Math.abs(d) < tiny ? tiny : d;
            cc = 1 + num / cc;
            cc = Math.abs(cc) < tiny ? tiny : cc;
            d = 1 / d;
            f *= d * cc;
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 + num * d;
            d = Math.abs(d) < tiny ? tiny : d;
            cc = 1 + num / cc;
            cc = Math.abs(cc) < tiny ? tiny : cc;
            d = 1 / d;
            double delta = d * cc;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-15) {
                break;
            }
        }
        return front * f;
    }

    /**
     * The area under the ROC curve of a score that should be higher for {@code positives} than for
     * {@code negatives}: the probability that a random positive scores above a random negative, ties counting ½
     * (the Mann–Whitney U statistic divided by {@code |positives| · |negatives|}). 0.5 is chance, 1 perfect separation.
     * @param positives the scores of the examples that should score high (e.g. out-of-distribution images).
     * @param negatives the scores of the others.
     * @return the AUROC in [0, 1].
     * @throws IllegalArgumentException if either side is empty or a score is NaN.
     */
    public static double auroc(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            throw new IllegalArgumentException("AUROC needs scores on both sides, found " + positives.length
                    + " positives and " + negatives.length + " negatives");
        }
        int n = positives.length + negatives.length;
        double[][] all = new double[n][];
        for (int i = 0; i < n; i++) {
            double v = i < positives.length ? positives[i] : negatives[i - positives.length];
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("AUROC: score " + i + " is NaN");
            }
            all[i] = new double[]{v, i < positives.length ? 1 : 0};
        }
        java.util.Arrays.sort(all, java.util.Comparator.comparingDouble(a -> a[0]));
        double positiveRanks = 0; // midranks, 1-based, summed over the positives
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && all[j][0] == all[i][0]) {
                j++;
            }
            double midrank = (i + 1 + j) / 2.0;
            for (int k = i; k < j; k++) {
                positiveRanks += all[k][1] * midrank;
            }
            i = j;
        }
        double p = positives.length;
        return (positiveRanks - p * (p + 1) / 2) / (p * negatives.length);
    }
}
