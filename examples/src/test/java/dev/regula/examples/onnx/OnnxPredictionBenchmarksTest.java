package dev.regula.examples.onnx;

import org.junit.jupiter.api.Test;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every benchmark body once, outside JMH and on a small network, so a benchmark that no longer works (or
 * compares engines that no longer agree) is caught by the test suite rather than at measurement time. Nothing here
 * is timed.
 */
class OnnxPredictionBenchmarksTest {

    @Test
    void everyBenchmarkRunsAndBothEnginesAgree() throws Exception {
        OnnxPredictionBenchmarks b = new OnnxPredictionBenchmarks();
        b.threads = 2;
        b.hiddenLayers = 1;
        b.units = 32;
        b.setup();
        try {
            float[] one = b.regulaNetworkOne().clone();
            b.next = 0; // the same row again
            float[][] onnxOne = b.onnxNetworkOne();
            assertClose(one, onnxOne[0], "one row");

            float[] regula = b.regulaNetworkBatch().clone();
            float[][] onnx = b.onnxNetworkBatch();
            assertEquals(OnnxPredictionBenchmarks.BATCH, onnx.length);
            for (int i = 0; i < onnx.length; i++) {
                float[] row = new float[onnx[i].length];
                System.arraycopy(regula, i * row.length, row, 0, row.length);
                assertClose(row, onnx[i], "batch row " + i);
            }
            List<Prediction<Label>> ours = b.regulaTribuoBatch();
            List<Prediction<Label>> theirs = b.onnxTribuoBatch();
            assertEquals(OnnxPredictionBenchmarks.BATCH, ours.size());
            for (int i = 0; i < ours.size(); i++) {
                assertEquals(ours.get(i).getOutput().getLabel(), theirs.get(i).getOutput().getLabel(), "example " + i);
            }
            b.next = 5;
            String label = b.regulaTribuoOne().getOutput().getLabel();
            b.next = 5;
            assertEquals(label, b.onnxTribuoOne().getOutput().getLabel());
        } finally {
            b.tearDown();
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int j = 0; j < expected.length; j++) {
            assertTrue(Math.abs(expected[j] - actual[j]) <= 1e-5, what + " output " + j + ": " + expected[j] + " vs " + actual[j]);
        }
    }
}
