package dev.regula.examples.cli;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import dev.regula.data.AtomicFiles;
import dev.regula.mlp.AbstractMLPModel;
import dev.regula.mlp.MLPModel;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading and writing a model with its provenance (JSON), training history (CSV) and evaluation. Every file is
 * written to a temporary name and moved into place, so a failure (a full disk) never leaves a truncated file under
 * the final name.
 */
final class ModelFiles {
    /** The files written next to a model file, in the order they are written. */
    static final List<String> SIDE_FILES = List.of("provenance.json", "history.csv", "confusion-matrix.txt", "evaluation.txt");

    private ModelFiles() {}

    /**
     * @param modelFile a model file.
     * @return the model file and the files written next to it.
     */
    static List<Path> files(Path modelFile) {
        Path dir = modelFile.toAbsolutePath().getParent();
        List<Path> out = new ArrayList<>();
        out.add(modelFile);
        for (String f : SIDE_FILES) {
            out.add(dir.resolve(f));
        }
        return out;
    }

    /**
     * Refuses to replace existing files unless asked to: a model file that is a directory always, and the model
     * file or the files written next to it (another model's, or the user's own) without {@code overwrite}.
     * @param modelFile the model file.
     * @param overwrite true if {@code --overwrite} was given.
     * @throws UserException naming the existing files.
     */
    static void checkWritable(Path modelFile, boolean overwrite) {
        if (Files.isDirectory(modelFile)) {
            throw new UserException("--model " + modelFile + " is a directory; give the model file, e.g. "
                    + modelFile.resolve("model.tribuo"));
        }
        List<Path> existing = new ArrayList<>();
        for (Path f : files(modelFile)) {
            if (Files.exists(f)) {
                existing.add(f);
            }
        }
        if (!existing.isEmpty() && !overwrite) {
            StringBuilder names = new StringBuilder();
            for (Path f : existing) {
                names.append(names.length() == 0 ? "" : ", ").append(f);
            }
            throw new UserException("--model " + modelFile + ": " + names + " already exist; choose another folder or add "
                    + "--overwrite to replace them");
        }
    }

    /**
     * Writes the model (Tribuo protobuf), {@code provenance.json} and {@code history.csv} next to it, each atomically.
     * @param model the model.
     * @param modelFile the model file.
     * @throws IOException naming the file if writing fails.
     */
    static void writeModel(AbstractMLPModel<?> model, Path modelFile) throws IOException {
        Path dir = modelFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        AtomicFiles.write(modelFile, model::serializeToStream);
        AtomicFiles.writeString(dir.resolve("provenance.json"),
                new JsonProvenanceSerialization(true).marshalAndSerialize(model.getProvenance()));
        AtomicFiles.writeVia(dir.resolve("history.csv"), tmp -> model.getHistory().writeCsv(tmp));
    }

    /**
     * Writes {@code confusion-matrix.txt} next to a model file, atomically.
     * @param modelFile the model file.
     * @param evaluation the test evaluation.
     * @throws IOException naming the file if writing fails.
     */
    static void writeEvaluation(Path modelFile, LabelEvaluation evaluation) throws IOException {
        AtomicFiles.writeString(evaluationFile(modelFile), evaluation + "\n\nConfusion matrix (rows: true label, columns: "
                + "predicted)\n" + evaluation.getConfusionMatrix() + "\n");
    }

    /**
     * Removes the {@code confusion-matrix.txt} of a model that was just replaced and could not be evaluated, so that
     * no evaluation of another model is left next to it.
     * @param modelFile the model file.
     * @throws IOException if it cannot be removed.
     */
    private static void removeEvaluation(Path modelFile) throws IOException {
        Files.deleteIfExists(evaluationFile(modelFile));
    }

    private static Path evaluationFile(Path modelFile) {
        return modelFile.toAbsolutePath().getParent().resolve("confusion-matrix.txt");
    }

    /**
     * Evaluates a model on the test set; an empty test set or a failing evaluator is a {@link UserException} that
     * says the model itself was saved.
     * @param model the model, already saved.
     * @param modelFile where it was saved.
     * @param test the test set.
     * @return the evaluation.
     */
    static LabelEvaluation evaluate(MLPModel model, Path modelFile, Dataset<Label> test) {
        String saved = "the model was trained and saved to " + modelFile.toAbsolutePath() + ", but it could not be evaluated: ";
        if (test.size() == 0) {
            throw new UserException(saved + "the test set is empty (with no labelled test set, --test-fraction decides "
                    + "how much of each class is held out; raise it)");
        }
        try {
            return new LabelEvaluator().evaluate(model, test);
        } catch (RuntimeException e) {
            throw new UserException(saved + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /**
     * Saves a freshly trained model, then evaluates it on the test set and saves the evaluation next to it. The model
     * is written first, so an evaluation failure never loses it; that failure removes any evaluation file of an
     * earlier model from the folder and is rethrown.
     * @param model the trained model.
     * @param modelFile where to save it.
     * @param test the test set.
     * @return the evaluation.
     * @throws IOException naming the file if writing fails.
     * @throws UserException if the model cannot be evaluated (it is saved all the same).
     */
    static LabelEvaluation saveThenEvaluate(MLPModel model, Path modelFile, Dataset<Label> test) throws IOException {
        writeModel(model, modelFile);
        LabelEvaluation evaluation;
        try {
            evaluation = evaluate(model, modelFile, test);
        } catch (UserException e) {
            removeEvaluation(modelFile);
            throw e;
        }
        writeEvaluation(modelFile, evaluation);
        return evaluation;
    }

    /**
     * Writes {@code evaluation.txt} (a regression or multi-label evaluation) next to a model file, atomically.
     * @param modelFile the model file.
     * @param evaluation the evaluation's text.
     * @throws IOException naming the file if writing fails.
     */
    static void writeEvaluationText(Path modelFile, String evaluation) throws IOException {
        AtomicFiles.writeString(modelFile.toAbsolutePath().getParent().resolve("evaluation.txt"), evaluation + "\n");
    }

    /**
     * Reads any Regula network model: classification, regression or multi-label.
     * @param file the model file.
     * @return the model.
     * @throws IOException if the file is missing or not a Regula network model.
     */
    static AbstractMLPModel<?> readAny(Path file) throws IOException {
        Model<?> m = load(file);
        if (!(m instanceof AbstractMLPModel<?> network)) {
            throw new UserException(file + " holds a " + m.getClass().getSimpleName() + ", not a Regula network model");
        }
        return network;
    }

    /** Deserializes a Tribuo protobuf model, naming the file and the real cause of a failure. */
    private static Model<?> load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("model file " + file + " does not exist");
        }
        try {
            return Model.deserializeFromFile(file);
        } catch (IOException | RuntimeException e) {
            throw new UserException("cannot read " + file + " as a Tribuo protobuf model: " + rootCause(e));
        }
    }

    /** The innermost message of an exception chain (Tribuo wraps a model's own load error in reflection errors). */
    static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * Reads a model saved by {@link #write} (or any Tribuo protobuf {@link MLPModel}).
     * @param file the model file.
     * @return the model.
     * @throws IOException if the file is missing or not a Regula MLP model.
     */
    static MLPModel read(Path file) throws IOException {
        Model<?> m = load(file);
        if (!(m instanceof MLPModel mlp)) {
            throw new UserException(file + " holds a " + m.getClass().getSimpleName() + ", not a Regula MLPModel");
        }
        if (!m.validate(Label.class)) {
            throw new UserException(file + " is not a classification model");
        }
        return mlp;
    }
}
