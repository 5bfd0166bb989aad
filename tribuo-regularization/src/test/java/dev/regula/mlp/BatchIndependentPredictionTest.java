package dev.regula.mlp;

import dev.regula.augment.Standardization;
import dev.regula.data.EmbeddedData;
import dev.regula.data.RescalingDataSource;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.testing.FriedmanDataSource;
import dev.regula.testing.InteractionMultiLabelSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.regression.Regressor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A model's outputs for an example are a function of that example alone: {@code predict(Example)} and
 * {@code predict(Iterable)} agree bit for bit, whatever the other examples of the call, their number and order —
 * for the three model types, with and without an input transform (ZCA whitening runs a product over the batch).
 * The network's products alone, at any offset and thread count: {@code NetworkPredictTest}.
 */
class BatchIndependentPredictionTest {
    private static final int[] BATCH_SIZES = {1, 2, 7, 63, 64, 65, 130, 1000};
    private static Dataset<Label> images;

    @BeforeAll
    static void load() throws Exception {
        Logger.getLogger("dev.regula").setLevel(Level.WARNING);
        Dataset<Label> all = new MutableDataset<>(RescalingDataSource.of(EmbeddedData.trainSource(), 1.0 / 255));
        MutableDataset<Label> some = new MutableDataset<>(all.getProvenance(), new LabelFactory());
        for (int i = 0; i < 1000; i++) {
            some.add(all.getExample(i));
        }
        images = some;
    }

    @Test
    void classificationWithZcaIsBatchIndependent() {
        MLPModel model = MLPTrainer.builder().addLayers(2, Layer.dense(96).build()).optimiser(new Adam()).epochs(1)
                .minibatchSize(64).seed(3).numThreads(2)
                .standardization(Standardization.builder().featurewiseCenter(true).zcaWhitening(true).build())
                .build().train(images);
        assertBatchIndependent(model, images);
    }

    @Test
    void classificationWithoutTransformIsBatchIndependent() {
        MLPModel model = MLPTrainer.builder().standardization(null).addLayers(2, Layer.dense(96).build())
                .optimiser(new Adam()).epochs(1).minibatchSize(64).seed(4).numThreads(2).build().train(images);
        assertBatchIndependent(model, images);
    }

    @Test
    void regressionIsBatchIndependent() {
        Dataset<Regressor> data = new MutableDataset<>(FriedmanDataSource.of(700, 1.0, 1));
        MLPRegressionModel model = MLPRegressionTrainer.builder().addLayers(2, Layer.dense(96).build()).epochs(2)
                .seed(5).numThreads(2)
                .standardization(Standardization.builder().featurewiseCenter(true).featurewiseStdNormalization(true).build())
                .build().train(data);
        assertBatchIndependent(model, data);
    }

    @Test
    void multiLabelIsBatchIndependent() {
        Dataset<MultiLabel> data = new MutableDataset<>(InteractionMultiLabelSource.of(700, 0.02, 1));
        MLPMultiLabelModel model = MLPMultiLabelTrainer.builder().addLayers(2, Layer.dense(96).build()).epochs(2)
                .seed(6).numThreads(2).build().train(data);
        assertBatchIndependent(model, data);
    }

    /**
     * Predicts every example alone, then all examples in shuffled orders split into batches of each size, and
     * requires every example's scores to be the same bits each time.
     */
    private static <T extends Output<T>> void assertBatchIndependent(Model<T> model, Dataset<T> data) {
        List<Example<T>> examples = new ArrayList<>();
        data.forEach(examples::add);
        List<Map<String, Long>> alone = new ArrayList<>();
        for (Example<T> e : examples) {
            alone.add(bits(model.predict(e)));
        }
        assertSame(alone, scores(model.predict(examples)), "predict(Iterable) of all examples in order");
        assertSame(alone, scores(model.predict(data)), "predict(Dataset)");
        SplittableRandom rng = new SplittableRandom(11);
        for (int size : BATCH_SIZES) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, new java.util.Random(rng.nextLong()));
            for (int from = 0; from < order.size(); from += size) {
                List<Integer> ids = order.subList(from, Math.min(order.size(), from + size));
                List<Example<T>> batch = new ArrayList<>();
                ids.forEach(i -> batch.add(examples.get(i)));
                List<Prediction<T>> predictions = model.predict(batch);
                for (int j = 0; j < ids.size(); j++) {
                    assertEquals(alone.get(ids.get(j)), bits(predictions.get(j)),
                            "example " + ids.get(j) + " at position " + j + " of a shuffled batch of " + ids.size());
                }
            }
        }
    }

    private static void assertSame(List<Map<String, Long>> expected, List<Map<String, Long>> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), what + ": example " + i);
        }
    }

    private static <T extends Output<T>> List<Map<String, Long>> scores(List<Prediction<T>> predictions) {
        List<Map<String, Long>> out = new ArrayList<>();
        predictions.forEach(p -> out.add(bits(p)));
        return out;
    }

    /** The raw bits of every score of a prediction (and of the predicted output's own value), by output name. */
    private static <T extends Output<T>> Map<String, Long> bits(Prediction<T> p) {
        Map<String, Long> m = new TreeMap<>();
        p.getOutputScores().forEach((name, o) -> m.put(name, Double.doubleToRawLongBits(score(o))));
        if (p.getOutput() instanceof Regressor r) {
            String[] names = r.getNames();
            double[] values = r.getValues();
            for (int i = 0; i < names.length; i++) {
                m.put("<value " + names[i] + ">", Double.doubleToRawLongBits(values[i]));
            }
        } else {
            m.put("<output " + p.getOutput() + ">", 0L);
        }
        return m;
    }

    private static double score(Output<?> o) {
        if (o instanceof Label l) {
            return l.getScore();
        }
        if (o instanceof MultiLabel ml) {
            return ml.getScore();
        }
        if (o instanceof Regressor r) {
            return r.getValues()[0];
        }
        throw new AssertionError("unexpected output " + o);
    }
}
