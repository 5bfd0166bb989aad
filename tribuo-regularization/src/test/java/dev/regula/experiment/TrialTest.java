package dev.regula.experiment;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.optimisers.Adam;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.example.NoisyInterlockingCrescentsDataSource;
import org.tribuo.evaluation.CrossValidation;
import com.oracle.labs.mlrg.olcut.util.Pair;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrialTest {
    private static final NoisyInterlockingCrescentsDataSource DATA = new NoisyInterlockingCrescentsDataSource(240, 5, 0.1);

    @BeforeAll
    static void quiet() {
        Logger.getLogger("dev.regula").setLevel(Level.SEVERE); // the tiny runs warn about their few steps
    }

    private static MLPTrainer trainer(long seed) {
        return MLPTrainer.builder().addLayers(2, Layer.dense(16).dropout(0.1).build()).optimiser(new Adam(0.01))
                .epochs(3).minibatchSize(16).seed(seed).validationFraction(0.25).numThreads(1).build();
    }

    private static Trial trial(String id, long seed, TrialSplit split) {
        return Trial.builder(id).trainer(trainer(seed)).data(DATA).split(split).threads(1).build();
    }

    /** Two seeds x three folds, and two seeds on the validation split. */
    private static List<Trial> sweep() {
        List<Trial> trials = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            trials.add(trial("v-s" + seed, seed, TrialSplit.validation()));
            for (int f = 0; f < 3; f++) {
                trials.add(trial("f" + f + "-s" + seed, seed, TrialSplit.fold(f, 3, 7)));
            }
        }
        return trials;
    }

    private static ObjectProvenance provenance(String json) throws Exception {
        return new JsonProvenanceSerialization(true).deserializeAndUnmarshal(json);
    }

    private static void assertSameProvenance(String expectedJson, String actualJson) throws Exception {
        ProvenanceDiff diff = ProvenanceDiff.of(provenance(expectedJson), provenance(actualJson));
        assertTrue(diff.isEmpty(), diff.toString());
    }

    @Test
    void aTrialTrainsTheModelItsConfigurationDescribes() throws Exception {
        MLPModel direct = trainer(3).train(new MutableDataset<>(DATA));
        TrialResult r = TrialExecution.run(trial("v", 3, TrialSplit.validation()), 2, "test");
        assertTrue(r.succeeded(), r.error());
        assertEquals(direct.getHistory().getFinalEpoch().valAccuracy(), r.score());
        assertEquals(List.of("score", "val_accuracy", "val_loss"), List.copyOf(r.scores().keySet()));
        assertEquals(3, r.epochs());
        assertNull(r.model());
        String directJson = new JsonProvenanceSerialization(true).marshalAndSerialize(direct.getProvenance());
        assertSameProvenance(directJson, r.provenanceJson());
        // the trial's own thread count wins over the runner's share, and is recorded
        assertTrue(r.provenanceJson().contains("\"numThreads\""), "numThreads recorded");
    }

    @Test
    void foldTrialsReproduceTribuosCrossValidationFoldByFold() throws Exception {
        MLPTrainer t = trainer(5);
        CrossValidation<Label, LabelEvaluation> cv = new CrossValidation<>(t, new MutableDataset<>(DATA), new LabelEvaluator(), 3, 7);
        List<Pair<LabelEvaluation, Model<Label>>> expected = cv.evaluate();
        for (int f = 0; f < 3; f++) {
            Trial trial = Trial.builder("f" + f).trainer(trainer(5)).data(DATA).split(TrialSplit.fold(f, 3, 7)).keepModel(true).build();
            TrialResult r = TrialExecution.run(trial, 1, "test");
            assertEquals(expected.get(f).getA().accuracy(), r.score(), "fold " + f);
            MLPModel cvModel = (MLPModel) expected.get(f).getB();
            assertSameProvenance(new JsonProvenanceSerialization(true).marshalAndSerialize(cvModel.getProvenance()), r.provenanceJson());
            MLPModel kept = (MLPModel) Model.deserialize(org.tribuo.protos.core.ModelProto.parseFrom(r.model()));
            assertTrue(cvModel.getNetwork().sameParameters(kept.getNetwork()), "bit-identical weights, fold " + f);
        }
    }

    @Test
    void parallelTrialsGiveTheResultsOfSequentialOnes() throws Exception {
        List<Trial> trials = sweep();
        List<TrialResult> sequential = LocalTrialRunner.builder().parallelTrials(1).threads(1).build().run(trials, TrialListener.NONE);
        List<String> order = new ArrayList<>();
        List<TrialResult> parallel = LocalTrialRunner.builder().parallelTrials(2).threads(2).build()
                .run(trials, r -> order.add(r.id()));
        assertEquals(trials.size(), order.size());
        assertEquals(trials.size(), new HashSet<>(order).size());
        for (int i = 0; i < trials.size(); i++) {
            assertEquals(trials.get(i).id(), parallel.get(i).id());
            assertTrue(parallel.get(i).succeeded(), parallel.get(i).error());
            assertEquals(sequential.get(i).scores(), parallel.get(i).scores(), trials.get(i).id());
            assertSameProvenance(sequential.get(i).provenanceJson(), parallel.get(i).provenanceJson());
        }
        // one data set per JVM, shared by every trial naming the same data configuration
        assertTrue(TrialExecution.dataset(trials.get(0)) == TrialExecution.dataset(trials.get(trials.size() - 1)));
    }

    @Test
    void aTrialFailingOnceIsRetriedAndAppearsOnce() throws Exception {
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        TrialHook failFirst = (trial, attempt) -> {
            attempts.computeIfAbsent(trial.id(), k -> new AtomicInteger()).incrementAndGet();
            if (trial.id().equals("f1-s1") && attempt == 0) {
                throw new IllegalStateException("injected failure");
            }
        };
        List<String> delivered = new ArrayList<>();
        List<TrialResult> results = LocalTrialRunner.builder().parallelTrials(2).threads(2).maxAttempts(2).hook(failFirst)
                .build().run(sweep(), r -> delivered.add(r.id()));
        assertEquals(sweep().size(), results.size());
        assertEquals(1, delivered.stream().filter("f1-s1"::equals).count());
        TrialResult retried = results.stream().filter(r -> r.id().equals("f1-s1")).findFirst().orElseThrow();
        assertTrue(retried.succeeded(), retried.error());
        assertEquals(2, retried.attempts());
        assertEquals(2, attempts.get("f1-s1").get());
        assertTrue(results.stream().filter(r -> !r.id().equals("f1-s1")).allMatch(r -> r.attempts() == 1));
    }

    @Test
    void aTrialThatAlwaysFailsIsReportedWithItsConfigurationWhileTheOthersFinish() throws Exception {
        TrialHook alwaysFail = (trial, attempt) -> {
            if (trial.id().equals("v-s2")) {
                throw new IllegalStateException("injected failure on attempt " + attempt);
            }
        };
        TrialSweep.Outcome outcome = TrialSweep.run(sweep(), LocalTrialRunner.builder().parallelTrials(2).threads(2).maxAttempts(3)
                .hook(alwaysFail).build(), null, false, TrialListener.NONE);
        assertEquals(1, outcome.failures().size());
        TrialResult failed = outcome.failures().get(0);
        assertEquals("v-s2", failed.id());
        assertEquals(3, failed.attempts());
        assertEquals("java.lang.IllegalStateException: injected failure on attempt 2", failed.error());
        assertTrue(failed.trial().trainerConfig().contains(MLPTrainer.class.getName()), "the configuration travels with the failure");
        assertTrue(Double.isNaN(failed.score()));
        assertEquals(sweep().size() - 1, outcome.results().stream().filter(TrialResult::succeeded).count());
    }

    @Test
    void aConfigurationFailingPostConfigIsRefusedBeforeAnyTrialRuns() {
        Trial good = trial("good", 1, TrialSplit.validation());
        String broken = good.trainerConfig().replaceFirst("name=\"epochs\" value=\"3\"", "name=\"epochs\" value=\"0\"");
        assertFalse(broken.equals(good.trainerConfig()), "the configuration names epochs");
        Trial bad = new Trial("bad", broken, 1, 1, TrialSplit.validation(), good.dataConfig(), good.dataSource(), false);
        AtomicInteger ran = new AtomicInteger();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrialSweep.run(List.of(good, bad),
                LocalTrialRunner.builder().hook((t, a) -> ran.incrementAndGet()).build(), null, false, TrialListener.NONE));
        assertTrue(e.getMessage().startsWith("trial bad (seed 1, validation, 1 BLAS thread(s)) cannot run: "), e.getMessage());
        assertTrue(e.getMessage().contains("epochs"), e.getMessage());
        assertEquals(0, ran.get());

        Trial noSource = new Trial("nosource", good.trainerConfig(), 1, 1, TrialSplit.validation(), good.dataConfig(), "missing", false);
        e = assertThrows(IllegalArgumentException.class, () -> TrialSweep.run(List.of(noSource),
                LocalTrialRunner.builder().build(), null, false, TrialListener.NONE));
        assertTrue(e.getMessage().contains("no data source named 'missing'"), e.getMessage());
        // configuration text from elsewhere passes the same checks as a configuration file
        Trial doctype = new Trial("doctype", good.trainerConfig(), 1, 1, TrialSplit.validation(),
                "<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><config>&e;</config>", "x", false);
        e = assertThrows(IllegalArgumentException.class, () -> TrialSweep.run(List.of(doctype),
                LocalTrialRunner.builder().build(), null, false, TrialListener.NONE));
        assertTrue(e.getMessage().contains("DOCTYPE declarations (DTDs, entities) are not allowed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Trial.builder("../x").trainer(trainer(1)).data(DATA).build());
    }

    @Test
    void anInterruptedSweepResumesWithoutRerunningFinishedTrials(@TempDir Path dir) throws Exception {
        TrialStore store = new TrialStore(dir.resolve("trials"));
        List<Trial> trials = sweep();
        // the first run stops after three trials (the hook refuses the rest, as if the driver had died)
        AtomicInteger started = new AtomicInteger();
        TrialHook stopAfterThree = (t, a) -> {
            if (started.incrementAndGet() > 3) {
                throw new IllegalStateException("interrupted");
            }
        };
        TrialSweep.Outcome first = TrialSweep.run(trials, LocalTrialRunner.builder().threads(1).maxAttempts(1).hook(stopAfterThree).build(),
                store, true, TrialListener.NONE);
        assertEquals(3, first.results().stream().filter(TrialResult::succeeded).count());
        try (Stream<Path> files = Files.list(store.getDirectory())) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertEquals(6, names.size(), names.toString()); // provenance + result per finished trial, no temporaries
        }

        Map<String, Integer> ran = new ConcurrentHashMap<>();
        TrialHook count = (t, a) -> ran.merge(t.id(), 1, Integer::sum);
        TrialSweep.Outcome second = TrialSweep.run(trials, LocalTrialRunner.builder().threads(1).hook(count).build(), store, true, TrialListener.NONE);
        assertEquals(3, second.resumed());
        assertEquals(trials.size() - 3, ran.size());
        for (TrialResult r : first.results()) {
            if (r.succeeded()) {
                assertFalse(ran.containsKey(r.id()), r.id() + " ran again");
                TrialResult stored = second.results().stream().filter(s -> s.id().equals(r.id())).findFirst().orElseThrow();
                assertEquals(r.scores(), stored.scores());
                assertEquals(r.provenanceJson(), stored.provenanceJson());
            }
        }
        assertTrue(second.failures().isEmpty());

        // a third run finds everything finished
        ran.clear();
        assertEquals(trials.size(), TrialSweep.run(trials, LocalTrialRunner.builder().hook(count).build(), store, true, TrialListener.NONE).resumed());
        assertTrue(ran.isEmpty());
        // without resume every trial runs again
        assertEquals(0, TrialSweep.run(trials, LocalTrialRunner.builder().hook(count).build(), store, false, TrialListener.NONE).resumed());
        assertEquals(trials.size(), ran.size());

        // a stored provenance that does not match its trial (here: another seed) makes the trial run again
        Trial t0 = trials.get(0);
        Path json = store.getDirectory().resolve(t0.id() + ".provenance.json");
        String other = TrialExecution.run(trial(t0.id(), 99, t0.split()), 1, "test").provenanceJson();
        Files.writeString(json, other);
        assertFalse(store.finished(t0).isPresent());
        // and so does a changed trial (same id, another seed)
        assertFalse(store.finished(trial(trials.get(1).id(), 99, trials.get(1).split())).isPresent());
        assertTrue(store.finished(trials.get(1)).isPresent());
        assertNotNull(store.finished(trials.get(2)).orElseThrow().provenanceJson());
    }

    @Test
    void configurationTextRoundTripsTheDataSource() throws Exception {
        Trial t = trial("rt", 1, TrialSplit.validation());
        var rebuilt = TrialConfigs.data(t);
        ProvenanceDiff diff = ProvenanceDiff.of(DATA.getProvenance(), rebuilt.getProvenance());
        assertTrue(diff.isEmpty(), diff.toString());
        assertTrue(Reproduction.sameConfiguration(DATA.getProvenance(), rebuilt.getProvenance()));
        assertFalse(Reproduction.sameConfiguration(new NoisyInterlockingCrescentsDataSource(240, 6, 0.1).getProvenance(),
                rebuilt.getProvenance()), "a data source of another seed is told apart");
    }
}
