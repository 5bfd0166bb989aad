package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import dev.regula.experiment.Reproduction;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.testing.InteractionMultiLabelSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.multilabel.MultiLabelFactory;
import org.tribuo.multilabel.evaluation.MultiLabelEvaluation;
import org.tribuo.multilabel.evaluation.MultiLabelEvaluator;
import org.tribuo.multilabel.sgd.linear.LinearSGDTrainer;
import org.tribuo.multilabel.sgd.objectives.BinaryCrossEntropy;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multi-label network: against Tribuo's linear multi-label SGD on labels that depend on feature interactions,
 * metrics equal to Tribuo's evaluator's, the threshold, bad input, serialization and reproduction.
 */
class MultiLabelTrainerTest {
    private static final MultiLabelEvaluator EVALUATOR = new MultiLabelEvaluator();
    private static Dataset<MultiLabel> train;
    private static Dataset<MultiLabel> test;

    @BeforeAll
    static void load() {
        Logger.getLogger("dev.regula").setLevel(Level.WARNING);
        Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
        train = new MutableDataset<>(InteractionMultiLabelSource.of(2000, 0.02, 1));
        test = new MutableDataset<>(InteractionMultiLabelSource.of(1000, 0.02, 2));
    }

    /** The documented configuration of docs/multilabel.md. */
    static MLPMultiLabelTrainer.Builder documented() {
        return MLPMultiLabelTrainer.builder().addLayers(2, Layer.dense(64).build()).optimiser(new Adam(0.005))
                .validationFraction(0.2)
                .earlyStopping(EarlyStopping.monitoring("val_jaccard").patience(10).restoreBestWeights(true).build())
                .epochs(200).minibatchSize(32).seed(1).numThreads(1);
    }

    @Test
    void beatsLinearSgdOnInteractionLabels() {
        Model<MultiLabel> linear = new LinearSGDTrainer(new BinaryCrossEntropy(), new AdaGrad(0.1), 50, 1L).train(train);
        MLPMultiLabelModel net = documented().build().train(train);
        double lin = EVALUATOR.evaluate(linear, test).jaccardScore();
        double mlp = EVALUATOR.evaluate(net, test).jaccardScore();
        assertTrue(mlp > lin + 0.15, "network Jaccard " + mlp + " against linear " + lin);
    }

    @Test
    void validationMetricsAreMultiLabelEvaluatorsBitForBit() {
        MLPMultiLabelModel m = MLPMultiLabelTrainer.builder().addLayer(Layer.dense(16).build()).epochs(3).seed(2)
                .numThreads(1).build().train(train);
        MultiLabelEvaluation expected = EVALUATOR.evaluate(m, test);
        List<Prediction<MultiLabel>> predictions = m.predict(test);
        MultiLabelHead head = (MultiLabelHead) m.head();
        double[][] pairs = {
                {expected.jaccardScore(), head.metric(Monitor.VAL_JACCARD, predictions)},
                {expected.macroAveragedF1(), head.metric(Monitor.VAL_MACRO_F1, predictions)},
                {expected.microAveragedF1(), head.metric(Monitor.VAL_MICRO_F1, predictions)},
                {expected.macroAveragedPrecision(), head.metric(Monitor.VAL_MACRO_PRECISION, predictions)},
                {expected.macroAveragedRecall(), head.metric(Monitor.VAL_MACRO_RECALL, predictions)},
                {expected.balancedErrorRate(), head.metric(Monitor.VAL_BALANCED_ERROR_RATE, predictions)}};
        for (int i = 0; i < pairs.length; i++) {
            assertEquals(Double.doubleToLongBits(pairs[i][0]), Double.doubleToLongBits(pairs[i][1]), "metric " + i);
        }
        // the monitored value of the last epoch is the evaluator's on the final weights
        MLPMultiLabelModel monitored = MLPMultiLabelTrainer.builder().addLayer(Layer.dense(16).build()).epochs(3).seed(2)
                .numThreads(1).earlyStopping(EarlyStopping.monitoring("val_micro_f1").patience(5).build()).build()
                .train(train, test);
        List<EpochRecord> epochs = monitored.getHistory().getEpochs();
        assertEquals(EVALUATOR.evaluate(monitored, test).microAveragedF1(), epochs.get(epochs.size() - 1).monitorValue(), 1e-12);
    }

