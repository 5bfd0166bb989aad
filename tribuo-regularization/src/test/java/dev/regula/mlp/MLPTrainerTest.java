package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import dev.regula.mlp.optimisers.AdaGrad;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.mlp.optimisers.AdamW;
import dev.regula.mlp.optimisers.Optimiser;
import dev.regula.mlp.optimisers.RMSProp;
import dev.regula.mlp.optimisers.SGD;
import dev.regula.nn.Activation;
import dev.regula.nn.Network;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.DataSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.example.CheckerboardDataSource;
import org.tribuo.classification.example.ConcentricCirclesDataSource;
import org.tribuo.classification.example.LabelledDataGenerator;
import org.tribuo.classification.example.NoisyInterlockingCrescentsDataSource;
import org.tribuo.evaluation.CrossValidation;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.test.Helpers;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.LinearScalingTransformation;
import com.oracle.labs.mlrg.olcut.util.Pair;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MLPTrainerTest {

    @BeforeAll
    static void quiet() {
        Logger.getLogger(MLPTrainer.class.getName()).setLevel(Level.WARNING);
    }

    /**
     * The builder without its tabular defaults' convergence stop and standardization, for tests about behaviour
     * under a fixed epoch budget on the raw features (a hidden layer must still be added, or the default one applies).
     */
    static MLPTrainer.Builder bare() {
        return MLPTrainer.builder().earlyStopping(null).standardization(null);
    }

    static MLPTrainer.Builder small() {
        return MLPTrainerTest.bare().addLayers(2, Layer.dense(32).build()).optimiser(new Adam(0.01)).epochs(20)
                .minibatchSize(32).seed(7).numThreads(1);
    }

    static Dataset<Label> checkerboard(int n, long seed) {
        return new MutableDataset<>(new CheckerboardDataSource(n, seed, 4, -1, 1));
    }

    @Test
    void learnsNonLinearSources() {
        MLPTrainer trainer = small().epochs(60).build();
        double checker = new LabelEvaluator().evaluate(trainer.train(checkerboard(2000, 1)), checkerboard(1000, 2)).accuracy();
        assertTrue(checker > 0.9, "checkerboard accuracy " + checker);
        Dataset<Label> circles = new MutableDataset<>(new ConcentricCirclesDataSource(1000, 3, 1, 0.5));
        Dataset<Label> circlesTest = new MutableDataset<>(new ConcentricCirclesDataSource(500, 4, 1, 0.5));
        double circ = new LabelEvaluator().evaluate(small().epochs(40).build().train(circles), circlesTest).accuracy();
        assertTrue(circ > 0.93, "concentric circles accuracy " + circ);
    }

    static Stream<Optimiser> optimisers() {
        return Stream.of(new Adam(0.01), new AdamW(0.01, 0.004), new SGD(0.1, 0.9, true), new SGD(0.2, 0.0, false),
                new RMSProp(0.005, 0.9), new AdaGrad(0.1));
    }

    @ParameterizedTest
    @MethodSource("optimisers")
    void everyOptimiserLearns(Optimiser optimiser) {
        MLPModel model = small().optimiser(optimiser).epochs(30).build().train(
                new MutableDataset<>(new ConcentricCirclesDataSource(800, 5, 1, 0.5)));
        double acc = new LabelEvaluator().evaluate(model,
                new MutableDataset<>(new ConcentricCirclesDataSource(400, 6, 1, 0.5))).accuracy();
        assertTrue(acc > 0.9, optimiser + " accuracy " + acc);
    }

    @Test
    void sameSeedGivesBitIdenticalWeights() {
        Dataset<Label> data = checkerboard(500, 1);
        MLPTrainer.Builder b = small().addLayer(Layer.dense(16).dropout(0.2).kernelRegularizer(Regularizer.l1l2(1e-3, 1e-3)).build())
                .inputDropout(0.1).epochs(5);
        Network a = b.build().train(data).getNetwork();
        Network c = b.build().train(data).getNetwork();
        assertTrue(a.sameParameters(c));
        Network d = small().seed(8).epochs(5).build().train(data).getNetwork();
        assertFalse(a.sameParameters(d));
    }

    @Test
    void secondTrainCallDiffersAndInvocationCountReproducesIt() {
        Dataset<Label> data = checkerboard(300, 1);
        MLPTrainer t = small().epochs(3).build();
        Network first = t.train(data).getNetwork();
        Network second = t.train(data).getNetwork();
        assertFalse(first.sameParameters(second));
        MLPTrainer fresh = small().epochs(3).build();
        Network again = fresh.train(data, Map.of(), 1).getNetwork();
        assertTrue(second.sameParameters(again));
        assertEquals(2, fresh.getInvocationCount());
    }

    @Test
    void tribuoHelpersAcceptModelAndTrainer() {
        Pair<Dataset<Label>, Dataset<Label>> p = LabelledDataGenerator.denseTrainTest();
        MLPTrainer trainer = small().addLayer(Layer.dense(8).activation(Activation.TANH).maxNorm(3)
                        .biasRegularizer(Regularizer.l2(1e-3)).build())
                .earlyStopping(EarlyStopping.monitoring("val_accuracy").patience(2).build())
                .validationFraction(0.2).epochs(4).build();
        MLPModel model = trainer.train(p.getA());
        Helpers.testModelSerialization(model, Label.class);
        Helpers.testModelProtoSerialization(model, Label.class, p.getB());
        Helpers.testProvenanceMarshalling(model.getProvenance());
        Helpers.testConfigurableRoundtrip(trainer);
        LabelEvaluation eval = new LabelEvaluator().evaluate(model, p.getB());
        assertEquals(p.getB().size(), eval.getPredictions().size());
    }

    @Test
    void sparseDenseEmptyAndUnknownFeatures() {
        Pair<Dataset<Label>, Dataset<Label>> dense = LabelledDataGenerator.denseTrainTest();
        MLPModel denseModel = small().epochs(3).build().train(dense.getA());
        for (Prediction<Label> pred : denseModel.predict(dense.getB())) {
            assertEquals(4, pred.getOutputScores().size());
            double sum = pred.getOutputScores().values().stream().mapToDouble(Label::getScore).sum();
            assertEquals(1.0, sum, 1e-5);
        }
        Pair<Dataset<Label>, Dataset<Label>> sparse = LabelledDataGenerator.sparseTrainTest();
        MLPModel sparseModel = small().epochs(3).build().train(sparse.getA());
        assertEquals(sparse.getB().size(), sparseModel.predict(sparse.getB()).size());
        assertThrows(IllegalArgumentException.class, () -> sparseModel.predict(LabelledDataGenerator.emptyExample()));
        assertThrows(IllegalArgumentException.class, () -> sparseModel.predict(LabelledDataGenerator.invalidSparseExample()));
        // unknown features are ignored, known ones used
        Example<Label> mixed = new ArrayExample<>(new Label("Foo"), new String[]{"A", "Z-unknown"}, new double[]{1.0, 5.0});
        assertEquals(1, sparseModel.predict(mixed).getNumActiveFeatures());
    }

    @Test
    void dropInForTribuoMachinery() {
        Dataset<Label> data = checkerboard(600, 1);
        CrossValidation<Label, LabelEvaluation> cv = new CrossValidation<>(small().epochs(10).build(), data, new LabelEvaluator(), 3, 1L);
        List<Pair<LabelEvaluation, Model<Label>>> folds = cv.evaluate();
        assertEquals(3, folds.size());
        for (Pair<LabelEvaluation, Model<Label>> f : folds) {
            assertTrue(f.getA().accuracy() > 0.6, "fold accuracy " + f.getA().accuracy());
        }
        TransformationMap scale = new TransformationMap(List.of(new LinearScalingTransformation(0, 1)));
        TransformTrainer<Label> tt = new TransformTrainer<>(small().epochs(60).build(), scale);
        Model<Label> scaled = tt.train(data);
        double acc = new LabelEvaluator().evaluate(scaled, checkerboard(500, 2)).accuracy();
        assertTrue(acc > 0.8, "TransformTrainer accuracy " + acc);
    }

    @Test
    void retrainsFromProvenanceAlone() {
        ConfigurableDataSource<Label> source = new NoisyInterlockingCrescentsDataSource(400, 9, 0.1);
        MLPTrainer trainer = small().addLayer(Layer.dense(8).dropout(0.1).build()).epochs(4)
                .validationFraction(0.25).earlyStopping(EarlyStopping.monitoring("val_loss").patience(1).build()).build();
        trainer.train(new MutableDataset<>(source)); // bump the invocation count: provenance must record it
        MLPModel model = trainer.train(new MutableDataset<>(source));

        ModelProvenance prov = model.getProvenance();
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(prov));
        MLPTrainer rebuilt = (MLPTrainer) cm.lookup(cm.listAll(Trainer.class).get(0));
        @SuppressWarnings("unchecked")
        DataSource<Label> rebuiltSource = (DataSource<Label>) cm.lookup(cm.listAll(ConfigurableDataSource.class).get(0));
        TrainerProvenance tp = prov.getTrainerProvenance();
        int count = ((IntProvenance) tp.getInstanceValues().get("train-invocation-count")).getValue();
        assertEquals(1, count);
        MLPModel again = rebuilt.train(new MutableDataset<>(rebuiltSource), Map.of(), count);
        assertTrue(model.getNetwork().sameParameters(again.getNetwork()));
        assertEquals(model.getHistory().getEpochsRun(), again.getHistory().getEpochsRun());
    }

    @Test
    void dropoutAndPenaltiesShrinkTheGeneralisationGap() {
        // 150 noisy points, a wide network and many epochs overfit; regularisation must reduce train - validation.
        Dataset<Label> train = new MutableDataset<>(new NoisyInterlockingCrescentsDataSource(150, 21, 0.35));
        Dataset<Label> val = new MutableDataset<>(new NoisyInterlockingCrescentsDataSource(2000, 22, 0.35));
        MLPTrainer.Builder base = MLPTrainerTest.bare().optimiser(new Adam(0.01)).epochs(300).minibatchSize(32).seed(3).numThreads(1);
        double gapBase = gap(base.addLayers(2, Layer.dense(128).build()).build(), train, val);
        double gapDrop = gap(MLPTrainerTest.bare().optimiser(new Adam(0.01)).epochs(300).minibatchSize(32).seed(3).numThreads(1)
                .addLayers(2, Layer.dense(128).dropout(0.5).build()).build(), train, val);
        double gapL2 = gap(MLPTrainerTest.bare().optimiser(new Adam(0.01)).epochs(300).minibatchSize(32).seed(3).numThreads(1)
                .addLayers(2, Layer.dense(128).kernelRegularizer(Regularizer.l2(3e-3)).build()).build(), train, val);
        assertTrue(gapBase > 0.05, "baseline must overfit, gap " + gapBase);
        assertTrue(gapDrop < gapBase, "dropout gap " + gapDrop + " vs baseline " + gapBase);
        assertTrue(gapL2 < gapBase, "L2 gap " + gapL2 + " vs baseline " + gapBase);
    }

    private static double gap(MLPTrainer t, Dataset<Label> train, Dataset<Label> val) {
        MLPModel m = t.train(train);
        LabelEvaluator ev = new LabelEvaluator();
        return ev.evaluate(m, train).accuracy() - ev.evaluate(m, val).accuracy();
    }

    @Test
    void invalidHyperParametersFailAtConfiguration() {
        assertField("dropout", () -> Layer.dense(4).dropout(1.0).build());
        assertField("dropout", () -> Layer.dense(4).dropout(-0.1).build());
        assertField("units", () -> Layer.dense(0).build());
        assertField("maxNorm", () -> Layer.dense(4).maxNorm(-1).build());
        assertField("l2", () -> Regularizer.l2(-1e-4));
        assertField("l1", () -> Regularizer.l1(Double.NaN));
        assertField("epochs", () -> small().epochs(0).build());
        assertField("minibatchSize", () -> small().minibatchSize(0).build());
        assertField("inputDropout", () -> small().inputDropout(1.0).build());
        assertField("validationFraction", () -> small().validationFraction(1.0).build());
        assertField("learningRate", () -> new Adam(-1));
        assertField("beta1", () -> new Adam(1e-3, 1.0, 0.999, 1e-7));
        assertField("momentum", () -> new SGD(0.1, 1.5, false));
        assertField("patience", () -> EarlyStopping.monitoring("val_loss").patience(-1).build());
    }

    private static void assertField(String field, Runnable r) {
        PropertyException e = assertThrows(PropertyException.class, r::run);
        assertEquals(field, e.getProperty(), e.getMessage());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void badDataIsRejectedClearly() {
        MLPTrainer t = small().epochs(1).build();
        MutableDataset<Label> empty = new MutableDataset<>(new org.tribuo.provenance.SimpleDataSourceProvenance("empty", new LabelFactory()), new LabelFactory());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.train(empty)).getMessage().contains("empty"));

        MutableDataset<Label> oneClass = dataset(new double[][]{{1, 2}, {2, 3}}, "a", "a");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.train(oneClass)).getMessage().contains("at least 2"));

        // MutableDataset.add rejects NaN, but examples can be changed after they were added
        MutableDataset<Label> nan = dataset(new double[][]{{1, 2}, {4, 3}}, "a", "b");
        ((ArrayExample<Label>) nan.getExample(1)).set(new org.tribuo.Feature("f0", Double.NaN));
        String msg = assertThrows(IllegalArgumentException.class, () -> t.train(nan)).getMessage();
        assertTrue(msg.contains("training example 1") && msg.contains("NaN") && msg.contains("f0"), msg);

        MutableDataset<Label> inf = dataset(new double[][]{{1, 5}, {2, 3}}, "a", "b");
        ((ArrayExample<Label>) inf.getExample(0)).set(new org.tribuo.Feature("f1", Double.POSITIVE_INFINITY));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.train(inf)).getMessage().contains("Infinity"));

        MLPModel model = t.train(dataset(new double[][]{{1, 2}, {2, 3}}, "a", "b"));
        Example<Label> unknownOnly = new ArrayExample<>(new Label("a"), new String[]{"nope"}, new double[]{1});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> model.predict(unknownOnly)).getMessage().contains("no features known"));
    }

    @Test
    void divergenceStopsWithAClearErrorNeverANaNModel() {
        MLPTrainer exploding = small().optimiser(new SGD(1e12, 0, false)).epochs(3).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> exploding.train(checkerboard(300, 1)));
        assertTrue(e.getMessage().contains("diverged"), e.getMessage());
    }

    static MutableDataset<Label> dataset(double[][] rows, String... labels) {
        LabelFactory f = new LabelFactory();
        MutableDataset<Label> ds = new MutableDataset<>(new org.tribuo.provenance.SimpleDataSourceProvenance("test", f), f);
        for (int i = 0; i < rows.length; i++) {
            String[] names = new String[rows[i].length];
            for (int j = 0; j < names.length; j++) {
                names[j] = "f" + j;
            }
            ds.add(new ArrayExample<>(new Label(labels[i]), names, rows[i]));
        }
        return ds;
    }
}
