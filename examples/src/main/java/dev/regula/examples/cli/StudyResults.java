package dev.regula.examples.cli;

import dev.regula.experiment.Intervals;
import dev.regula.experiment.ProvenanceDiff;
import dev.regula.experiment.SeedComparison;
import dev.regula.experiment.StudyVariant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The study's {@code results.csv} and summary table: per variant the means over its seeds of the {@code runs.csv}
 * columns, then the test accuracy's spread and 95 % interval and the paired difference to the baseline
 * ({@link SeedComparison}: t intervals over seeds, or for one seed the Wilson interval and McNemar's test).
 */
final class StudyResults {
    /** The {@code results.csv} header. */
    static final String HEADER = "variant," + VariantResult.COLUMNS + ",seeds,test_accuracy_std,test_accuracy_ci95_low,"
            + "test_accuracy_ci95_high,test_delta_vs_baseline,test_delta_ci95_low,test_delta_ci95_high,test_delta_p,"
            + "distinguishable,test_delta_method";

    private final List<Row> rows = new ArrayList<>();

    /** One variant: its runs and their comparison. */
    private record Row(StudyVariant variant, List<VariantResult> runs, SeedComparison.Summary summary) {
        double mean(java.util.function.ToDoubleFunction<VariantResult> f) {
            return runs.stream().mapToDouble(f).average().orElse(Double.NaN);
        }
    }

    /**
     * Summarizes finished runs.
     * @param runs every finished run, any order.
     */
    StudyResults(List<VariantResult> runs) {
        Map<StudyVariant, List<VariantResult>> byVariant = new LinkedHashMap<>();
        for (StudyVariant v : StudyVariant.values()) {
            for (VariantResult r : runs) {
                if (r.variant() == v) {
                    byVariant.computeIfAbsent(v, x -> new ArrayList<>()).add(r);
                }
            }
        }
        List<SeedComparison.Run> all = new ArrayList<>();
        byVariant.values().forEach(list -> list.forEach(r -> all.add(r.run())));
        List<SeedComparison.Summary> summaries = SeedComparison.summarize(all, StudyVariant.BASELINE.getName());
        int i = 0;
        for (Map.Entry<StudyVariant, List<VariantResult>> e : byVariant.entrySet()) {
            rows.add(new Row(e.getKey(), e.getValue(), summaries.get(i++)));
        }
    }

    /** @return the contents of {@code results.csv}. */
    String csv() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Row r : rows) {
            SeedComparison.Summary s = r.summary();
            Intervals.Interval d = s.delta();
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%.4f,%.4f,%.4f,%.1f,%d,%s,%.4f,%.4f,%s,%s,%s,%s,%s,%s%n",
                    r.variant().getName(), number(r.mean(x -> x.model().getHistory().getEpochsRun())),
                    number(r.mean(VariantResult::bestEpoch)), r.mean(VariantResult::trainAccuracy),
                    r.mean(VariantResult::validationAccuracy), s.testAccuracy(), r.mean(VariantResult::seconds), s.seeds(),
                    Double.isNaN(s.testAccuracyStd()) ? "" : String.format(Locale.ROOT, "%.4f", s.testAccuracyStd()),
                    s.testAccuracyInterval().low(), s.testAccuracyInterval().high(),
                    d == null ? "" : String.format(Locale.ROOT, "%.4f", d.mean()),
                    d == null ? "" : String.format(Locale.ROOT, "%.4f", d.low()),
                    d == null ? "" : String.format(Locale.ROOT, "%.4f", d.high()),
                    d == null ? "" : String.format(Locale.ROOT, "%.4g", s.deltaP()),
                    d == null ? "" : s.distinguishable() ? "yes" : "no",
                    s.deltaTest() == null ? "" : s.deltaTest().name().toLowerCase(Locale.ROOT)));
        }
        return sb.toString();
    }

    /**
     * The summary as a Markdown table: mean test accuracy with its interval, and the difference to the baseline with
     * its interval, marked {@code *} when distinguishable from zero.
     * @return the table and a line saying which method gave the intervals.
     */
    String table() {
        int seeds = rows.stream().mapToInt(r -> r.summary().seeds()).max().orElse(0);
        StringBuilder sb = new StringBuilder("| variant | seeds | test acc. | 95 % interval | vs baseline | 95 % interval | p |\n"
                + "|---|---:|---:|---|---:|---|---:|\n");
        for (Row r : rows) {
            SeedComparison.Summary s = r.summary();
            Intervals.Interval d = s.delta();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f – %.4f | %s | %s | %s |%n", r.variant(), s.seeds(),
                    s.testAccuracy(), s.testAccuracyInterval().low(), s.testAccuracyInterval().high(),
                    d == null ? "" : String.format(Locale.ROOT, "%+.4f%s", d.mean(), s.distinguishable() ? " *" : ""),
                    d == null ? "" : String.format(Locale.ROOT, "%+.4f – %+.4f", d.low(), d.high()),
                    d == null ? "" : String.format(Locale.ROOT, "%.3g", s.deltaP()) + dagger(s)));
        }
        sb.append(seeds > 1
                ? "Intervals: Student t over the seeds; differences paired by seed (paired t test). * = p < 0.05.\n"
                : "One seed: Wilson intervals over the test examples; differences from the paired predictions "
                        + "(McNemar's exact test). * = p < 0.05. Use --seeds N for intervals over training randomness.\n");
        if (anyIdentical()) {
            sb.append(IDENTICAL_NOTE).append('\n');
        }
        return sb.toString();
    }

    /** @return the per-variant summaries, in study order. */
    List<SeedComparison.Summary> summaries() {
        List<SeedComparison.Summary> list = new ArrayList<>();
        rows.forEach(r -> list.add(r.summary()));
        return list;
    }

    /**
     * The report's results table: per variant the means over its seeds of epochs, best epoch, training and
     * validation accuracy and their gap, then the mean test accuracy with its interval and the difference to the
     * baseline with its interval (bold when distinguishable from zero) and p-value, then the training time.
     * @return an HTML table and the sentence naming the method of the intervals.
     */
    String html() {
        int seeds = rows.stream().mapToInt(r -> r.summary().seeds()).max().orElse(0);
        StringBuilder h = new StringBuilder("<table>\n<tr><th>variant</th><th>technique</th><th>seeds</th><th>epochs run</th>"
                + "<th>best epoch</th><th>train acc.</th><th>val. acc.</th><th>gap (train − val.)</th><th>test acc.</th>"
                + "<th>95 % interval</th><th>vs baseline</th><th>95 % interval</th><th>p</th><th>train s</th></tr>\n");
        for (Row r : rows) {
            SeedComparison.Summary s = r.summary();
            Intervals.Interval d = s.delta();
            double train = r.mean(VariantResult::trainAccuracy);
            double val = r.mean(VariantResult::validationAccuracy);
            String delta = d == null ? "" : String.format(Locale.ROOT, "%+.4f", d.mean());
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%s</td><td>%s</td><td>%.4f</td>"
                            + "<td>%.4f</td><td>%+.4f</td><td>%.4f</td><td>%.4f – %.4f</td><td>%s</td><td>%s</td><td>%s</td>"
                            + "<td>%.1f</td></tr>%n",
                    r.variant().getName(), ProvenanceDiff.html(r.variant().getDescription()), s.seeds(),
                    number(r.mean(x -> x.model().getHistory().getEpochsRun())), number(r.mean(VariantResult::bestEpoch)),
                    train, val, train - val, s.testAccuracy(), s.testAccuracyInterval().low(), s.testAccuracyInterval().high(),
                    s.distinguishable() ? "<strong>" + delta + "</strong>" : delta,
                    d == null ? "" : String.format(Locale.ROOT, "%+.4f – %+.4f", d.low(), d.high()),
                    d == null ? "" : String.format(Locale.ROOT, "%.3g", s.deltaP()) + dagger(s), r.mean(VariantResult::seconds)));
        }
        h.append("</table>\n<p class=\"note\">").append(seeds > 1
                ? "Every figure is the mean over the seeds. Intervals: Student t over the seeds; differences to the baseline "
                        + "are paired by seed (for a seed every variant shares the validation split and the initial weights), "
                        + "with the paired t test's p-value; bold: distinguishable from zero (p &lt; 0.05)."
                : "One seed: Wilson intervals over the test examples; differences to the baseline from the paired "
                        + "predictions (McNemar's exact test); bold: distinguishable from zero (p &lt; 0.05). Use "
                        + "<code>--seeds N</code> for intervals over the training randomness.")
                .append(anyIdentical() ? " " + IDENTICAL_NOTE : "").append("</p>\n");
        return h.toString();
    }

    /** The note on differences that were the same for every seed. */
    private static final String IDENTICAL_NOTE = "† every seed gave the same difference to the baseline, so a t interval "
            + "over the seeds would have zero width: that row's interval and p come from McNemar's exact test on the paired "
            + "predictions of its least conclusive seed.";

    /** @return whether some variant's difference was the same for every seed. */
    private boolean anyIdentical() {
        return rows.stream().anyMatch(r -> r.summary().deltaTest() == SeedComparison.DeltaTest.MCNEMAR_IDENTICAL_SEEDS);
    }

    /** A dagger after the p-value of a difference that was the same for every seed. */
    private static String dagger(SeedComparison.Summary s) {
        return s.deltaTest() == SeedComparison.DeltaTest.MCNEMAR_IDENTICAL_SEEDS ? " †" : "";
    }

    /** An integer as an integer, a fractional mean with two decimals. */
    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
