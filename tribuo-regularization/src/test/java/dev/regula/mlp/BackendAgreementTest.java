package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.nn.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.example.CheckerboardDataSource;
import org.tribuo.test.Helpers;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on the native and the pure-Java backend gives the same model within float tolerance, and the model's
 * provenance records which backend trained it.
 */
class BackendAgreementTest {

    private static <T> T withBackend(String kind, Supplier<T> body) {
        String old = System.getProperty(Backends.PROPERTY);
        System.setProperty(Backends.PROPERTY, kind);
        try {
            return body.get();
        } finally {
            if (old == null) {
                System.clearProperty(Backends.PROPERTY);
            } else {
                System.setProperty(Backends.PROPERTY, old);
            }
        }
    }

    @Test
    void nativeAndJavaBackendsAgree() {
        Assumptions.assumeTrue(Backends.nativeAvailable(), "OpenBLAS natives unavailable on this platform");
        Dataset<Label> data = new MutableDataset<>(new CheckerboardDataSource(400, 1, 4, -1, 1));
        MLPTrainer.Builder b = MLPTrainer.builder().addLayers(2, Layer.dense(32).dropout(0.1).build())
                .optimiser(new Adam(0.01)).epochs(3).minibatchSize(32).seed(1).numThreads(2);
        MLPModel onJava = withBackend("java", () -> b.build().train(data));
        MLPModel onNative = withBackend("openblas", () -> b.build().train(data));
        assertEquals("java", ((StringProvenance) onJava.getProvenance().getInstanceProvenance().getMap()
                .get(MLPTrainer.BLAS_PROVENANCE)).getValue());
        assertTrue(((StringProvenance) onNative.getProvenance().getInstanceProvenance().getMap()
                .get(MLPTrainer.BLAS_PROVENANCE)).getValue().startsWith("openblas"));
        List<Prediction<Label>> a = withBackend("java", () -> onJava.predict(data));
        List<Prediction<Label>> c = withBackend("java", () -> onNative.predict(data));
        assertTrue(Helpers.predictionListDistributionEquals(a, c, 1e-3), "backends disagree beyond 1e-3");
        // prediction itself agrees across backends for one model
        List<Prediction<Label>> d = withBackend("openblas", () -> onNative.predict(data));
        assertTrue(Helpers.predictionListDistributionEquals(c, d, 1e-5));
    }

    /** Several team threads split products, element-wise passes and dropout streams; reruns must not differ by a bit. */
    @Test
    void multiThreadedTrainingIsBitIdenticalRunToRun() {
        Dataset<Label> data = new MutableDataset<>(new CheckerboardDataSource(300, 2, 4, -1, 1));
        for (String backend : Backends.nativeAvailable() ? new String[]{"java", "openblas"} : new String[]{"java"}) {
            for (int threads : new int[]{2, 3}) {
                MLPTrainer.Builder b = MLPTrainer.builder()
                        .addLayers(2, Layer.dense(40).dropout(0.2).kernelRegularizer(Regularizer.l1l2(1e-4, 1e-3)).build())
                        .inputDropout(0.1).optimiser(new Adam(0.01)).epochs(3).minibatchSize(32).seed(4).numThreads(threads);
                MLPModel first = withBackend(backend, () -> b.build().train(data));
                MLPModel second = withBackend(backend, () -> b.build().train(data));
                assertTrue(first.getNetwork().sameParameters(second.getNetwork()), backend + " with " + threads + " threads");
            }
        }
    }
}
