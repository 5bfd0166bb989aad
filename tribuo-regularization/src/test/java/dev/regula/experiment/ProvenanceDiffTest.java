package dev.regula.experiment;

import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.Regularizer;
import dev.regula.mlp.optimisers.Adam;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.classification.example.NoisyInterlockingCrescentsDataSource;

import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProvenanceDiffTest {

    @BeforeAll
    static void quiet() {
        Logger.getLogger("dev.regula").setLevel(Level.WARNING);
    }

    private static MLPTrainer.Builder base(double dropoutOfThird, int epochs) {
        MLPTrainer.Builder b = MLPTrainer.builder().optimiser(new Adam(0.01)).epochs(epochs).minibatchSize(16).seed(5).numThreads(1);
        b.addLayer(Layer.dense(8).build()).addLayer(Layer.dense(8).build()).addLayer(Layer.dense(8).dropout(dropoutOfThird).build());
        return b;
    }

    @Test
    void namesExactlyTheChangedTrainerFields() {
        ProvenanceDiff diff = ProvenanceDiff.of(base(0, 3).build().getProvenance(), base(0.5, 4).build().getProvenance());
        assertEquals(Set.of("hiddenLayers[2].dropout", "epochs"), new HashSet<>(diff.getPaths()), diff.toString());
        ProvenanceDiff.Difference d = diff.getDifferences().stream()
                .filter(x -> x.path().equals("hiddenLayers[2].dropout")).findFirst().orElseThrow();
        assertEquals("0.0", d.oldValue());
        assertEquals("0.5", d.newValue());
        assertTrue(ProvenanceDiff.of(base(0, 3).build().getProvenance(), base(0, 3).build().getProvenance()).isEmpty());
    }

    @Test
    void anAddedComponentIsOneDifferenceWithASummary() {
        MLPTrainer plain = MLPTrainer.builder().addLayers(2, Layer.dense(4).build()).build();
        MLPTrainer l2 = MLPTrainer.builder().addLayers(2, Layer.dense(4).kernelRegularizer(Regularizer.l2(1e-4)).build()).build();
        ProvenanceDiff diff = ProvenanceDiff.of(plain.getProvenance(), l2.getProvenance());
        assertEquals(List.of("hiddenLayers[0].kernelRegularizer", "hiddenLayers[1].kernelRegularizer"), diff.getPaths());
        assertNull(diff.getDifferences().get(0).oldValue());
        assertEquals("Regularizer(l1=0.0, l2=1.0E-4)", diff.getDifferences().get(0).newValue());
        // a list that grows: the new element is one difference
        MLPTrainer three = MLPTrainer.builder().addLayers(3, Layer.dense(4).build()).build();
        assertEquals(List.of("hiddenLayers[2]"), ProvenanceDiff.of(plain.getProvenance(), three.getProvenance()).getPaths());
    }

    @Test
    void modelDiffsSkipTimesButSeeDataAndInvocationCount() {
        var data = new MutableDataset<>(new NoisyInterlockingCrescentsDataSource(60, 1, 0.1));
        var other = new MutableDataset<>(new NoisyInterlockingCrescentsDataSource(60, 2, 0.1));
        MLPModel a = base(0, 1).build().train(data);
        MLPModel b = base(0, 1).build().train(data);
        assertTrue(ProvenanceDiff.of(a.getProvenance(), b.getProvenance()).isEmpty(),
                ProvenanceDiff.of(a.getProvenance(), b.getProvenance()).toString());
        assertTrue(ProvenanceDiff.of(a.getProvenance(), b.getProvenance(), true).getPaths().contains("trained-at"));

        MLPModel c = base(0, 1).build().train(other);
        List<String> dataPaths = ProvenanceDiff.of(a.getProvenance(), c.getProvenance()).getPaths();
        assertFalse(dataPaths.isEmpty());
        assertTrue(dataPaths.stream().allMatch(p -> p.startsWith("dataset.")), dataPaths.toString());
        assertTrue(dataPaths.contains("dataset.datasource.seed"), dataPaths.toString());

        MLPTrainer twice = base(0, 1).build();
        twice.train(data);
        MLPModel second = twice.train(data);
        assertEquals(List.of("trainer.train-invocation-count"),
                ProvenanceDiff.of(a.getProvenance(), second.getProvenance()).getPaths());
    }

    @Test
    void formatsMarkdownAndEscapedHtml() {
        ProvenanceDiff diff = ProvenanceDiff.of(base(0, 3).build().getProvenance(), base(0.25, 3).build().getProvenance());
        assertEquals("hiddenLayers[2].dropout: 0.0 -> 0.25\n", diff.toString());
        assertTrue(diff.toMarkdown("baseline", "dropout").contains("| `hiddenLayers[2].dropout` | 0.0 | 0.25 |"), diff.toMarkdown());
        assertTrue(diff.toHtml().contains("<code>hiddenLayers[2].dropout</code>"));
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;", ProvenanceDiff.html("<a href=\"x\">&"));
        assertEquals("no differences", ProvenanceDiff.of(base(0, 3).build().getProvenance(), base(0, 3).build().getProvenance()).toString());
    }
}
