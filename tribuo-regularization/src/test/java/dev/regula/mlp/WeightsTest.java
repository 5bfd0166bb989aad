package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.mlp.optimisers.SGD;
import dev.regula.nn.Network;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.WeightedExamples;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.WeightedLabels;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Example weights (Tribuo's {@link WeightedExamples}, Keras {@code sample_weight}) and label weights
 * ({@link WeightedLabels}, Keras {@code class_weight}): a weighted mean loss, so a weight of 2 is the example
 * twice and a common factor changes nothing.
 */
class WeightsTest {
    /** Three well-separated Gaussian blobs, A, B and C, each example with the given weight. */
    private static MutableDataset<Label> blobs(int perClass, float weight, long seed) {
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("blobs", new LabelFactory()),
                new LabelFactory());
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] centres = {{-3, 0}, {3, 0}, {0, 4}};
        for (int i = 0; i < perClass; i++) {
            for (int c = 0; c < 3; c++) {
                ArrayExample<Label> e = new ArrayExample<>(new Label(String.valueOf((char) ('A' + c))), new String[]{"x", "y"},
                        new double[]{centres[c][0] + rng.nextGaussian() * 0.5, centres[c][1] + rng.nextGaussian() * 0.5});
                e.setWeight(weight);
                d.add(e);
            }
        }
        return d;
    }

    private static MLPTrainer.Builder net() {
        Logger.getLogger(MLPTrainer.class.getName()).setLevel(Level.WARNING);
        return MLPTrainerTest.bare().addLayer(Layer.dense(16).build()).optimiser(new Adam(0.01)).epochs(10)
                .minibatchSize(16).seed(3).numThreads(1);
    }

    @Test
    void theTrainersDeclareTribuosWeightInterfaces() {
        assertTrue(net().build() instanceof WeightedExamples);
        assertTrue(net().build() instanceof WeightedLabels);
        assertTrue(MLPRegressionTrainer.builder().build() instanceof WeightedExamples);
        assertTrue(MLPMultiLabelTrainer.builder().build() instanceof WeightedExamples);
    }

    @Test
    void aLabelWeightedZeroIsNeverPredicted() {
        Dataset<Label> data = blobs(100, 1f, 1);
        long bPredicted = net().build().train(data).predict(data).stream()
                .filter(p -> p.getOutput().getLabel().equals("B")).count();
        assertTrue(bPredicted > 90, "unweighted, B is predicted " + bPredicted + " times");
        MLPTrainer zeroB = net().build();
        zeroB.setLabelWeights(Map.of(new Label("B"), 0f));
        MLPModel m = zeroB.train(data);
        for (Prediction<Label> p : m.predict(data)) {
            assertFalse(p.getOutput().getLabel().equals("B"), "B weighs 0 and must never be predicted");
        }
        assertEquals(Map.of("B", 0f), zeroB.getLabelWeights());
        assertTrue(m.getProvenance().getTrainerProvenance().getConfiguredParameters().get("labelWeights").toString().contains("B"),
                "the label weights are in the provenance");
    }

    @Test
    void doublingEveryWeightChangesNothing() {
        Network one = net().build().train(blobs(50, 1f, 2)).getNetwork();
        Network two = net().build().train(blobs(50, 2f, 2)).getNetwork();
        for (int l = 0; l < one.getLayers().size(); l++) {
            float[] a = one.getKernel(l);
            float[] b = two.getKernel(l);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-6, "layer " + l + " weight " + i);
            }
        }
    }

    @Test
    void aWeightOfTwoTrainsLikeTheExampleTwice() {
        // full-batch SGD without shuffling: the weighted mean over the batch equals the mean over the oversampled data
        MutableDataset<Label> weighted = blobs(20, 1f, 4);
        MutableDataset<Label> oversampled = blobs(20, 1f, 4);
        for (int i = 0; i < weighted.size(); i += 3) {
            Example<Label> e = weighted.getExample(i);
            e.setWeight(2f);
            oversampled.add(oversampled.getExample(i).copy());
        }
        MLPTrainer.Builder sgd = MLPTrainerTest.bare().addLayer(Layer.dense(8).build()).optimiser(new SGD(0.5, 0, false))
                .epochs(20).minibatchSize(1000).shuffle(false).seed(5).numThreads(1);
        Network w = sgd.build().train(weighted).getNetwork();
        Network o = sgd.build().train(oversampled).getNetwork();
        Network plain = sgd.build().train(blobs(20, 1f, 4)).getNetwork();
        double gap = 0;
        double effect = 0;
        for (int l = 0; l < w.getLayers().size(); l++) {
            float[] a = w.getKernel(l);
            float[] b = o.getKernel(l);
            float[] c = plain.getKernel(l);
            for (int i = 0; i < a.length; i++) {
                gap = Math.max(gap, Math.abs(a[i] - b[i]));
                effect = Math.max(effect, Math.abs(a[i] - c[i]));
            }
        }
        assertTrue(gap < 1e-4, "weighted and oversampled differ by " + gap);
        assertTrue(effect > 100 * gap, "the weights must matter: " + effect + " against the float noise " + gap);
    }

    @Test
    void badWeightsAreClearErrors() {
        MutableDataset<Label> data = blobs(10, 1f, 6);
        data.getExample(4).setWeight(-1f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net().build().train(data));
        assertTrue(e.getMessage().contains("training example 4 has weight -1.0; example weights must be finite and >= 0"),
                e.getMessage());
        data.getExample(4).setWeight(Float.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> net().build().train(data));
        assertTrue(e.getMessage().contains("has weight NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net().labelWeight("Z", 2).build().train(blobs(10, 1f, 6)));
        assertTrue(e.getMessage().contains("A label weight is given for 'Z', which is not among the training labels"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net().build().train(blobs(10, 0f, 6)));
        assertTrue(e.getMessage().contains("Every training example has weight 0"), e.getMessage());
        PropertyException p = assertThrows(PropertyException.class, () -> net().labelWeight("A", -0.5).build());
        assertTrue(p.getMessage().contains("the weight of label 'A' must be finite and >= 0, found -0.5"), p.getMessage());
    }
}
