package dev.regula.examples.cli;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import dev.regula.config.ConfigurationFiles;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.schedules.CosineDecay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.regula.examples.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped Fashion-MNIST recipe ({@code examples/recipes/fashion-mnist-mlp.xml}, issue #20): it loads as one
 * {@link MLPTrainer} with the documented settings, and {@code regula train --config} runs it (one epoch here).
 */
class RecipeConfigTest {
    static final Path RECIPE = Path.of("recipes/fashion-mnist-mlp.xml");

    @Test
    void theRecipeHasTheDocumentedSettings() throws IOException {
        ConfigurationManager cm = ConfigurationFiles.load(RECIPE);
        List<MLPTrainer> trainers = cm.lookupAll(MLPTrainer.class);
        assertEquals(1, trainers.size());
        MLPTrainer t = trainers.get(0);
        assertEquals(2, t.getHiddenLayers().size());
        assertEquals(1024, t.getHiddenLayers().get(0).getUnits());
        assertEquals(0.3, t.getHiddenLayers().get(1).getDropout());
        assertEquals(30, t.getEpochs());
        assertEquals(0.3, t.getValidationFraction());
        // the cosine decays over the whole run: 30 epochs of ceil(42,000 / 128) = 329 steps
        assertEquals(30L * 329, ((CosineDecay) t.getLearningRateSchedule()).getDecaySteps());
        assertTrue(t.getEarlyStopping().isRestoreBestWeights());
    }

    @Test
    void regulaTrainRunsTheRecipe(@TempDir Path tmp) throws IOException {
        Path data = CliTestSupport.writeIdx(Files.createDirectories(tmp.resolve("idx")), 300, 100);
        CliTestSupport.Run r = run("train", "--config", RECIPE.toString(), "--data", data.toString(), "--param", "epochs=1",
                "--param", "numThreads=1", "--model", tmp.resolve("m/model.tribuo").toString());
        assertEquals(0, r.exitCode(), r.toString());
        String provenance = Files.readString(tmp.resolve("m/provenance.json"));
        assertTrue(provenance.contains("CosineDecay") && provenance.contains("labelSmoothing"), provenance);
    }
}
