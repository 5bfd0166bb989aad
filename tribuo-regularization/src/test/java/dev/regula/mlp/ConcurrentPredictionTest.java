package dev.regula.mlp;

import dev.regula.augment.Standardization;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tribuo models are shared between threads for prediction: an {@link MLPModel} (here with a standardization baked
 * in) gives every thread exactly the scores it gives one thread alone, while the backend's thread team is busy.
 */
class ConcurrentPredictionTest {

    @Test
    void concurrentPredictionsEqualSequentialOnesBitForBit() throws Exception {
        Dataset<Label> data = MLPTrainerTest.checkerboard(400, 3);
        MLPModel model = MLPTrainerTest.small().epochs(3).numThreads(2)
                .standardization(Standardization.builder().featurewiseCenter(true).featurewiseStdNormalization(true).build())
                .build().train(data);
        // the references, computed alone (batched and one-by-one products may round differently, so each has its own)
        List<Prediction<Label>> batched = model.predict(data);
        List<Prediction<Label>> single = predictOneByOne(model, data);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Prediction<Label>>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int task = t;
                Callable<List<Prediction<Label>>> call = () -> {
                    List<Prediction<Label>> last = null;
                    for (int rep = 0; rep < 10; rep++) {
                        // alternate batched and one-by-one prediction so both paths overlap in time
                        last = task % 2 == 0 ? model.predict(data) : predictOneByOne(model, data);
                    }
                    return last;
                };
                futures.add(pool.submit(call));
            }
            for (int t = 0; t < futures.size(); t++) {
                assertSamePredictions(t % 2 == 0 ? batched : single, futures.get(t).get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }

    private static List<Prediction<Label>> predictOneByOne(MLPModel model, Dataset<Label> data) {
        List<Prediction<Label>> out = new ArrayList<>();
        data.forEach(e -> out.add(model.predict(e)));
        return out;
    }

    private static void assertSamePredictions(List<Prediction<Label>> expected, List<Prediction<Label>> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            Prediction<Label> a = expected.get(i);
            Prediction<Label> b = actual.get(i);
            assertEquals(a.getOutput().getLabel(), b.getOutput().getLabel(), "example " + i);
            for (String name : a.getOutputScores().keySet()) {
                double sa = a.getOutputScores().get(name).getScore();
                double sb = b.getOutputScores().get(name).getScore();
                assertEquals(Double.doubleToLongBits(sa), Double.doubleToLongBits(sb),
                        "example " + i + ", class " + name + ": " + sa + " vs " + sb);
            }
        }
    }
}
