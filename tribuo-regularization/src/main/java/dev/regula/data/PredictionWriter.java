package dev.regula.data;

import com.opencsv.CSVWriter;
import com.opencsv.ICSVWriter;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Writes classification predictions as a CSV in the submission format of the reference study:
 * a header {@code filename,label} then one row per prediction, in order, with the image file name (from the
 * example metadata {@value ImageFolderDataSource#FILENAME_METADATA} set by {@link ImageFolderDataSource}) and the
 * predicted label. Optionally one column per class, {@code p_<label>}, holds the predicted probability
 * (classes in ascending label-name order). Written with OpenCSV (RFC 4180 quoting where needed), UTF-8,
 * {@code \n} line ends.
 */
public final class PredictionWriter {
    /** Prefix of the per-class probability columns. */
    public static final String PROBABILITY_PREFIX = "p_";

    private PredictionWriter() {}

    /**
     * Writes predictions to a file, replacing it atomically ({@link AtomicFiles}): a failure leaves the previous
     * file, if any.
     * @param file the CSV file.
     * @param predictions the predictions, whose examples carry a file name.
     * @param withProbabilities true to add the per-class probability columns.
     * @throws IllegalArgumentException if an example has no file name, or probabilities are requested from a
     *     model that does not produce them, or the predictions disagree on the classes.
     * @throws IOException if the file cannot be written.
     */
    public static void write(Path file, List<Prediction<Label>> predictions, boolean withProbabilities) throws IOException {
        write(file, predictions, withProbabilities, Map.of());
    }

    /**
     * Writes predictions with extra numeric columns after the label and probability columns (e.g. the uncertainty of
     * Monte-Carlo dropout), replacing the file atomically.
     * @param file the CSV file.
     * @param predictions the predictions, whose examples carry a file name.
     * @param withProbabilities true to add the per-class probability columns.
     * @param extraColumns column name → one value per prediction, in the map's iteration order.
     * @throws IllegalArgumentException as {@link #write(Path, List, boolean)}, or if an extra column's name clashes
     *     with another column or it holds another number of values than there are predictions.
     * @throws IOException if the file cannot be written.
     */
    public static void write(Path file, List<Prediction<Label>> predictions, boolean withProbabilities,
                             Map<String, double[]> extraColumns) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            write(w, predictions, withProbabilities, extraColumns);
            w.flush();
        });
    }

    /**
     * Writes predictions to a writer (which is flushed, not closed).
     * @param out the writer.
     * @param predictions the predictions, whose examples carry a file name.
     * @param withProbabilities true to add the per-class probability columns.
     * @throws IllegalArgumentException as {@link #write(Path, List, boolean)}.
     * @throws IOException if writing fails.
     */
    public static void write(Writer out, List<Prediction<Label>> predictions, boolean withProbabilities) throws IOException {
        write(out, predictions, withProbabilities, Map.of());
    }

    /**
     * Writes predictions with extra numeric columns to a writer (which is flushed, not closed).
     * @param out the writer.
     * @param predictions the predictions, whose examples carry a file name.
     * @param withProbabilities true to add the per-class probability columns.
     * @param extraColumns column name → one value per prediction, in the map's iteration order.
     * @throws IllegalArgumentException as {@link #write(Path, List, boolean, Map)}.
     * @throws IOException if writing fails.
     */
    public static void write(Writer out, List<Prediction<Label>> predictions, boolean withProbabilities,
                             Map<String, double[]> extraColumns) throws IOException {
        List<String> classes = new ArrayList<>();
        if (withProbabilities && !predictions.isEmpty()) {
            classes.addAll(new TreeSet<>(predictions.get(0).getOutputScores().keySet()));
        }
        List<String[]> rows = new ArrayList<>(predictions.size() + 1);
        String[] header = new String[2 + classes.size() + extraColumns.size()];
        header[0] = "filename";
        header[1] = "label";
        for (int i = 0; i < classes.size(); i++) {
            header[2 + i] = PROBABILITY_PREFIX + classes.get(i);
        }
        List<double[]> extra = new ArrayList<>();
        int column = 2 + classes.size();
        for (Map.Entry<String, double[]> e : extraColumns.entrySet()) {
            if (Arrays.asList(header).subList(0, column).contains(e.getKey())) {
                throw new IllegalArgumentException("extra column '" + e.getKey() + "' clashes with another column");
            }
            if (e.getValue().length != predictions.size()) {
                throw new IllegalArgumentException("extra column '" + e.getKey() + "' holds " + e.getValue().length
                        + " values for " + predictions.size() + " predictions");
            }
            header[column++] = e.getKey();
            extra.add(e.getValue());
        }
        rows.add(header);
        for (int i = 0; i < predictions.size(); i++) {
            Prediction<Label> p = predictions.get(i);
            Optional<Object> name = p.getExample().getMetadataValue(ImageFolderDataSource.FILENAME_METADATA);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("Prediction " + i + " has no '" + ImageFolderDataSource.FILENAME_METADATA
                        + "' metadata; predict on examples from ImageFolderDataSource");
            }
            String[] row = new String[header.length];
            row[0] = name.get().toString();
            row[1] = p.getOutput().getLabel();
            if (withProbabilities) {
                if (!p.hasProbabilities()) {
                    throw new IllegalArgumentException("Prediction " + i + " (" + row[0] + ") has no probabilities; "
                            + "the model does not generate them");
                }
                Map<String, Label> scores = p.getOutputScores();
                if (!scores.keySet().equals(new TreeSet<>(classes))) {
                    throw new IllegalArgumentException("Prediction " + i + " (" + row[0] + ") scores classes "
                            + new TreeSet<>(scores.keySet()) + ", the first prediction scores " + classes);
                }
                for (int c = 0; c < classes.size(); c++) {
                    row[2 + c] = Double.toString(scores.get(classes.get(c)).getScore());
                }
            }
            for (int c = 0; c < extra.size(); c++) {
                row[2 + classes.size() + c] = Double.toString(extra.get(c)[i]);
            }
            rows.add(row);
        }
        ICSVWriter csv = new CSVWriter(out, ',', ICSVWriter.DEFAULT_QUOTE_CHARACTER, '"', "\n");
        for (String[] row : rows) {
            csv.writeNext(row, false);
        }
        csv.flush();
    }
}
