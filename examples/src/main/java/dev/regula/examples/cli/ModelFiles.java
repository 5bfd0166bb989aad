package dev.regula.examples.cli;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import dev.regula.mlp.MLPModel;
import org.jspecify.annotations.Nullable;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading and writing a model with its provenance (JSON), training history (CSV) and evaluation. */
final class ModelFiles {
    private ModelFiles() {}

    /**
     * Writes {@code model.tribuo}-style files: the model (Tribuo protobuf), {@code provenance.json},
     * {@code history.csv} and, if given, {@code confusion-matrix.txt}, next to {@code modelFile}.
     * @param model the model.
     * @param modelFile the model file.
     * @param evaluation the test evaluation, or null.
     * @throws IOException if writing fails.
     */
    static void write(MLPModel model, Path modelFile, @Nullable LabelEvaluation evaluation) throws IOException {
        Path dir = modelFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        model.serializeToFile(modelFile);
        Files.writeString(dir.resolve("provenance.json"),
                new JsonProvenanceSerialization(true).marshalAndSerialize(model.getProvenance()), StandardCharsets.UTF_8);
        model.getHistory().writeCsv(dir.resolve("history.csv"));
        if (evaluation != null) {
            Files.writeString(dir.resolve("confusion-matrix.txt"), evaluation + "\n\nConfusion matrix (rows: true label, columns: predicted)\n"
                    + evaluation.getConfusionMatrix() + "\n", StandardCharsets.UTF_8);
        }
    }

    /**
     * Reads a model saved by {@link #write} (or any Tribuo protobuf {@link MLPModel}).
     * @param file the model file.
     * @return the model.
     * @throws IOException if the file is missing or not a Regula MLP model.
     */
    static MLPModel read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserException("model file " + file + " does not exist");
        }
        Model<?> m;
        try {
            m = Model.deserializeFromFile(file);
        } catch (IOException | RuntimeException e) {
            throw new UserException("cannot read " + file + " as a Tribuo protobuf model: " + e.getMessage());
        }
        if (!(m instanceof MLPModel mlp)) {
            throw new UserException(file + " holds a " + m.getClass().getSimpleName() + ", not a Regula MLPModel");
        }
        if (!m.validate(Label.class)) {
            throw new UserException(file + " is not a classification model");
        }
        return mlp;
    }
}
