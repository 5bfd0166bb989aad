package dev.regula.mlp;

import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Prediction;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hashed feature lookup used to convert examples, and the batch conversion in {@link MLPModel}. */
class FeatureIndexTest {

    @Test
    void idsAreTribuosIds() {
        SplittableRandom rng = new SplittableRandom(4);
        int d = 900;
        double[][] rows = new double[3][d];
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                row[j] = rng.nextDouble() + 0.1;
            }
        }
        Dataset<Label> data = MLPTrainerTest.dataset(rows, "a", "b", "a");
        ImmutableFeatureMap fmap = data.getFeatureIDMap();
        FeatureIndex index = FeatureIndex.of(fmap);
        assertEquals(fmap.size(), index.size());
        for (VariableInfo info : fmap) {
            // A new String instance with the same characters must be found too (hashing, not identity).
            String name = new String(info.getName().toCharArray());
            assertEquals(fmap.getID(info.getName()), index.id(name), name);
        }
        assertEquals(-1, index.id("f900"));
        assertEquals(-1, index.id(""));
    }

    @Test
    void batchPredictionsMatchSinglePredictionsAndReportTheFirstBadExample() {
        Dataset<Label> train = MLPTrainerTest.checkerboard(300, 1);
        MLPModel model = MLPTrainerTest.small().epochs(2).build().train(train);
        List<Example<Label>> batch = new ArrayList<>();
        MLPTrainerTest.checkerboard(101, 2).forEach(batch::add);
        List<Prediction<Label>> all = model.predict(batch);
        for (int i = 0; i < batch.size(); i++) {
            // One row and 101 rows go through differently blocked products, so the last bits may differ.
            Prediction<Label> one = model.predict(batch.get(i));
            assertEquals(one.getOutput().getLabel(), all.get(i).getOutput().getLabel(), "example " + i);
            assertEquals(one.getOutput().getScore(), all.get(i).getOutput().getScore(), 1e-6, "example " + i);
            assertEquals(one.getNumActiveFeatures(), all.get(i).getNumActiveFeatures(), "example " + i);
        }
        // Bad examples in both halves of the batch (the halves are converted by different threads): the error
        // names the first, as a sequential loop would.
        String feature = batch.get(0).iterator().next().getName();
        // With two threads, example 51 is the first the second thread converts and example 49 the last of the first.
        ((ArrayExample<Label>) batch.get(51)).set(new Feature(feature, Double.NaN));
        String late = assertThrows(IllegalArgumentException.class, () -> model.predict(batch)).getMessage();
        assertTrue(late.contains("example 51") && late.contains("NaN"), late);
        ((ArrayExample<Label>) batch.get(49)).set(new Feature(feature, Double.POSITIVE_INFINITY));
        for (int rep = 0; rep < 50; rep++) {
            String early = assertThrows(IllegalArgumentException.class, () -> model.predict(batch)).getMessage();
            assertTrue(early.contains("example 49") && early.contains("Infinity"), early);
        }
    }
}
