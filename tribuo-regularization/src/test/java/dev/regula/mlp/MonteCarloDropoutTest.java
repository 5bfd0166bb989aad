package dev.regula.mlp;

import dev.regula.data.DigitImages;
import dev.regula.data.EmbeddedData;
import dev.regula.data.RescalingDataSource;
import dev.regula.experiment.Intervals;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.nn.Backends;
import dev.regula.nn.DropoutSampler;
import dev.regula.testing.FriedmanDataSource;
import dev.regula.testing.InteractionMultiLabelSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.regression.Regressor;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MonteCarloDropout}: its aggregation against passes recomputed here, determinism, what its uncertainty
 * separates, the three output types and the refusals.
 */
class MonteCarloDropoutTest {
    private static Dataset<Label> train;
    private static List<Example<Label>> test;
    private static MLPModel dropoutModel;

    @BeforeAll
    static void trainOnImages() throws Exception {
        Logger.getLogger("dev.regula").setLevel(Level.WARNING);
        Dataset<Label> all = new MutableDataset<>(RescalingDataSource.of(EmbeddedData.trainSource(), 1.0 / 255));
        MutableDataset<Label> some = new MutableDataset<>(all.getProvenance(), new LabelFactory());
        for (int i = 0; i < 3000; i++) {
            some.add(all.getExample(i));
        }
        train = some;
        test = new ArrayList<>();
        for (int i = 3000; i < 3400; i++) {
            test.add(all.getExample(i));
        }
        dropoutModel = MLPTrainer.builder().addLayers(2, Layer.dense(128).dropout(0.3).build()).optimiser(new Adam())
                .epochs(4).minibatchSize(64).seed(3).numThreads(2).standardization(null).build().train(train);
    }

    @Test
    void aggregatesThePassesAsDocumented() {
        int t = 7;
        List<Example<Label>> few = test.subList(0, 5);
        List<MonteCarloPrediction<Label>> mc = MonteCarloDropout.builder().samples(t).seed(9).build().predict(dropoutModel, few);
        // The same passes, recomputed with the sampler, and the formulas of MonteCarloPrediction's javadoc.
        int c = dropoutModel.getOutputIDInfo().size();
        float[] x = dropoutModel.inputs(few, new int[few.size()], Backends.get());
        DropoutSampler sampler = new DropoutSampler(dropoutModel.network, Backends.get());
        double[][] mean = new double[few.size()][c];
        double[] expected = new double[few.size()];
        float[] pass = new float[few.size() * c];
        for (int s = 0; s < t; s++) {
            sampler.sample(x, few.size(), 0, pass, dropoutModel.head().loss(), 9, s);
            for (int r = 0; r < few.size(); r++) {
                double h = 0;
                for (int j = 0; j < c; j++) {
                    double p = pass[r * c + j];
                    mean[r][j] += p / t;
                    h -= p > 0 ? p * Math.log(p) : 0;
                }
                expected[r] += h / t;
            }
        }
        for (int r = 0; r < few.size(); r++) {
            double h = 0;
            int best = 0;
            for (int j = 0; j < c; j++) {
                h -= mean[r][j] > 0 ? mean[r][j] * Math.log(mean[r][j]) : 0;
                best = mean[r][j] > mean[r][best] ? j : best;
            }
            MonteCarloPrediction<Label> p = mc.get(r);
            assertEquals(h, p.getPredictiveEntropy(), 1e-6);
            assertEquals(expected[r], p.getExpectedEntropy(), 1e-6);
            assertEquals(h - expected[r], p.getMutualInformation(), 1e-6);
            assertTrue(p.getMutualInformation() >= 0 && p.getPredictiveEntropy() <= Math.log(c) + 1e-9, p.toString());
            assertEquals(dropoutModel.getOutputIDInfo().getOutput(best).getLabel(), p.getPrediction().getOutput().getLabel());
            assertEquals(t, p.getSamples());
        }
    }

