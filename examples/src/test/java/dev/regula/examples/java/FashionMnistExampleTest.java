package dev.regula.examples.java;

import dev.regula.data.EmbeddedData;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.evaluation.LabelEvaluation;

import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FashionMnistExampleTest {
    private static final Logger LOGGER = Logger.getLogger("dev.regula");

    @Test
    void trainsTheReferenceNetworkOnIdxData() throws Exception {
        LOGGER.setLevel(Level.WARNING);
        // the embedded Fashion-MNIST subset has the same IDX layout as the full set; two epochs of 2,100 images:
        // one epoch (17 steps) of this dropout network lands anywhere in 0.57–0.64 depending on the masks
        LabelEvaluation eval = FashionMnistExample.run(EmbeddedData.directory(), 2, 3000);
        assertEquals(EmbeddedData.TEST_SIZE, eval.getPredictions().size());
        assertTrue(eval.accuracy() > 0.6, "accuracy " + eval.accuracy());
    }
}