    @Test
    void thresholdDecidesAndEveryLabelHasAProbability() {
        MLPMultiLabelModel half = MLPMultiLabelTrainer.builder().addLayer(Layer.dense(16).build()).epochs(5).seed(2)
                .numThreads(1).build().train(train);
        MLPMultiLabelModel strict = MLPMultiLabelTrainer.builder().addLayer(Layer.dense(16).build()).epochs(5).seed(2)
                .numThreads(1).threshold(0.9).build().train(train);
        assertTrue(half.getNetwork().sameParameters(strict.getNetwork()), "the threshold only decides");
        int predictedHalf = 0;
        int predictedStrict = 0;
        for (Prediction<MultiLabel> p : half.predict(test)) {
            assertEquals(Set.of("A", "B", "C", "D"), p.getOutputScores().keySet());
            for (MultiLabel score : p.getOutputScores().values()) {
                Label l = score.getLabelSet().iterator().next();
                assertEquals(l.getScore() > 0.5, p.getOutput().contains(l.getLabel()), "label above 0.5 iff predicted");
            }
            predictedHalf += p.getOutput().getLabelSet().size();
        }
        for (Prediction<MultiLabel> p : strict.predict(test)) {
            predictedStrict += p.getOutput().getLabelSet().size();
        }
        assertTrue(predictedStrict < predictedHalf, predictedStrict + " labels at 0.9 against " + predictedHalf + " at 0.5");
        assertThrows(PropertyException.class, () -> MLPMultiLabelTrainer.builder().threshold(1.0).build());
    }

    @Test
    void badInputIsAClearError() {
        MutableDataset<MultiLabel> none = new MutableDataset<>(new SimpleDataSourceProvenance("t", new MultiLabelFactory()),
                new MultiLabelFactory());
        none.add(new ArrayExample<>(new MultiLabel(Set.of()), new String[]{"a"}, new double[]{1}));
        none.add(new ArrayExample<>(new MultiLabel(Set.of()), new String[]{"a"}, new double[]{2}));
        MLPMultiLabelTrainer t = MLPMultiLabelTrainer.builder().epochs(1).numThreads(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.train(none));
        assertTrue(e.getMessage().contains("no labels at all"), e.getMessage());
        MutableDataset<MultiLabel> other = new MutableDataset<>(new SimpleDataSourceProvenance("v", new MultiLabelFactory()),
                new MultiLabelFactory());
        other.add(new ArrayExample<>(new MultiLabel("Z"), new String[]{"x0"}, new double[]{1}));
        e = assertThrows(IllegalArgumentException.class, () -> t.train(train, other));
        assertTrue(e.getMessage().contains("validation example 0 has label 'Z', which is not among the training labels"),
                e.getMessage());
        PropertyException p = assertThrows(PropertyException.class, () -> MLPMultiLabelTrainer.builder()
                .earlyStopping(EarlyStopping.monitoring("val_auc").build()).build());
        assertTrue(p.getMessage().contains("valid monitors: loss, accuracy, val_loss, val_accuracy"), p.getMessage());
        assertTrue(p.getMessage().contains("val_jaccard"), p.getMessage());
    }

    @Test
    void serializesAndReproducesBitForBit() {
        MLPMultiLabelModel m = MLPMultiLabelTrainer.builder().addLayer(Layer.dense(16).dropout(0.1).build())
                .validationFraction(0.2).earlyStopping(EarlyStopping.monitoring("val_loss").patience(2).build())
                .threshold(0.4).epochs(4).seed(4).numThreads(1).build()
                .train(new MutableDataset<>(InteractionMultiLabelSource.of(400, 0.02, 7)));
        Model<?> proto = Model.deserialize(m.serialize());
        assertTrue(proto instanceof MLPMultiLabelModel);
        assertEquals(0.4, ((MLPMultiLabelModel) proto).getThreshold());
        assertEquals(0, Reproduction.countDifferences(m.predict(test), ((MLPMultiLabelModel) proto).predict(test)));
        var r = Reproduction.of(m);
        MLPMultiLabelModel again = r.retrain();
        assertTrue(m.getNetwork().sameParameters(again.getNetwork()), "bit-identical weights from the provenance alone");
        assertTrue(r.reproduce(m, test).identical());
        assertFalse(Double.isNaN(m.getHistory().getEpochs().get(0).accuracy()), "subset accuracy is reported");
    }
}
