package dev.regula.experiment;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.io.ProvenanceSerializationException;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import dev.regula.data.AtomicFiles;
import dev.regula.data.Sha256;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import org.jspecify.annotations.Nullable;
import org.tribuo.provenance.ModelProvenance;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The finished trials of a sweep on disk, so that an interrupted sweep resumes where it stopped. Per successful
 * trial, in one folder: {@code ID.provenance.json} (the model provenance), {@code ID.model} (Tribuo protobuf, when
 * kept) and, written last, {@code ID.result.properties} (scores, epochs, attempts and the fingerprint of the trial's
 * configuration). Every file is written atomically ({@link AtomicFiles}: a temporary name, then a move), and the
 * properties file last, so a trial interrupted while being saved is simply not finished.
 * <p>
 * A stored trial counts as finished only if its fingerprint matches the trial and its provenance does too: the
 * provenance must be a network model's, its trainer must have the configuration the trial's text re-creates (same
 * classes and values at every level; instance values such as times aside) and its train invocation count must be
 * the one the trial's split gives. Anything else (a changed grid, a hand-edited file, a corrupt JSON) is run again.
 */
public final class TrialStore {
    private static final String RESULT = ".result.properties";
    private static final String PROVENANCE = ".provenance.json";
    private static final String MODEL = ".model";

    private final Path dir;

    /**
     * A store in a folder (created when the first result is saved).
     * @param dir the folder.
     */
    public TrialStore(Path dir) {
        this.dir = dir;
    }

    /** @return the folder. */
    public Path getDirectory() {
        return dir;
    }

    /**
     * The fingerprint of a trial: the SHA-256 of its full configuration (every component of the record).
     * @param trial the trial.
     * @return the hex digest.
     */
    public static String fingerprint(Trial trial) {
        return Sha256.hex(Sha256.digest(trial.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Saves a successful result; failed ones are not stored, so a resumed sweep tries them again.
     * @param result the result.
     * @throws IOException if writing fails.
     * @throws IllegalArgumentException if the result is a failure.
     */
    public void save(TrialResult result) throws IOException {
        if (!result.succeeded()) {
            throw new IllegalArgumentException("only successful trials are stored; " + result.trial().describe() + " failed");
        }
        Files.createDirectories(dir);
        String id = result.id();
        AtomicFiles.writeString(dir.resolve(id + PROVENANCE), result.provenanceJson());
        byte[] model = result.model();
        if (model != null) {
            AtomicFiles.write(dir.resolve(id + MODEL), out -> out.write(model));
        }
        Properties p = new Properties();
        p.setProperty("id", id);
        p.setProperty("fingerprint", fingerprint(result.trial()));
        p.setProperty("score", Double.toString(result.score()));
        for (Map.Entry<String, Double> e : result.scores().entrySet()) {
            p.setProperty("scores." + e.getKey(), Double.toString(e.getValue()));
        }
        p.setProperty("scores.order", String.join(",", result.scores().keySet()));
        p.setProperty("epochs", Integer.toString(result.epochs()));
        p.setProperty("attempts", Integer.toString(result.attempts()));
        p.setProperty("seconds", Double.toString(result.seconds()));
        p.setProperty("worker", result.worker());
        p.setProperty("model", Boolean.toString(model != null));
        StringWriter text = new StringWriter();
        p.store(text, "Regula trial result");
        AtomicFiles.writeString(dir.resolve(id + RESULT), text.toString());
    }

    /**
     * The stored result of a trial, if it finished (see the class comment for what is checked).
     * @param trial the trial.
     * @return the result, or empty if the trial has to run.
     */
    public Optional<TrialResult> finished(Trial trial) {
        Path file = dir.resolve(trial.id() + RESULT);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Properties p = new Properties();
            try (Reader in = new StringReader(Files.readString(file, StandardCharsets.UTF_8))) {
                p.load(in);
            }
            if (!fingerprint(trial).equals(p.getProperty("fingerprint"))) {
                return Optional.empty();
            }
            String json = Files.readString(dir.resolve(trial.id() + PROVENANCE), StandardCharsets.UTF_8);
            if (!matches(trial, json)) {
                return Optional.empty();
            }
            Map<String, Double> scores = new LinkedHashMap<>();
            for (String key : p.getProperty("scores.order", "").split(",")) {
                if (!key.isEmpty()) {
                    scores.put(key, Double.parseDouble(p.getProperty("scores." + key)));
                }
            }
            byte[] model = null;
            if (Boolean.parseBoolean(p.getProperty("model"))) {
                model = Files.readAllBytes(dir.resolve(trial.id() + MODEL));
            }
            return Optional.of(new TrialResult(trial, null, Double.parseDouble(p.getProperty("score")), scores,
                    Integer.parseInt(p.getProperty("epochs")), json, model, Integer.parseInt(p.getProperty("attempts")),
                    Double.parseDouble(p.getProperty("seconds")), p.getProperty("worker", "")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable or inconsistent: run the trial again
        }
    }

    /**
     * Whether a stored provenance is that of the model the trial trains.
     * @param trial the trial.
     * @param json the stored provenance.
     * @return true if the model class, the trainer configuration and the invocation count match.
     * @throws IOException if the trial's configuration cannot be re-created.
     */
    static boolean matches(Trial trial, String json) throws IOException {
        ObjectProvenance read;
        try {
            read = new JsonProvenanceSerialization(true).deserializeAndUnmarshal(json);
        } catch (ProvenanceSerializationException e) {
            return false;
        }
        if (!(read instanceof ModelProvenance stored) || !stored.getClassName().equals(MLPModel.class.getName())) {
            return false;
        }
        int threads = trial.threads();
        if (threads == 0) { // the runner chose the count: take the recorded one
            Provenance recorded = stored.getTrainerProvenance().getConfiguredParameters().get("numThreads");
            if (!(recorded instanceof IntProvenance ip) || ip.getValue() < 1) {
                return false;
            }
            threads = ip.getValue();
        }
        MLPTrainer expected = TrialConfigs.trainer(trial, threads);
        Provenance count = stored.getTrainerProvenance().getInstanceValues().get("train-invocation-count");
        int invocations = trial.split().isFold() ? trial.split().index() : 0;
        return Reproduction.sameConfiguration(stored.getTrainerProvenance(), expected.getProvenance())
                && count instanceof IntProvenance c && c.getValue() == invocations;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TrialStore(%s)", dir);
    }

    /**
     * Where a stored trial's model is, if it was kept.
     * @param id the trial id.
     * @return the path of {@code ID.model}, or null if there is none.
     */
    public @Nullable Path modelFile(String id) {
        Path p = dir.resolve(id + MODEL);
        return Files.isRegularFile(p) ? p : null;
    }
}
