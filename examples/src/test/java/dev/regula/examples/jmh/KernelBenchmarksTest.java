package dev.regula.examples.jmh;

import dev.regula.augment.InputTransform;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every JMH benchmark body once per backend, outside JMH, so a benchmark that no longer works is caught by the
 * test suite rather than at measurement time. Nothing here is timed.
 */
class KernelBenchmarksTest {

    @ParameterizedTest
    @ValueSource(strings = {"openblas", "java"})
    void everyBenchmarkRunsAndProducesFiniteResults(String backend) {
        KernelBenchmarks b = new KernelBenchmarks();
        b.backend = backend;
        b.threads = 2;
        b.setup();
        assertFinite(b.sgemm128x500x500(), 128 * 500, "sgemm128x500x500");
        double loss = b.trainingStep();
        assertTrue(Double.isFinite(loss) && loss > 0, "trainingStep loss " + loss);
        float[][] params = b.adamUpdate();
        assertEquals(12, params.length);
        for (float[] p : params) {
            assertFinite(p, p.length, "adamUpdate");
        }
        float[] probabilities = b.predict1024();
        for (int r = 0; r < 1024; r++) {
            double sum = 0;
            for (int c = 0; c < 10; c++) {
                sum += probabilities[r * 10 + c];
            }
            assertEquals(1.0, sum, 1e-4, "predict1024 row " + r + " sums to 1");
        }
        assertFinite(b.augmentOneImage(), 784, "augmentOneImage");
        InputTransform zca = b.zcaFit();
        float[] whitened = new float[784];
        zca.apply(new float[784], whitened, 1, dev.regula.nn.Backends.get(backend, 1));
        assertFinite(whitened, 784, "zcaFit");
    }

    private static void assertFinite(float[] values, int length, String what) {
        assertEquals(length, values.length, what + " length");
        boolean nonZero = false;
        for (float v : values) {
            assertTrue(Float.isFinite(v), what + " produced " + v);
            nonZero |= v != 0;
        }
        assertTrue(nonZero, what + " produced only zeros");
    }
}
