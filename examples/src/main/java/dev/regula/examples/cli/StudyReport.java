package dev.regula.examples.cli;

import dev.regula.data.AtomicFiles;
import dev.regula.experiment.ProvenanceDiff;
import dev.regula.experiment.StudySettings;
import dev.regula.experiment.StudyVariant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import static dev.regula.experiment.ProvenanceDiff.html;

/** Writes the study's self-contained {@code report.html} (images referenced relatively). */
final class StudyReport {
    private StudyReport() {}

    /**
     * Writes the report (atomically, so a reader never sees half a file).
     * @param out the study folder.
     * @param data the data description.
     * @param settings the shared settings.
     * @param summary every finished run, summarized per variant over its seeds.
     * @param results the first seed's finished runs, in study order (their provenances are compared).
     * @param pending the runs not finished yet, by name.
     * @param failed the variants whose training failed.
     * @param stale the variant folders of an earlier run that this run does not write.
     * @throws IOException if writing fails.
     */
    static void write(Path out, DataSet data, StudySettings settings, StudyResults summary, List<VariantResult> results,
                      List<String> pending, List<StudyVariant> failed, List<String> stale) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Regula regularization study</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}")
                .append("th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}table.diff td{text-align:left}")
                .append("img{max-width:100%;border:1px solid #eee}code{font-size:.9em}.note{color:#555}")
                .append("</style></head><body>\n<h1>Regularization study</h1>\n");
        h.append("<p class=\"note\">Generated ").append(OffsetDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append(" by <code>regula study</code>.");
        if (!pending.isEmpty()) {
            h.append(" <strong>In progress:</strong> still to run: ").append(html(String.join(", ", pending))).append('.');
        }
        if (!failed.isEmpty()) {
            h.append(" <strong>Failed</strong> (see the console): ").append(html(names(failed))).append('.');
        }
        if (!stale.isEmpty()) {
            h.append(" <strong>Not part of this run:</strong> the folders of ").append(html(String.join(", ", stale)))
                    .append(" hold results of an earlier run into this folder.");
        }
        h.append("</p>\n<h2>Data and method</h2>\n<ul>\n<li>Data: ").append(html(data.description)).append("</li>\n")
                .append("<li>Network: ").append(settings.getHiddenUnits().size()).append(" hidden ReLU layers of ")
                .append(html(settings.getHiddenUnits().toString())).append(" units, softmax output; Adam (learning rate ")
                .append(settings.getLearningRate()).append("), batch ").append(settings.getMinibatchSize()).append(", ")
                .append(settings.getEpochs()).append(" epochs, ").append(seeds(settings, summary)).append(".</li>\n")
                .append("<li>Validation: ").append(Math.round(settings.getValidationFraction() * 100))
                .append(" % of the training data, stratified and seeded, held out inside the trainer.</li>\n")
                .append("<li>Train accuracy is the training history's value for the epoch whose weights the model keeps "
                        + "(accumulated over the epoch's batches with dropout and augmentation active, as Keras reports it); "
                        + "validation accuracy is measured on the held-out validation split at the end of that epoch; "
                        + "test accuracy is Tribuo's <code>LabelEvaluator</code> on the test set.</li>\n</ul>\n");

        h.append("<h2>Results</h2>\n").append(summary.html());
        if (Files.exists(out.resolve("test-accuracy.png"))) {
            h.append("<p><img src=\"test-accuracy.png\" alt=\"test accuracy and difference to the baseline, with 95 % intervals\"> "
                    + "<a href=\"test-accuracy.svg\">SVG</a></p>\n");
        }
        h.append("<p class=\"note\">The gap is the overfitting each technique removes: a smaller gap with a "
                + "similar or better validation accuracy means better generalisation. Per-run files: "
                + "<code>&lt;variant&gt;/</code> (one seed) or <code>&lt;variant&gt;/seed-&lt;S&gt;/</code>: "
                + "<code>history.csv</code>, <code>model.tribuo</code>, <code>provenance.json</code>, "
                + "<code>confusion-matrix.txt</code>; one row per run in <code>runs.csv</code>, the means in "
                + "<code>results.csv</code>.</p>\n");

        if (Files.exists(out.resolve("accuracy.png"))) {
            h.append("<h2>Learning curves</h2>\n<p class=\"note\">One panel per variant, all on the same scale: training "
                            + "(solid) and validation (dashed) per epoch; with several seeds the line is their mean and the "
                            + "band ± one standard deviation over the seeds.</p>\n")
                    .append("<p><img src=\"accuracy.png\" alt=\"accuracy per epoch\"> <a href=\"accuracy.svg\">SVG</a></p>\n")
                    .append("<p><img src=\"loss.png\" alt=\"loss per epoch\"> <a href=\"loss.svg\">SVG</a></p>\n");
        }
        if (Files.exists(out.resolve("samples.png"))) {
            h.append("<h2>Sample images</h2>\n<p><img src=\"samples.png\" alt=\"sample images\"></p>\n<p class=\"note\">Row 1: "
                    + "training images; rows 2–3: two random draws of the <code>augmented_zca</code> augmentation; last row "
                    + "(when that variant has run): ZCA-whitened with the statistics fitted on its training split. Each image "
                    + "is stretched to its own value range for display.</p>\n");
        }

        h.append("<h2>Configuration differences from the baseline</h2>\n");
        VariantResult baseline = results.stream().filter(r -> r.variant() == StudyVariant.BASELINE).findFirst().orElse(null);
        if (baseline == null) {
            h.append("<p>The baseline was not part of this run, so there is nothing to compare with.</p>\n");
        } else {
            h.append("<p class=\"note\">Extracted from the two models' provenances (the first seed's) with <code>ProvenanceDiff</code> "
                    + "(training times excluded). Identical data hashes mean every variant saw the same data.</p>\n");
            for (VariantResult r : results) {
                if (r == baseline) {
                    continue;
                }
                h.append("<h3 id=\"diff-").append(html(r.variant().getName())).append("\">").append(html(r.variant().getName()))
                        .append("</h3>\n").append(ProvenanceDiff.of(baseline.model().getProvenance(), r.model().getProvenance())
                                .toHtml("baseline", r.variant().getName()));
            }
        }
        h.append("</body></html>\n");
        AtomicFiles.writeString(out.resolve("report.html"), h);
    }

    private static String seeds(StudySettings settings, StudyResults summary) {
        int n = summary.summaries().stream().mapToInt(s -> s.seeds()).max().orElse(1);
        return n <= 1 ? "seed " + settings.getSeed() : "seeds " + settings.getSeed() + "–" + (settings.getSeed() + n - 1);
    }

    private static String names(List<StudyVariant> variants) {
        StringBuilder sb = new StringBuilder();
        for (StudyVariant v : variants) {
            sb.append(sb.length() == 0 ? "" : ", ").append(v.getName());
        }
        return sb.toString();
    }
}