    @Test
    void passesDisagreeAndTheSeedDecides() {
        List<Example<Label>> few = test.subList(0, 20);
        MonteCarloDropout mc = MonteCarloDropout.builder().samples(10).seed(5).build();
        List<MonteCarloPrediction<Label>> a = mc.predict(dropoutModel, few);
        List<MonteCarloPrediction<Label>> b = mc.predict(dropoutModel, few);
        List<MonteCarloPrediction<Label>> other = MonteCarloDropout.builder().samples(10).seed(6).build().predict(dropoutModel, few);
        double total = 0;
        for (int i = 0; i < few.size(); i++) {
            assertEquals(a.get(i).getMutualInformation(), b.get(i).getMutualInformation(), 0, "same seed, same bits");
            assertArrayEquals(a.get(i).getStandardDeviations(), b.get(i).getStandardDeviations(), 0);
            assertNotEquals(a.get(i).getMutualInformation(), other.get(i).getMutualInformation(), "another seed, other masks");
            total += a.get(i).getMutualInformation();
        }
        assertTrue(total > 0, "dropout 0.3 makes the passes disagree");
        // An example's passes depend on its position, not on the examples after it.
        assertEquals(a.get(0).getPredictiveEntropy(),
                mc.predict(dropoutModel, few.subList(0, 1)).get(0).getPredictiveEntropy(), 0);
    }

