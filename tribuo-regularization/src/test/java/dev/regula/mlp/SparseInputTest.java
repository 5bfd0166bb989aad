package dev.regula.mlp;

import dev.regula.augment.Augmentation;
import dev.regula.augment.Standardization;
import dev.regula.data.ImageGeometry;
import dev.regula.mlp.optimisers.AdaGrad;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.mlp.optimisers.LazyAdam;
import dev.regula.mlp.optimisers.Optimiser;
import dev.regula.mlp.optimisers.SGD;
import dev.regula.nn.Backends;
import dev.regula.nn.Blas;
import dev.regula.nn.CsrMatrix;
import dev.regula.nn.DropoutSampler;
import dev.regula.nn.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.multilabel.MultiLabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.regula.testing.ErrorAssertions.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sparse inputs through the trainers and models ({@code inputKind}): the sparse path trains the weights the
 * dense path trains and predicts what it predicts, within float tolerance, for every output type; the choice and
 * the density are in the provenance; sparse runs are deterministic; weights, penalties, input dropout and the
 * sparse-safe standardization work on it; the dense-only techniques are refused.
 */
class SparseInputTest {
    static final int FEATURES = 300;

    static {
        Logger.getLogger("dev.regula").setLevel(Level.WARNING);
    }

    /** Examples with about {@code perExample} of {@value #FEATURES} features each, values in (0, 2], outputs by rule. */
    static <T extends Output<T>> MutableDataset<T> sparseData(int n, int perExample, long seed, OutputFactory<T> factory,
                                                              Function<double[], T> output) {
        MutableDataset<T> d = new MutableDataset<>(new SimpleDataSourceProvenance("sparse-" + seed, factory), factory);
        SplittableRandom rng = new SplittableRandom(seed);
        SplittableRandom rule = new SplittableRandom(99);
        double[][] w = new double[3][FEATURES];
        for (double[] row : w) {
            for (int j = 0; j < FEATURES; j++) {
                row[j] = rule.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            double[] score = new double[3];
            for (int j = 0; j < FEATURES; j++) {
                if (rng.nextInt(FEATURES) < perExample) {
                    double v = 0.1 + 1.9 * rng.nextDouble();
                    names.add(String.format("f%04d", j));
                    values.add(v);
                    for (int c = 0; c < 3; c++) {
                        score[c] += w[c][j] * v;
                    }
                }
            }
            if (names.isEmpty()) {
                names.add("f0000");
                values.add(1.0);
            }
            double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
            ArrayExample<T> ex = new ArrayExample<>(output.apply(score), names.toArray(new String[0]), v);
            d.add(ex);
        }
        return d;
    }

    static MutableDataset<Label> labels(int n, long seed) {
        return sparseData(n, 6, seed, new LabelFactory(), s -> new Label(s[0] > s[1] ? (s[0] > s[2] ? "a" : "c") : (s[1] > s[2] ? "b" : "c")));
    }

    private static MLPTrainer.Builder classifier(Optimiser optimiser, InputKind kind) {
        return MLPTrainerTest.bare().addLayer(Layer.dense(16).build()).optimiser(optimiser).epochs(6).minibatchSize(16)
                .seed(5).numThreads(1).inputKind(kind);
    }

    /** Kernels within tolerance, layer by layer. */
    static void assertSameWeights(Network a, Network b, double tolerance) {
        for (int l = 0; l < a.getLayers().size(); l++) {
            float[] x = a.getKernel(l);
            float[] y = b.getKernel(l);
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i], y[i], tolerance * (1 + Math.abs(x[i])), "layer " + l + " kernel " + i);
            }
            float[] bx = a.getBias(l);
            float[] by = b.getBias(l);
            for (int i = 0; i < bx.length; i++) {
                assertEquals(bx[i], by[i], tolerance * (1 + Math.abs(bx[i])), "layer " + l + " bias " + i);
            }
        }
    }

    /** Predicted scores within tolerance. */
    static <T extends Output<T>> void assertSamePredictions(Model<T> a, Model<T> b, Dataset<T> data, double tolerance) {
        List<Prediction<T>> pa = a.predict(data);
        List<Prediction<T>> pb = b.predict(data);
        for (int i = 0; i < pa.size(); i++) {
            var sa = pa.get(i).getOutputScores();
            var sb = pb.get(i).getOutputScores();
            for (var e : sa.entrySet()) {
                assertEquals(score(e.getValue()), score(sb.get(e.getKey())), tolerance, "example " + i + " " + e.getKey());
            }
            assertEquals(score(pa.get(i).getOutput()), score(pb.get(i).getOutput()), tolerance, "example " + i);
        }
    }

    /** The score of a label or of a multi-label's set, the (first) value of a regressor. */
    private static double score(Output<?> o) {
        if (o instanceof Label l) {
            return l.getScore();
        }
        if (o instanceof MultiLabel m) {
            return m.getScore();
        }
        return ((Regressor) o).getValues()[0];
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam", "adagrad"})
    void sparseAndDensePathsTrainTheSameNetwork(String name) {
        Optimiser optimiser = switch (name) {
            case "sgd" -> new SGD(0.1, 0, false);
            case "adam" -> new Adam(0.01);
            default -> new AdaGrad(0.05);
        };
        Dataset<Label> data = labels(240, 1);
        MLPModel sparse = classifier(optimiser, InputKind.SPARSE).validationFraction(0.2).build().train(data);
        MLPModel dense = classifier(optimiser, InputKind.DENSE).validationFraction(0.2).build().train(data);
        assertEquals(InputKind.SPARSE, sparse.getInputKind());
        assertEquals(InputKind.DENSE, dense.getInputKind());
        assertSameWeights(dense.getNetwork(), sparse.getNetwork(), 1e-4);
        assertSamePredictions(dense, sparse, labels(50, 2), 1e-5);
        assertEquals(dense.getHistory().getEpochs().get(5).valLoss(), sparse.getHistory().getEpochs().get(5).valLoss(), 1e-5);
        assertTrue(sparse.getHistory().getEpochs().get(5).loss() < sparse.getHistory().getEpochs().get(0).loss(),
                "the sparse path trains");
    }

    @Test
    void autoChoosesByDensityAndRecordsTheChoice() {
        MLPModel sparse = classifier(new SGD(0.1, 0, false), InputKind.AUTO).build().train(labels(100, 3));
        assertEquals(InputKind.SPARSE, sparse.getInputKind());
        var run = sparse.getProvenance().getInstanceProvenance().getMap();
        assertEquals("SPARSE", run.get(AbstractMLPTrainer.INPUT_KIND_PROVENANCE).toString().replaceAll(".*=", ""));
        double density = Double.parseDouble(run.get(AbstractMLPTrainer.INPUT_DENSITY_PROVENANCE).toString().replaceAll(".*=", ""));
        assertEquals(AbstractMLPTrainer.density(labels(100, 3)), density, 1e-12);
        assertTrue(density > 0.01 && density < 0.03, "density " + density);
        // the same generator with a feature in about half the cells is dense
        Dataset<Label> denser = sparseData(100, FEATURES / 2, 3, new LabelFactory(), s -> new Label(s[0] > s[1] ? "p" : "n"));
        assertEquals(InputKind.DENSE, classifier(new SGD(0.1, 0, false), InputKind.AUTO).build().train(denser).getInputKind());
        // a dense-only technique makes AUTO choose dense rows on sparse data
        MLPModel zca = classifier(new SGD(0.1, 0, false), InputKind.AUTO)
                .standardization(Standardization.builder().samplewiseCenter(true).build()).build().train(labels(100, 3));
        assertEquals(InputKind.DENSE, zca.getInputKind());
    }

    @Test
    void sparseTrainingIsDeterministicAndPredictionsBatchIndependent() {
        Dataset<Label> data = labels(200, 4);
        MLPTrainer.Builder b = classifier(new Adam(0.01), InputKind.SPARSE).numThreads(2).inputDropout(0.2)
                .addLayer(Layer.dense(8).dropout(0.3).build());
        MLPModel one = b.build().train(data);
        MLPModel two = b.build().train(data);
        assertTrue(one.getNetwork().sameParameters(two.getNetwork()), "same seed, data and threads, different weights");
        List<Prediction<Label>> all = one.predict(data);
        for (int i = 0; i < data.size(); i += 17) {
            Prediction<Label> alone = one.predict(data.getExample(i));
            for (var e : alone.getOutputScores().entrySet()) {
                assertEquals(e.getValue().getScore(), all.get(i).getOutputScores().get(e.getKey()).getScore(), 0.0,
                        "example " + i + " alone and in a batch");
            }
        }
    }

    @Test
    void sparseModelsSurviveSerialization() throws Exception {
        MLPModel model = MLPTrainer.builder().inputKind(InputKind.SPARSE).epochs(3).seed(2).numThreads(1).build()
                .train(labels(120, 5));
        Model<?> back = Model.deserialize(model.serialize());
        assertEquals(InputKind.SPARSE, ((MLPModel) back).getInputKind());
        @SuppressWarnings("unchecked")
        Model<Label> restored = (Model<Label>) back;
        assertSamePredictions(model, restored, labels(30, 6), 0.0);
    }

    @Test
    void standardizationScalesWithoutCentringOnSparseData() {
        Dataset<Label> data = labels(200, 7);
        MLPModel sparse = MLPTrainer.builder().inputKind(InputKind.SPARSE).epochs(2).seed(2).numThreads(1).build().train(data);
        MLPModel dense = MLPTrainer.builder().inputKind(InputKind.DENSE).epochs(2).seed(2).numThreads(1).build().train(data);
        var st = sparse.getInputTransform();
        assertNotNull(st);
        assertTrue(st.isScaleOnly(), "the default standardization becomes scale-only: " + st.getSteps());
        float[] sparseScale = st.getScale();
        float[] denseScale = dense.getInputTransform().getScale();
        assertNotNull(dense.getInputTransform().getMean(), "the dense path centres");
        for (int j = 0; j < denseScale.length; j++) {
            assertEquals(denseScale[j], sparseScale[j], 1e-4 * denseScale[j], "feature " + j);
        }
        // the sparse path's predictions are the dense path's on scaled inputs: a dense model with the same scale-only map
        MLPModel scaledDense = MLPTrainerTest.bare().addLayer(Layer.dense(100).build()).inputKind(InputKind.DENSE)
                .epochs(2).seed(2).numThreads(1).minibatchSize(32).build().train(scaled(data, sparseScale));
        MLPModel scaledSparse = MLPTrainerTest.bare().addLayer(Layer.dense(100).build()).inputKind(InputKind.SPARSE)
                .epochs(2).seed(2).numThreads(1).minibatchSize(32).standardization(MLPTrainerBuilder.featurewiseStandardization())
                .build().train(data);
        assertSameWeights(scaledDense.getNetwork(), scaledSparse.getNetwork(), 1e-4);
    }

    /** The dataset with each feature (by id) multiplied by its factor. */
    private static Dataset<Label> scaled(Dataset<Label> data, float[] scale) {
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("scaled", new LabelFactory()), new LabelFactory());
        var fmap = data.getFeatureIDMap();
        for (Example<Label> ex : data) {
            List<String> names = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            ex.forEach(f -> {
                names.add(f.getName());
                values.add((double) ((float) f.getValue() * scale[fmap.getID(f.getName())]));
            });
            d.add(new ArrayExample<>(ex.getOutput(), names.toArray(new String[0]),
                    values.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return d;
    }

    @Test
    void weightsAndPenaltiesWorkOnTheSparsePath() {
        MutableDataset<Label> data = labels(200, 8);
        int i = 0;
        for (Example<Label> ex : data) {
            ex.setWeight(i++ % 3 == 0 ? 2f : 0.5f);
        }
        Regularizer l1l2 = Regularizer.l1l2(1e-4, 1e-3);
        Function<InputKind, MLPTrainer> trainer = kind -> MLPTrainerTest.bare()
                .addLayer(Layer.dense(16).kernelRegularizer(l1l2).build()).outputRegularizer(l1l2)
                .optimiser(new AdaGrad(0.05)).epochs(5).minibatchSize(16).seed(5).numThreads(1).inputKind(kind).build();
        MLPModel sparse = trainer.apply(InputKind.SPARSE).train(data);
        MLPModel dense = trainer.apply(InputKind.DENSE).train(data);
        assertSameWeights(dense.getNetwork(), sparse.getNetwork(), 1e-4);
        assertEquals(dense.getHistory().getEpochs().get(4).loss(), sparse.getHistory().getEpochs().get(4).loss(), 1e-5);
    }

    @Test
    void regressionWithSparseInputs() {
        RegressionFactory factory = new RegressionFactory();
        Dataset<Regressor> data = sparseData(200, 6, 9, factory, s -> new Regressor("y", s[0]));
        Function<InputKind, MLPRegressionTrainer> trainer = kind -> MLPRegressionTrainer.builder()
                .addLayer(Layer.dense(12).build()).optimiser(new SGD(0.02, 0, false)).epochs(5).minibatchSize(16).seed(3)
                .numThreads(1).earlyStopping(null).standardization(null).inputKind(kind).build();
        MLPRegressionModel sparse = trainer.apply(InputKind.SPARSE).train(data);
        MLPRegressionModel dense = trainer.apply(InputKind.DENSE).train(data);
        assertEquals(InputKind.SPARSE, sparse.getInputKind());
        assertSameWeights(dense.getNetwork(), sparse.getNetwork(), 1e-4);
        assertSamePredictions(dense, sparse, sparseData(40, 6, 10, factory, s -> new Regressor("y", s[0])), 1e-4);
    }

    @Test
    void multiLabelWithSparseInputs() {
        MultiLabelFactory factory = new MultiLabelFactory();
        Function<double[], MultiLabel> rule = s -> factory.generateOutput(
                (s[0] > 0 ? "a" : "") + (s[0] > 0 && s[1] > 0 ? "," : "") + (s[1] > 0 ? "b" : ""));
        Dataset<MultiLabel> data = sparseData(200, 6, 11, factory, rule);
        Function<InputKind, MLPMultiLabelTrainer> trainer = kind -> MLPMultiLabelTrainer.builder()
                .addLayer(Layer.dense(12).build()).optimiser(new Adam(0.01)).epochs(5).minibatchSize(16).seed(3)
                .numThreads(1).earlyStopping(null).standardization(null).inputKind(kind).build();
        MLPMultiLabelModel sparse = trainer.apply(InputKind.SPARSE).train(data);
        MLPMultiLabelModel dense = trainer.apply(InputKind.DENSE).train(data);
        assertEquals(InputKind.SPARSE, sparse.getInputKind());
        assertSameWeights(dense.getNetwork(), sparse.getNetwork(), 1e-4);
        assertSamePredictions(dense, sparse, sparseData(40, 6, 12, factory, rule), 1e-5);
    }

    @Test
    void sparseModelsExportTheSameMathsToOnnx() throws Exception {
        MLPModel model = MLPTrainer.builder().inputKind(InputKind.SPARSE).epochs(3).seed(2).numThreads(1).build()
                .train(labels(150, 14));
        assertTrue(model.getInputTransform().isScaleOnly());
        Dataset<Label> test = labels(40, 15);
        var fmap = model.getFeatureIDMap();
        int d = fmap.size();
        float[] x = new float[test.size() * d];
        int i = 0;
        for (Example<Label> ex : test) {
            for (var f : ex) {
                int id = fmap.getID(f.getName());
                if (id >= 0) {
                    x[i * d + id] = (float) f.getValue();
                }
            }
            i++;
        }
        ai.onnxruntime.OrtEnvironment env = ai.onnxruntime.OrtEnvironment.getEnvironment();
        float[][] onnx;
        try (var session = env.createSession(model.exportONNXModel("dev.regula.test", 1).toByteArray());
             var input = ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(x), new long[]{test.size(), d});
             var result = session.run(java.util.Map.of(dev.regula.onnx.OnnxExport.INPUT_NAME, input))) {
            onnx = (float[][]) result.get(0).getValue();
        }
        List<Prediction<Label>> predictions = model.predict(test);
        for (int r = 0; r < onnx.length; r++) {
            for (int c = 0; c < onnx[r].length; c++) {
                String label = model.getOutputIDInfo().getOutput(c).getLabel();
                assertEquals(predictions.get(r).getOutputScores().get(label).getScore(), onnx[r][c], 1e-5,
                        "example " + r + " " + label);
            }
        }
    }

    @Test
    void badSparseExamplesAreNamed() {
        MutableDataset<Label> data = labels(60, 13);
        data.add(new ArrayExample<>(new Label("a"), new String[]{"f0001", "f0002"}, new double[]{1, 1e300}));
        dev.regula.testing.ErrorAssertions.failsClearly(() -> classifier(new SGD(0.1, 0, false), InputKind.SPARSE).build()
                .train(data), "training example 60", "1.0E300", "f0002", "float32");
        MLPModel model = classifier(new SGD(0.1, 0, false), InputKind.SPARSE).build().train(labels(60, 13));
        dev.regula.testing.ErrorAssertions.failsClearly(() -> model.predict(new ArrayExample<>(new Label("a"),
                new String[]{"unknown"}, new double[]{1})), "example 0", "no features known to the model");
        // a feature named twice keeps its last value, as the dense rows do
        ArrayExample<Label> twice = new ArrayExample<>(new Label("a"), new String[]{"f0003", "f0007", "f0003"},
                new double[]{5, 1, 2});
        ArrayExample<Label> once = new ArrayExample<>(new Label("a"), new String[]{"f0003", "f0007"}, new double[]{2, 1});
        CsrMatrix a = SparseRows.convert(List.of(twice), "example", FeatureIndex.of(data.getFeatureIDMap()), new int[1]);
        CsrMatrix b = SparseRows.convert(List.of(once), "example", FeatureIndex.of(data.getFeatureIDMap()), new int[1]);
        assertEquals(java.util.Arrays.toString(b.toDense()), java.util.Arrays.toString(a.toDense()));
        float[] dense = new float[data.getFeatureIDMap().size()];
        DenseRows.fill(twice, 0, "example", FeatureIndex.of(data.getFeatureIDMap()), dense, 0);
        assertEquals(java.util.Arrays.toString(dense), java.util.Arrays.toString(a.toDense()));
    }

    @Test
    void denseOnlyTechniquesRefuseSparseInputs() {
        rejects("inputKind", () -> MLPTrainer.builder().inputKind(InputKind.SPARSE)
                .standardization(Standardization.builder().zcaWhitening(true).build()).build(), "zcaWhitening", "dense");
        rejects("inputKind", () -> MLPTrainer.builder().inputKind(InputKind.SPARSE)
                .standardization(Standardization.builder().samplewiseStdNormalization(true).build()).build(),
                "samplewiseStdNormalization");
        rejects("inputKind", () -> MLPTrainer.builder().inputKind(InputKind.SPARSE)
                .augmentation(Augmentation.builder().rotationRange(10).build(), ImageGeometry.parse("28x28x1")).build(),
                "augmentation");
        rejects("inputKind", () -> MLPRegressionTrainer.builder().inputKind(InputKind.SPARSE)
                .standardization(Standardization.builder().samplewiseCenter(true).build()).build(), "samplewiseCenter");
        // the toolbox's input-level techniques fill zeros too
        rejects("inputKind", () -> MLPTrainer.builder().inputKind(InputKind.SPARSE).mixUp(0.2).build(), "mixUpAlpha");
        rejects("inputKind", () -> MLPTrainer.builder().inputKind(InputKind.SPARSE).inputGaussianNoise(0.1).build(),
                "inputGaussianNoise");
        rejects("inputKind", () -> MLPTrainer.builder().inputKind(InputKind.SPARSE).inputGaussianDropout(0.1).build(),
                "inputGaussianDropout");
        // noise on a hidden layer acts on dense activations: accepted
        MLPTrainer.builder().inputKind(InputKind.SPARSE).addLayer(Layer.dense(8).gaussianNoise(0.1).build()).build();
    }

    /**
     * Monte-Carlo dropout on a sparse model samples from sparse rows: with dropout after the hidden layer only, its
     * mean probabilities are those of dense passes over the densified rows (the same masks; the first product in
     * another order, so within float tolerance); with input dropout on the stored entries it is deterministic and the
     * passes disagree.
     */
    @Test
    void monteCarloDropoutSamplesSparseRows() {
        Dataset<Label> data = labels(200, 7);
        MLPModel hidden = MLPTrainerTest.bare().addLayer(Layer.dense(16).dropout(0.3).build()).optimiser(new Adam(0.01))
                .epochs(6).minibatchSize(16).seed(5).numThreads(1).inputKind(InputKind.SPARSE).build().train(data);
        assertEquals(InputKind.SPARSE, hidden.getInputKind());
        List<Example<Label>> test = new ArrayList<>();
        labels(40, 8).forEach(test::add);
        MonteCarloDropout mc = MonteCarloDropout.builder().samples(6).seed(3).build();
        List<MonteCarloPrediction<Label>> sampled = mc.predict(hidden, test);
        Blas blas = Backends.get();
        DropoutSampler sampler = new DropoutSampler(hidden.network, blas);
        float[] x = hidden.inputs(test, new int[test.size()], blas);
        int c = hidden.getOutputIDInfo().size();
        double[] mean = new double[test.size() * c];
        float[] pass = new float[test.size() * c];
        for (int t = 0; t < 6; t++) {
            sampler.sample(x, test.size(), 0, pass, hidden.head().loss(), 3, t);
            for (int i = 0; i < mean.length; i++) {
                mean[i] += pass[i] / 6.0;
            }
        }
        for (int r = 0; r < test.size(); r++) {
            for (int j = 0; j < c; j++) {
                String name = hidden.getOutputIDInfo().getOutput(j).getLabel();
                assertEquals(mean[r * c + j], sampled.get(r).getPrediction().getOutputScores().get(name).getScore(), 1e-5,
                        "example " + r + " class " + name);
            }
        }
        MLPModel inputs = classifier(new Adam(0.01), InputKind.SPARSE).inputDropout(0.2).build().train(data);
        List<MonteCarloPrediction<Label>> first = mc.predict(inputs, test);
        List<MonteCarloPrediction<Label>> again = mc.predict(inputs, test);
        DropoutSampler inputSampler = new DropoutSampler(inputs.network, blas);
        CsrMatrix rows = inputs.sparseInputs(test, new int[test.size()]);
        float[] dense = inputs.inputs(test, new int[test.size()], blas);
        double[] sparseSum = new double[test.size() * c];
        double[] denseSum = new double[test.size() * c];
        for (int t = 0; t < 6; t++) {
            inputSampler.sample(rows, 0, pass, inputs.head().loss(), 3, t);
            for (int i = 0; i < pass.length; i++) {
                sparseSum[i] += pass[i];
            }
            inputSampler.sample(dense, test.size(), 0, pass, inputs.head().loss(), 3, t);
            for (int i = 0; i < pass.length; i++) {
                denseSum[i] += pass[i];
            }
        }
        double spread = 0;
        double fromDensePasses = 0;
        for (int r = 0; r < test.size(); r++) {
            assertEquals(first.get(r).getPrediction().getOutputScores().toString(),
                    again.get(r).getPrediction().getOutputScores().toString(), "example " + r);
            assertEquals(first.get(r).getMutualInformation(), again.get(r).getMutualInformation(), 0);
            spread += first.get(r).getMutualInformation();
            for (int j = 0; j < c; j++) {
                String name = inputs.getOutputIDInfo().getOutput(j).getLabel();
                double score = first.get(r).getPrediction().getOutputScores().get(name).getScore();
                assertEquals((float) (sparseSum[r * c + j] / 6), score, 0, "example " + r + ": the sparse passes");
                fromDensePasses = Math.max(fromDensePasses, Math.abs(denseSum[r * c + j] / 6 - score));
            }
        }
        // dense passes drop inputs that are zero too, drawing other masks: the model must not have taken them
        assertTrue(fromDensePasses > 1e-3, "the sparse model's passes were the dense ones");
        assertTrue(spread > 0, "input dropout on the stored entries makes the passes disagree");
    }

    /**
     * LazyAdam through the trainer: on sparse inputs it trains and differs from Adam (the rows of absent features
     * stay put); on dense inputs it is Adam bit for bit; its provenance names it and its hyper-parameters are
     * checked when it is built.
     */
    @Test
    void lazyAdamTrainsSparseModels() {
        Dataset<Label> data = labels(240, 1);
        MLPModel lazy = classifier(new LazyAdam(0.01), InputKind.SPARSE).build().train(data);
        MLPModel adam = classifier(new Adam(0.01), InputKind.SPARSE).build().train(data);
        assertTrue(lazy.getHistory().getEpochs().get(5).loss() < lazy.getHistory().getEpochs().get(0).loss() * 0.9,
                "lazy Adam trains");
        assertFalse(lazy.getNetwork().sameParameters(adam.getNetwork()), "lazy Adam on sparse inputs was Adam");
        MLPModel lazyDense = classifier(new LazyAdam(0.01), InputKind.DENSE).build().train(data);
        MLPModel adamDense = classifier(new Adam(0.01), InputKind.DENSE).build().train(data);
        assertTrue(lazyDense.getNetwork().sameParameters(adamDense.getNetwork()), "on dense inputs lazy Adam is Adam");
        assertTrue(lazy.getProvenance().getTrainerProvenance().toString().contains(LazyAdam.class.getName()));
        rejects("learningRate", () -> new LazyAdam(-1), "learningRate");
        rejects("beta2", () -> new LazyAdam(1e-3, 0.9, 1.0, 1e-7), "beta2");
    }
}
