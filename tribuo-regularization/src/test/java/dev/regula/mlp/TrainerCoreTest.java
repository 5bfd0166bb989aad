package dev.regula.mlp;

import dev.regula.augment.Augmentation;
import dev.regula.augment.Standardization;
import dev.regula.data.EmbeddedData;
import dev.regula.data.ImageGeometry;
import dev.regula.data.RescalingDataSource;
import dev.regula.mlp.optimisers.Adam;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer core's contracts that the restructuring introduced: validation metrics computed without a model
 * equal Tribuo's evaluator's, an identity augmentation trains exactly like none, and a builder reused after
 * {@code build()} leaves the trainers it built unchanged.
 */
class TrainerCoreTest {
    private static Dataset<Label> images;

    @BeforeAll
    static void load() throws Exception {
        Logger.getLogger(MLPTrainer.class.getName()).setLevel(Level.WARNING);
        Dataset<Label> all = new MutableDataset<>(RescalingDataSource.of(EmbeddedData.trainSource(), 1.0 / 255));
        MutableDataset<Label> some = new MutableDataset<>(all.getProvenance(), new LabelFactory());
        for (int i = 0; i < 600; i++) {
            some.add(all.getExample(i));
        }
        images = some;
    }

    @Test
    void validationMetricsEqualLabelEvaluatorBitForBit() {
        Dataset<Label> train = EarlyStoppingTest.crescents(300, 1);
        Dataset<Label> val = EarlyStoppingTest.crescents(120, 2);
        MLPModel model = EarlyStoppingTest.overfitting(3).validationFraction(0).build().train(train);
        LabelEvaluation expected = new LabelEvaluator().evaluate(model, val);
        List<Prediction<Label>> predictions = model.predict(val);
        LabelHead head = new LabelHead(model.getOutputIDInfo());
        int compared = 0;
        for (Monitor m : MLPTrainer.builder().build().monitors()) {
            if (!m.isTribuoMetric()) {
                continue;
            }
            double want = switch (m) {
                case VAL_MACRO_F1 -> expected.macroAveragedF1();
                case VAL_MICRO_F1 -> expected.microAveragedF1();
                case VAL_MACRO_PRECISION -> expected.macroAveragedPrecision();
                case VAL_MACRO_RECALL -> expected.macroAveragedRecall();
                case VAL_BALANCED_ERROR_RATE -> expected.balancedErrorRate();
                case VAL_AUC -> expected.averageAUCROC(false);
                case VAL_WEIGHTED_AUC -> expected.averageAUCROC(true);
                default -> throw new AssertionError("no LabelEvaluation counterpart for " + m);
            };
            assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(head.metric(m, predictions)), m.getKey());
            compared++;
        }
        assertEquals(7, compared);
        // the epoch evaluator's validation accuracy is Tribuo's accuracy of the same weights
        MLPModel monitored = EarlyStoppingTest.overfitting(3).validationFraction(0).build().train(train, val);
        double last = monitored.getHistory().getEpochs().get(2).valAccuracy();
        assertEquals(new LabelEvaluator().evaluate(monitored, val).accuracy(), last, 1e-12);
    }

    @Test
    void identityAugmentationTrainsExactlyLikeNone() {
        Standardization zca = Standardization.builder().featurewiseCenter(true).zcaWhitening(true).build();
        ImageGeometry g = ImageGeometry.of(28, 28, 1);
        MLPModel plain = net().standardization(zca).imageGeometry(g).build().train(images);
        MLPModel identity = net().standardization(zca).augmentation(Augmentation.none(), g).build().train(images);
        assertTrue(plain.getNetwork().sameParameters(identity.getNetwork()),
                "an identity augmentation must not change what is trained");
        MLPModel augmented = net().standardization(zca)
                .augmentation(Augmentation.builder().rotationRange(10).build(), g).build().train(images);
        assertFalse(plain.getNetwork().sameParameters(augmented.getNetwork()), "a real augmentation changes training");
    }

    @Test
    void builderReusedAfterBuildLeavesBuiltTrainersUnchanged() {
        MLPTrainer.Builder b = net().epochs(2);
        MLPTrainer first = b.build();
        String before = first.getProvenance().toString();
        MLPTrainer second = b.epochs(5).seed(99).addLayer(Layer.dense(8).build()).build();
        assertNotSame(first, second);
        assertEquals(2, first.getEpochs());
        assertEquals(2, first.getHiddenLayers().size());
        assertEquals(before, first.getProvenance().toString());
        assertEquals(5, second.getEpochs());
        assertEquals(99, second.getSeed());
        assertEquals(3, second.getHiddenLayers().size());
        // listeners given to the builder reach every trainer it builds
        int[] calls = new int[1];
        MLPTrainer.Builder withListener = net().epochs(1).epochListener(r -> calls[0]++);
        withListener.build().train(images);
        withListener.build().train(images);
        assertEquals(2, calls[0]);
    }

    @Test
    void modelReadsTheImageGeometryUnderTheFieldsName() throws NoSuchFieldException {
        assertEquals(String.class, AbstractMLPTrainer.class.getDeclaredField(AbstractMLPTrainer.IMAGE_GEOMETRY).getType());
        ImageGeometry g = ImageGeometry.of(28, 28, 1);
        assertEquals(g, net().epochs(1).imageGeometry(g).build().train(images).getImageGeometry());
    }

    private static MLPTrainer.Builder net() {
        return MLPTrainer.builder().addLayers(2, Layer.dense(32).build()).optimiser(new Adam()).epochs(2)
                .minibatchSize(64).seed(11).numThreads(1);
    }
}