    @Test
    void uncertaintySeparatesDigitsAndMistakes() throws Exception {
        MonteCarloDropout mc = MonteCarloDropout.builder().samples(20).seed(2).build();
        List<MonteCarloPrediction<Label>> in = mc.predict(dropoutModel, test);
        List<MonteCarloPrediction<Label>> digits = mc.predict(dropoutModel,
                DigitImages.read(MonteCarloDropoutTest.class.getResourceAsStream("digits-8x8-400.csv"),
                        "digits", dropoutModel.getFeatureIDMap(), test.get(0).getOutput()));
        double entropy = Intervals.auroc(scores(digits, MonteCarloPrediction::getPredictiveEntropy),
                scores(in, MonteCarloPrediction::getPredictiveEntropy));
        double information = Intervals.auroc(scores(digits, MonteCarloPrediction::getMutualInformation),
                scores(in, MonteCarloPrediction::getMutualInformation));
        // Measured 0.86 and 0.82 for this small model (4 epochs on 3,000 images); chance is 0.5.
        assertTrue(entropy > 0.75 && information > 0.7, "digits: AUROC " + entropy + " (entropy), " + information + " (MI)");
        List<Double> wrong = new ArrayList<>();
        List<Double> right = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            Prediction<Label> p = in.get(i).getPrediction();
            (p.getOutput().getLabel().equals(test.get(i).getOutput().getLabel()) ? right : wrong)
                    .add(in.get(i).getPredictiveEntropy());
        }
        double mistakes = Intervals.auroc(wrong.stream().mapToDouble(Double::doubleValue).toArray(),
                right.stream().mapToDouble(Double::doubleValue).toArray());
        assertTrue(mistakes > 0.7, "misclassified test images are more uncertain: AUROC " + mistakes); // measured 0.77
    }

    private static double[] scores(List<MonteCarloPrediction<Label>> p,
                                   java.util.function.ToDoubleFunction<MonteCarloPrediction<Label>> f) {
        return p.stream().mapToDouble(f).toArray();
    }

    @Test
    void regressionReportsTheSpreadInTargetUnits() {
        Dataset<Regressor> data = new MutableDataset<>(FriedmanDataSource.of(500, 1.0, 1));
        MLPRegressionModel model = MLPRegressionTrainer.builder().addLayers(2, Layer.dense(64).dropout(0.2).build())
                .epochs(3).seed(5).numThreads(2).build().train(data);
        List<Example<Regressor>> few = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            few.add(data.getExample(i));
        }
        int t = 6;
        List<MonteCarloPrediction<Regressor>> mc = MonteCarloDropout.builder().samples(t).seed(4).build().predict(model, few);
        float[] x = model.inputs(few, new int[few.size()], Backends.get());
        DropoutSampler sampler = new DropoutSampler(model.network, Backends.get());
        float[] pass = new float[few.size()];
        double[] sum = new double[few.size()];
        double[] squares = new double[few.size()];
        double scale = model.onnxOutput().scale()[0];
        double shift = model.onnxOutput().shift()[0];
        for (int s = 0; s < t; s++) {
            sampler.sample(x, few.size(), 0, pass, model.head().loss(), 4, s);
            for (int r = 0; r < few.size(); r++) {
                double y = pass[r] * scale + shift;
                sum[r] += y;
                squares[r] += y * y;
            }
        }
        for (int r = 0; r < few.size(); r++) {
            double m = sum[r] / t;
            double sd = Math.sqrt(squares[r] / t - m * m);
            assertEquals(sd, mc.get(r).getStandardDeviations()[0], 1e-4 * Math.max(1, sd));
            assertEquals(m, mc.get(r).getPrediction().getOutput().getValues()[0], 1e-4 * Math.max(1, Math.abs(m)));
            assertTrue(sd > 0);
            MonteCarloPrediction<Regressor> p = mc.get(r);
            IllegalStateException e = assertThrows(IllegalStateException.class, p::getMutualInformation);
            assertTrue(e.getMessage().contains("getStandardDeviations()"), e.getMessage());
        }
    }

    @Test
    void multiLabelSumsBernoulliEntropies() {
        Dataset<MultiLabel> data = new MutableDataset<>(InteractionMultiLabelSource.of(400, 0.02, 1));
        MLPMultiLabelModel model = MLPMultiLabelTrainer.builder().addLayers(1, Layer.dense(64).dropout(0.3).build())
                .epochs(2).seed(6).numThreads(2).build().train(data);
        List<Example<MultiLabel>> few = List.of(data.getExample(0), data.getExample(1));
        List<MonteCarloPrediction<MultiLabel>> mc = MonteCarloDropout.builder().samples(5).seed(1).build().predict(model, few);
        int labels = model.getOutputIDInfo().size();
        for (MonteCarloPrediction<MultiLabel> p : mc) {
            assertTrue(p.getPredictiveEntropy() > 0 && p.getPredictiveEntropy() <= labels * Math.log(2) + 1e-9, p.toString());
            assertTrue(p.getMutualInformation() > 0, p.toString());
            assertEquals(labels, p.getStandardDeviations().length);
        }
    }

    @Test
    void refusesWhatItCannotSample() {
        MLPModel plain = MLPTrainer.builder().addLayers(1, Layer.dense(16).build()).epochs(1).seed(1).numThreads(1)
                .standardization(null).build().train(train);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MonteCarloDropout.builder().build().predict(plain, test.subList(0, 2)));
        assertTrue(e.getMessage().contains("trained without dropout"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MonteCarloDropout.builder().samples(1));
        assertTrue(e.getMessage().contains("samples must be in [2, 100000]") && e.getMessage().contains("found 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MonteCarloDropout.builder().samples(MonteCarloDropout.MAX_SAMPLES + 1));
    }

    @Test
    void aPassWithoutDropoutIsThePrediction() {
        MLPModel plain = MLPTrainer.builder().addLayers(2, Layer.dense(32).build()).epochs(1).seed(2).numThreads(2)
                .standardization(null).build().train(train);
        List<Example<Label>> few = test.subList(0, 9);
        float[] x = plain.inputs(few, new int[few.size()], Backends.get());
        int c = plain.getOutputIDInfo().size();
        float[] pass = new float[few.size() * c];
        new DropoutSampler(plain.network, Backends.get()).sample(x, few.size(), 0, pass, plain.head().loss(), 1, 0);
        List<Prediction<Label>> predicted = plain.predict(few);
        for (int r = 0; r < few.size(); r++) {
            for (int j = 0; j < c; j++) {
                String name = plain.getOutputIDInfo().getOutput(j).getLabel();
                assertEquals(predicted.get(r).getOutputScores().get(name).getScore(), pass[r * c + j], 0,
                        "row " + r + " class " + name);
            }
        }
    }
}
