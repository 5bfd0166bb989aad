package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import dev.regula.augment.Standardization;
import dev.regula.experiment.Reproduction;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.testing.FriedmanDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.evaluation.TrainTestSplitter;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionEvaluation;
import org.tribuo.regression.evaluation.RegressionEvaluator;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The regression network: accuracy against Tribuo's linear SGD regression on real (diabetes) and non-linear
 * (Friedman #1) data, multi-dimensional targets, target standardization, bad input, monitors, serialization and
 * reproduction.
 */
class RegressionTrainerTest {
    private static final RegressionEvaluator EVALUATOR = new RegressionEvaluator();
    private static Dataset<Regressor> diabetesTrain;
    private static Dataset<Regressor> diabetesTest;

    @BeforeAll
    static void load() throws Exception {
        Logger.getLogger("dev.regula").setLevel(Level.WARNING);
        Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
        TrainTestSplitter<Regressor> split = new TrainTestSplitter<>(
                new CSVLoader<>(new RegressionFactory()).loadDataSource(resource("diabetes.csv"), "progression"), 0.7, 1L);
        diabetesTrain = new MutableDataset<>(split.getTrain());
        diabetesTest = new MutableDataset<>(split.getTest());
    }

    private static Path resource(String name) throws Exception {
        return Path.of(RegressionTrainerTest.class.getResource(name).toURI());
    }

    /** The documented configuration of docs/regression.md. */
    static MLPRegressionTrainer.Builder documented() {
        return MLPRegressionTrainer.builder()
                .addLayer(Layer.dense(32).kernelRegularizer(Regularizer.l2(0.03)).build())
                .standardization(Standardization.builder().featurewiseStdNormalization(true).build())
                .validationFraction(0.2)
                .earlyStopping(EarlyStopping.monitoring("val_rmse").patience(10).restoreBestWeights(true).build())
                .optimiser(new Adam(0.01)).epochs(300).minibatchSize(32).seed(1).numThreads(1);
    }

    /** Tribuo's linear regression by SGD, on standardized features (it does far worse on the raw ones). */
    static Model<Regressor> linear(Dataset<Regressor> train) {
        return new TransformTrainer<>(new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(1.0), 200, 1L),
                new TransformationMap(List.of(new MeanStdDevTransformation()))).train(train);
    }

    private static double rmse(Model<Regressor> m, Dataset<Regressor> test) {
        return EVALUATOR.evaluate(m, test).averageRMSE();
    }

    @Test
    void beatsLinearSgdOnDiabetes() {
        double linearStd = rmse(linear(diabetesTrain), diabetesTest);
        double linearRaw = rmse(new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(1.0), 200, 1L).train(diabetesTrain),
                diabetesTest);
        MLPRegressionModel net = documented().build().train(diabetesTrain);
        double mlp = rmse(net, diabetesTest);
        assertTrue(mlp < linearStd && mlp < linearRaw, "network " + mlp + ", linear " + linearStd + " / raw " + linearRaw);
        assertEquals(StopReason.EARLY_STOPPED, net.getHistory().getStopReason());
        assertTrue(net.getHistory().isRestoredBestWeights());
    }

    @Test
    void beatsLinearSgdByFarOnFriedman() {
        Dataset<Regressor> train = new MutableDataset<>(FriedmanDataSource.of(1000, 1.0, 1));
        Dataset<Regressor> test = new MutableDataset<>(FriedmanDataSource.of(500, 1.0, 2));
        double lin = rmse(linear(train), test);
        double mlp = rmse(MLPRegressionTrainer.builder().addLayers(2, Layer.dense(64).build()).optimiser(new Adam(0.005))
                .validationFraction(0.2).earlyStopping(EarlyStopping.monitoring("val_loss").patience(10)
                        .restoreBestWeights(true).build())
                .epochs(200).minibatchSize(32).seed(1).numThreads(1).build().train(train), test);
        assertTrue(mlp < 0.7 * lin, "network " + mlp + " against linear " + lin);
    }

    @Test
    void multiDimensionalTargetsKeepTheirNamesAndUnits() throws Exception {
        Dataset<Regressor> data = new CSVLoader<>(new RegressionFactory())
                .load(resource("linnerud.csv"), Set.of("Weight", "Waist", "Pulse"));
        MLPRegressionModel m = MLPRegressionTrainer.builder().addLayer(Layer.dense(8).build()).epochs(50)
                .minibatchSize(5).seed(3).numThreads(1).build().train(data);
        assertEquals(3, m.getOutputIDInfo().size());
        double[] mean = m.getTargetMean();
        assertNotNull(mean);
        double[] expected = new double[3];
        for (var ex : data) {
            for (Regressor.DimensionTuple t : ex.getOutput()) {
                expected[m.getOutputIDInfo().getID(t)] += t.getValue() / data.size();
            }
        }
        assertArrayEquals(expected, mean, 1e-9);
        for (Prediction<Regressor> p : m.predict(data)) {
            assertEquals(Set.of("Weight", "Waist", "Pulse"), Set.of(p.getOutput().getNames()));
            // predictions in the original units: weights near 180 lb, waists near 35 in, pulses near 56
            double weight = p.getOutput().getValues()[Arrays.asList(p.getOutput().getNames()).indexOf("Weight")];
            assertTrue(weight > 100 && weight < 300, "weight " + weight);
        }
        MLPRegressionModel raw = MLPRegressionTrainer.builder().addLayer(Layer.dense(8).build()).epochs(50)
                .minibatchSize(5).seed(3).numThreads(1).standardizeTargets(false).build().train(data);
        assertNull(raw.getTargetMean());
        assertFalse(raw.getNetwork().sameParameters(m.getNetwork()));
        RegressionEvaluation e = EVALUATOR.evaluate(m, data);
        assertTrue(e.averageRMSE() < EVALUATOR.evaluate(raw, data).averageRMSE(),
                "standardized targets train better on targets of such different scales");
    }

    @Test
    void badTargetsAreClearErrors() {
        MutableDataset<Regressor> nan = new MutableDataset<>(new SimpleDataSourceProvenance("t", new RegressionFactory()),
                new RegressionFactory());
        nan.add(new ArrayExample<>(new Regressor("y", 1), new String[]{"a"}, new double[]{1}));
        nan.add(new ArrayExample<>(new Regressor("y", Double.NaN), new String[]{"a"}, new double[]{2}));
        MLPRegressionTrainer t = MLPRegressionTrainer.builder().epochs(1).numThreads(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.train(nan));
        assertTrue(e.getMessage().contains("training example 1 has non-finite target NaN for dimension 'y'"), e.getMessage());

        // Tribuo's datasets refuse examples of other dimensions themselves; an explicit validation set is checked here
        MutableDataset<Regressor> uv = new MutableDataset<>(new SimpleDataSourceProvenance("t", new RegressionFactory()),
                new RegressionFactory());
        uv.add(new ArrayExample<>(new Regressor(new String[]{"u", "v"}, new double[]{1, 2}), new String[]{"a"}, new double[]{1}));
        uv.add(new ArrayExample<>(new Regressor(new String[]{"u", "v"}, new double[]{3, 1}), new String[]{"a"}, new double[]{2}));
        MutableDataset<Regressor> uw = new MutableDataset<>(new SimpleDataSourceProvenance("v", new RegressionFactory()),
                new RegressionFactory());
        uw.add(new ArrayExample<>(new Regressor(new String[]{"u", "w"}, new double[]{3, 4}), new String[]{"a"}, new double[]{2}));
        e = assertThrows(IllegalArgumentException.class, () -> t.train(uv, uw));
        assertTrue(e.getMessage().contains("validation example 0 has regression dimension 'w', which is not among the "
                + "training dimensions [u, v]"), e.getMessage());

        PropertyException p = assertThrows(PropertyException.class, () -> MLPRegressionTrainer.builder()
                .earlyStopping(EarlyStopping.monitoring("val_accuracy").build()).build());
        assertTrue(p.getMessage().contains("'val_accuracy', which MLPRegressionTrainer does not compute"), p.getMessage());
        assertTrue(p.getMessage().contains("valid monitors: loss, val_loss, val_rmse, val_mae, val_r2"), p.getMessage());
        PropertyException c = assertThrows(PropertyException.class, () -> MLPTrainer.builder()
                .earlyStopping(EarlyStopping.monitoring("val_rmse").build()).build());
        assertTrue(c.getMessage().contains("which MLPTrainer does not compute"), c.getMessage());
        assertThrows(PropertyException.class, () -> MLPRegressionTrainer.builder().huber(0).build());
    }

    @Test
    void validationMetricsAreRegressionEvaluatorsBitForBit() {
        Dataset<Regressor> train = new MutableDataset<>(FriedmanDataSource.of(300, 1.0, 5));
        Dataset<Regressor> val = new MutableDataset<>(FriedmanDataSource.of(100, 1.0, 6));
        MLPRegressionModel m = MLPRegressionTrainer.builder().addLayer(Layer.dense(16).build()).epochs(3).seed(2)
                .numThreads(1).build().train(train);
        RegressionEvaluation expected = EVALUATOR.evaluate(m, val);
        List<Prediction<Regressor>> predictions = m.predict(val);
        RegressionHead head = (RegressionHead) m.head();
        assertEquals(Double.doubleToLongBits(expected.averageRMSE()), Double.doubleToLongBits(head.metric(Monitor.VAL_RMSE, predictions)));
        assertEquals(Double.doubleToLongBits(expected.averageMAE()), Double.doubleToLongBits(head.metric(Monitor.VAL_MAE, predictions)));
        assertEquals(Double.doubleToLongBits(expected.averageR2()), Double.doubleToLongBits(head.metric(Monitor.VAL_R2, predictions)));
        // the monitored value of the last epoch is the evaluator's on the final weights
        MLPRegressionModel monitored = MLPRegressionTrainer.builder().addLayer(Layer.dense(16).build()).epochs(3).seed(2)
                .numThreads(1).earlyStopping(EarlyStopping.monitoring("val_mae").patience(5).build()).build().train(train, val);
        List<EpochRecord> epochs = monitored.getHistory().getEpochs();
        assertEquals(EVALUATOR.evaluate(monitored, val).averageMAE(), epochs.get(epochs.size() - 1).monitorValue(), 1e-9);
        assertTrue(Double.isNaN(epochs.get(0).accuracy()), "regression has no accuracy");
    }

    @Test
    void huberTrainsDifferentlyFromSquaredError() {
        Dataset<Regressor> train = new MutableDataset<>(FriedmanDataSource.of(300, 1.0, 5));
        MLPRegressionModel mse = MLPRegressionTrainer.builder().addLayer(Layer.dense(16).build()).epochs(5).seed(2)
                .numThreads(1).build().train(train);
        MLPRegressionModel huber = MLPRegressionTrainer.builder().addLayer(Layer.dense(16).build()).epochs(5).seed(2)
                .numThreads(1).huber(0.5).build().train(train);
        assertFalse(mse.getNetwork().sameParameters(huber.getNetwork()));
        assertTrue(rmse(huber, train) < 5, "Huber still fits: " + rmse(huber, train));
    }

    @Test
    void serializesAndReproducesBitForBit() throws Exception {
        MLPRegressionModel m = MLPRegressionTrainer.builder().addLayer(Layer.dense(16).dropout(0.1).build())
                .validationFraction(0.2).earlyStopping(EarlyStopping.monitoring("val_r2").patience(2).build())
                .epochs(6).seed(4).numThreads(1).build().train(new MutableDataset<>(FriedmanDataSource.of(300, 1.0, 7)));
        Dataset<Regressor> test = new MutableDataset<>(FriedmanDataSource.of(50, 1.0, 8));
        Model<?> proto = Model.deserialize(m.serialize());
        assertTrue(proto instanceof MLPRegressionModel);
        @SuppressWarnings("unchecked")
        Model<Regressor> fromProto = (Model<Regressor>) proto;
        assertEquals(0, Reproduction.countDifferences(m.predict(test), fromProto.predict(test)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(m);
        }
        MLPRegressionModel fromJava;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            fromJava = (MLPRegressionModel) in.readObject();
        }
        assertEquals(0, Reproduction.countDifferences(m.predict(test), fromJava.predict(test)));
        var r = Reproduction.of(m);
        MLPRegressionModel again = r.retrain();
        assertTrue(m.getNetwork().sameParameters(again.getNetwork()), "bit-identical weights from the provenance alone");
        assertArrayEquals(m.getTargetMean(), again.getTargetMean());
        assertTrue(r.reproduce(m, test).identical());
    }
}
