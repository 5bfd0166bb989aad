package dev.regula.spark;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import dev.regula.experiment.LocalTrialRunner;
import dev.regula.experiment.ProvenanceDiff;
import dev.regula.experiment.Trial;
import dev.regula.experiment.TrialHook;
import dev.regula.experiment.TrialListener;
import dev.regula.experiment.TrialResult;
import dev.regula.experiment.TrialSplit;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.optimisers.Adam;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.example.NoisyInterlockingCrescentsDataSource;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trials on Spark local[2]: the same results as the local runner, retries, failures, bad input. */
class SparkTrialRunnerTest {
    private static SparkTrialRunner spark;

    @BeforeAll
    static void start() {
        Logger.getLogger("dev.regula").setLevel(Level.SEVERE); // the tiny runs warn about their few steps
        spark = SparkTrialRunner.builder().master("local[2]").maxAttempts(2).appName("regula-test")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1").build();
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    private static Trial trial(String id, long seed, TrialSplit split) {
        MLPTrainer t = MLPTrainer.builder().addLayers(2, Layer.dense(16).dropout(0.1).build()).optimiser(new Adam(0.01))
                .epochs(3).minibatchSize(16).seed(seed).validationFraction(0.25).build();
        return Trial.builder(id).trainer(t).data(new NoisyInterlockingCrescentsDataSource(240, 5, 0.1)).split(split)
                .threads(1).build();
    }

    private static List<Trial> trials() {
        List<Trial> trials = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            trials.add(trial("v-s" + seed, seed, TrialSplit.validation()));
            for (int f = 0; f < 2; f++) {
                trials.add(trial("f" + f + "-s" + seed, seed, TrialSplit.fold(f, 2, 7)));
            }
        }
        return trials;
    }

    private static SparkTrialRunner withHook(TrialHook hook) {
        return SparkTrialRunner.builder().context(spark.getContext()).maxAttempts(2).hook(hook).build();
    }

    @Test
    void sparkAndLocalRunnersGiveIdenticalScoresAndProvenance() throws Exception {
        List<Trial> trials = trials();
        List<TrialResult> local = LocalTrialRunner.builder().parallelTrials(2).threads(2).build().run(trials, TrialListener.NONE);
        List<String> delivered = new ArrayList<>();
        List<TrialResult> remote = spark.run(trials, r -> delivered.add(r.id()));
        assertEquals(trials.size(), delivered.size());
        JsonProvenanceSerialization json = new JsonProvenanceSerialization(true);
        for (int i = 0; i < trials.size(); i++) {
            TrialResult a = local.get(i);
            TrialResult b = remote.get(i);
            assertTrue(b.succeeded(), b.error());
            assertEquals(a.id(), b.id());
            assertEquals(a.scores(), b.scores(), a.id());
            assertEquals(a.epochs(), b.epochs());
            ProvenanceDiff diff = ProvenanceDiff.of(json.deserializeAndUnmarshal(a.provenanceJson()),
                    json.deserializeAndUnmarshal(b.provenanceJson()));
            assertTrue(diff.isEmpty(), a.id() + ": " + diff);
            assertTrue(b.worker().endsWith("/executor driver"), b.worker());
        }
        assertTrue(spark.describe().contains("local[2,2]"), spark.describe());
    }

    @Test
    void aTrialFailingOnceIsRetriedBySparkAndAppearsOnce() throws Exception {
        TrialHook failFirst = (trial, attempt) -> {
            if (trial.id().equals("f1-s2") && attempt == 0) {
                throw new IllegalStateException("injected failure");
            }
        };
        List<String> delivered = new ArrayList<>();
        List<TrialResult> results = withHook(failFirst).run(trials(), r -> delivered.add(r.id()));
        assertEquals(1, delivered.stream().filter("f1-s2"::equals).count());
        assertEquals(trials().size(), delivered.size());
        TrialResult retried = results.stream().filter(r -> r.id().equals("f1-s2")).findFirst().orElseThrow();
        assertTrue(retried.succeeded(), retried.error());
        assertEquals(2, retried.attempts());
        assertTrue(results.stream().filter(r -> r != retried).allMatch(r -> r.succeeded() && r.attempts() == 1));
    }

    @Test
    void aTrialThatAlwaysFailsIsReportedWhileTheOthersFinish() throws Exception {
        TrialHook alwaysFail = (trial, attempt) -> {
            if (trial.id().equals("v-s1")) {
                throw new IllegalStateException("injected failure on attempt " + attempt);
            }
        };
        List<TrialResult> results = withHook(alwaysFail).run(trials(), TrialListener.NONE);
        TrialResult failed = results.get(0);
        assertEquals("v-s1", failed.id());
        assertEquals("java.lang.IllegalStateException: injected failure on attempt 1", failed.error());
        assertEquals(2, failed.attempts());
        assertTrue(failed.trial().trainerConfig().contains("dev.regula.mlp.MLPTrainer"));
        assertTrue(results.subList(1, results.size()).stream().allMatch(TrialResult::succeeded));
    }

    @Test
    void dataExecutorsCannotReadFailsThatTrialNamingThePath() throws Exception {
        Trial good = trial("good", 1, TrialSplit.validation());
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config>\n"
                + "  <component name=\"images\" type=\"dev.regula.data.ImageFolderDataSource\">\n"
                + "    <property name=\"indexFile\" value=\"/nonexistent/regula/train.csv\"/>\n"
                + "    <property name=\"labelColumn\" value=\"label\"/>\n"
                + "  </component>\n</config>\n";
        Trial unreadable = new Trial("unreadable", good.trainerConfig(), 1, 1, TrialSplit.validation(), xml, "images", false);
        List<TrialResult> results = withHook(TrialHook.NONE).run(List.of(good, unreadable), TrialListener.NONE);
        assertTrue(results.get(0).succeeded(), results.get(0).error());
        TrialResult bad = results.get(1);
        assertTrue(!bad.succeeded() && bad.error().contains("/nonexistent/regula/train.csv"), bad.error());
        assertEquals(2, bad.attempts(), "retried like any failure, since a file may appear late on shared storage");
    }

    @Test
    void anUnreachableOrMalformedMasterIsRefusedBeforeAnyTrialRuns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkTrialRunnerFactory().create("spark://127.0.0.1:1", 2));
        assertTrue(e.getMessage().startsWith("the Spark master 127.0.0.1:1 does not answer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SparkTrialRunnerFactory().create("spark://nohost", 2));
        assertTrue(e.getMessage().contains("expected spark://host:port"), e.getMessage());
        assertEquals("local[2,3]", SparkTrialRunner.withAttempts("local[2]", 3));
        assertEquals("local[*,2]", SparkTrialRunner.withAttempts("local[*]", 2));
        assertEquals("yarn", SparkTrialRunner.withAttempts("yarn", 2));
    }
}
