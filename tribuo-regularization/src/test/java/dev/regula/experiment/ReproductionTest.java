package dev.regula.experiment;

import dev.regula.data.RescalingDataSource;
import dev.regula.mlp.EarlyStopping;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.optimisers.Adam;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.example.NoisyInterlockingCrescentsDataSource;
import org.tribuo.evaluation.TrainTestSplitter;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReproductionTest {

    @BeforeAll
    static void quiet() {
        Logger.getLogger("dev.regula").setLevel(Level.WARNING);
    }

    private static MLPTrainer trainer() {
        return MLPTrainer.builder().addLayers(2, Layer.dense(16).dropout(0.1).build()).optimiser(new Adam(0.01))
                .epochs(3).minibatchSize(16).seed(11).validationFraction(0.25).build(); // numThreads 0: pinned on reproduce
    }

    @Test
    void retrainsFromProvenanceThroughNestedDecoratorsWithIdenticalPredictions() {
        var crescents = new NoisyInterlockingCrescentsDataSource(300, 4, 0.1);
        var train = StratifiedSplitDataSource.of(RescalingDataSource.of(crescents, 0.5), 0.2, 9, StratifiedSplitDataSource.Part.TRAIN);
        var test = StratifiedSplitDataSource.of(RescalingDataSource.of(crescents, 0.5), 0.2, 9, StratifiedSplitDataSource.Part.TEST);
        MLPTrainer t = trainer();
        t.train(new MutableDataset<>(train));
        MLPModel model = t.train(new MutableDataset<>(train));

        var r = Reproduction.of(model);
        assertEquals(1, r.getInvocationCount());
        assertTrue(r.getDataSource() instanceof StratifiedSplitDataSource, r.getDataSource().toString());
        Reproduction.Result result = r.reproduce(model, new MutableDataset<>(test));
        assertTrue(result.identical());
        assertEquals(0, result.differingPredictions());
        assertEquals(60, result.total());
        assertTrue(result.provenanceDiff().getPaths().stream().allMatch(p -> p.startsWith("trainer.numThreads")
                || p.startsWith("instance-values")), result.provenanceDiff().toString());

        // a model with different weights is detected
        MLPModel other = trainer().train(new MutableDataset<>(train));
        assertTrue(Reproduction.countDifferences(model.predict(new MutableDataset<>(test)), other.predict(new MutableDataset<>(test))) > 0);
    }

    @Test
    void retrainsAModelValidatedOnAnExplicitDatasetFromItsProvenance() {
        var crescents = new NoisyInterlockingCrescentsDataSource(300, 4, 0.1);
        var train = StratifiedSplitDataSource.of(crescents, 0.2, 9, StratifiedSplitDataSource.Part.TRAIN);
        var validation = StratifiedSplitDataSource.of(crescents, 0.2, 9, StratifiedSplitDataSource.Part.TEST);
        MLPTrainer t = MLPTrainer.builder().addLayers(2, Layer.dense(16).dropout(0.1).build()).optimiser(new Adam(0.01))
                .epochs(6).minibatchSize(16).seed(11)
                .earlyStopping(EarlyStopping.monitoring("val_loss").patience(1).restoreBestWeights(true).build()).build();
        MLPModel model = t.train(new MutableDataset<>(train), new MutableDataset<>(validation));

        var r = Reproduction.of(model);
        MLPModel again = r.retrain();
        assertTrue(model.getNetwork().sameParameters(again.getNetwork()), "bit-identical weights");
        assertEquals(model.getHistory().getEpochs().stream().map(e -> List.of(e.loss(), e.valLoss(), e.valAccuracy())).toList(),
                again.getHistory().getEpochs().stream().map(e -> List.of(e.loss(), e.valLoss(), e.valAccuracy())).toList(),
                "the same training and validation curves");
        assertEquals(model.getProvenance().getInstanceProvenance().getMap().get(MLPTrainer.VALIDATION_PROVENANCE),
                again.getProvenance().getInstanceProvenance().getMap().get(MLPTrainer.VALIDATION_PROVENANCE));
        assertTrue(r.reproduce(model, new MutableDataset<>(validation)).identical());
        // without the validation set the run differs (the validation curve drives early stopping and restoring)
        MLPModel unvalidated = MLPTrainer.builder().addLayers(2, Layer.dense(16).dropout(0.1).build())
                .optimiser(new Adam(0.01)).epochs(6).minibatchSize(16).seed(11).build().train(new MutableDataset<>(train));
        assertFalse(model.getNetwork().sameParameters(unvalidated.getNetwork()));
    }

    @Test
    void refusesToReproduceOnAnotherBlasBackend() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.regula.nn.Backends.nativeAvailable(), "needs both backends");
        var train = StratifiedSplitDataSource.of(new NoisyInterlockingCrescentsDataSource(300, 4, 0.1), 0.2, 9,
                StratifiedSplitDataSource.Part.TRAIN);
        MLPModel javaModel;
        System.setProperty(dev.regula.nn.Backends.PROPERTY, "java");
        try {
            javaModel = trainer().train(new MutableDataset<>(train));
            assertTrue(Reproduction.of(javaModel).reproduce(javaModel, null).identical(), "same backend: identical");
        } finally {
            System.clearProperty(dev.regula.nn.Backends.PROPERTY);
        }
        // this JVM now defaults to OpenBLAS: a clear refusal instead of "DIFFERENT: n of m predictions differ"
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reproduction.of(javaModel));
        assertEquals("the model was trained with the BLAS backend 'java' but this JVM uses '"
                + dev.regula.nn.Backends.get(1).name() + "'; results are bit-identical only on the same backend: "
                + "run with -Dregula.blas=java", e.getMessage());
    }

    @Test
    void rejectsNonConfigurableSplits() {
        var splitter = new TrainTestSplitter<>(new NoisyInterlockingCrescentsDataSource(100, 4, 0.1), 0.7, 1);
        MLPModel model = trainer().train(new MutableDataset<>(splitter.getTrain()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reproduction.of(model));
        assertTrue(e.getMessage().contains("StratifiedSplitDataSource"), e.getMessage());
    }

    @Test
    void stratifiedSplitIsDisjointSeededAndStratified() {
        var src = new NoisyInterlockingCrescentsDataSource(200, 3, 0.1);
        var tr = StratifiedSplitDataSource.of(src, 0.25, 1, StratifiedSplitDataSource.Part.TRAIN);
        var te = StratifiedSplitDataSource.of(src, 0.25, 1, StratifiedSplitDataSource.Part.TEST);
        assertEquals(200, tr.size() + te.size());
        Map<String, Integer> all = counts(src);
        Map<String, Integer> held = counts(te);
        for (String label : all.keySet()) {
            assertEquals(Math.round(0.25 * all.get(label)), (long) held.get(label), label);
        }
        Set<String> trainKeys = keys(tr);
        for (String k : keys(te)) {
            assertFalse(trainKeys.contains(k));
        }
        assertEquals(keys(te), keys(StratifiedSplitDataSource.of(src, 0.25, 1, StratifiedSplitDataSource.Part.TEST)));
        assertFalse(keys(te).equals(keys(StratifiedSplitDataSource.of(src, 0.25, 2, StratifiedSplitDataSource.Part.TEST))));
        assertThrows(com.oracle.labs.mlrg.olcut.config.PropertyException.class,
                () -> StratifiedSplitDataSource.of(src, 1.0, 1, StratifiedSplitDataSource.Part.TEST));
    }

    private static Map<String, Integer> counts(Iterable<Example<Label>> src) {
        Map<String, Integer> m = new HashMap<>();
        for (Example<Label> e : src) {
            m.merge(e.getOutput().getLabel(), 1, Integer::sum);
        }
        return m;
    }

    private static Set<String> keys(Iterable<Example<Label>> src) {
        Set<String> s = new HashSet<>();
        for (Example<Label> e : src) {
            StringBuilder sb = new StringBuilder();
            e.forEach(f -> sb.append(f.getName()).append('=').append(f.getValue()).append(';'));
            s.add(sb.toString());
        }
        return s;
    }
}
