package dev.regula.examples.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.regula.data.EmbeddedData;
import dev.regula.data.RescalingDataSource;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.optimisers.Adam;
import dev.regula.nn.Backends;
import dev.regula.nn.Blas;
import dev.regula.nn.Network;
import dev.regula.nn.SoftmaxCrossEntropy;
import dev.regula.onnx.OnnxExport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.interop.onnx.DenseTransformer;
import org.tribuo.interop.onnx.LabelTransformer;
import org.tribuo.interop.onnx.ONNXExternalModel;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Prediction of the reference network (784 → 5×500 ReLU → 10, trained one epoch on the 10,000 embedded
 * Fashion-MNIST images) by Regula and by ONNX Runtime running its ONNX export, with the same number of threads:
 * one example at a time (latency: JMH's sample mode reports the median and p99) and 10,000 examples at once
 * (throughput: time per batch), each through Tribuo ({@code Model.predict}: {@code Example}s in,
 * {@code Prediction}s out; for ONNX Runtime Tribuo's {@link ONNXExternalModel}, batch size 10,000) and for the
 * network alone (a dense float matrix in, probabilities out: a prepared {@link Network.Inference}, whose kernels are
 * on the backend as an ONNX Runtime session's weights are, against {@code OrtSession.run}).
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class OnnxPredictionBenchmarks {
    /** Held strongly: quiet training logs. */
    private static final Logger REGULA = Logger.getLogger("dev.regula");
    /** The batch size of the throughput benchmarks. */
    public static final int BATCH = 10_000;

    /** Threads for both engines: Regula's BLAS team and ONNX Runtime's intra-op pool. */
    @Param({"2"})
    public int threads;

    /** Hidden layers of the network (the reference network has 5). */
    @Param({"5"})
    public int hiddenLayers;

    /** Units per hidden layer (the reference network has 500). */
    @Param({"500"})
    public int units;

    private MLPModel model;
    private Network network;
    private Network.Inference inference;
    private Blas blas;
    private List<Example<Label>> examples;
    private float[] batch;
    private float[][] rows;
    private float[] out;
    private float[] outOne;
    private int d;
    /** The next row of the single-example benchmarks (package-private for the smoke test). */
    int next;
    private OrtEnvironment env;
    private OrtSession session;
    private ONNXExternalModel<Label> external;
    private Path file;

    /**
     * Trains the model, exports it, and opens both ONNX Runtime sessions.
     * @throws IOException if the data or the ONNX file cannot be read or written.
     * @throws OrtException if ONNX Runtime refuses the model.
     */
    @Setup(Level.Trial)
    public void setup() throws IOException, OrtException {
        REGULA.setLevel(java.util.logging.Level.WARNING);
        examples = new ArrayList<>();
        for (Example<Label> e : RescalingDataSource.of(EmbeddedData.trainSource(), 1.0 / 255)) {
            examples.add(e);
        }
        org.tribuo.MutableDataset<Label> train = new org.tribuo.MutableDataset<>(
                RescalingDataSource.of(EmbeddedData.trainSource(), 1.0 / 255));
        model = MLPTrainer.builder().standardization(null).earlyStopping(null).addLayers(hiddenLayers, Layer.dense(units).build()).optimiser(new Adam()).epochs(1)
                .minibatchSize(128).seed(42).numThreads(threads).build().train(train);
        network = model.getNetwork();
        blas = Backends.get(threads);
        inference = network.prepare(blas);
        ImmutableFeatureMap fmap = model.getFeatureIDMap();
        d = fmap.size();
        int n = Math.min(BATCH, examples.size());
        batch = new float[n * d];
        rows = new float[n][d];
        for (int i = 0; i < n; i++) {
            for (Feature f : examples.get(i)) {
                int id = fmap.getID(f.getName());
                if (id >= 0) {
                    batch[i * d + id] = (float) f.getValue();
                    rows[i][id] = (float) f.getValue();
                }
            }
        }
        out = new float[n * network.numOutputs()];
        outOne = new float[network.numOutputs()];

        file = Files.createTempFile("regula-bench", ".onnx");
        model.saveONNXModel("dev.regula.bench", 1, file);
        env = OrtEnvironment.getEnvironment();
        session = env.createSession(file.toString(), options());
        Map<String, Integer> features = new HashMap<>();
        for (int i = 0; i < d; i++) {
            features.put(fmap.get(i).getName(), i);
        }
        Map<Label, Integer> labels = new HashMap<>();
        for (Pair<Integer, Label> p : model.getOutputIDInfo()) {
            labels.put(p.getB(), p.getA());
        }
        external = ONNXExternalModel.createOnnxModel(new LabelFactory(), features, labels, new DenseTransformer(),
                new LabelTransformer(), options(), file, OnnxExport.INPUT_NAME);
        external.setBatchSize(BATCH);
    }

    private OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return o;
    }

    /**
     * Closes the sessions and removes the ONNX file.
     * @throws Exception if closing fails.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        external.close();
        session.close();
        Files.deleteIfExists(file);
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == rows.length ? 0 : i + 1;
        return i;
    }

    /** @return Regula's prediction of one example through Tribuo. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Prediction<Label> regulaTribuoOne() {
        return model.predict(examples.get(nextIndex()));
    }

    /** @return ONNX Runtime's prediction of one example through Tribuo's ONNXExternalModel. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Prediction<Label> onnxTribuoOne() {
        return external.predict(examples.get(nextIndex()));
    }

    /** @return Regula's network on one dense row. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] regulaNetworkOne() {
        inference.predict(rows[nextIndex()], 1, outOne, SoftmaxCrossEntropy.INSTANCE);
        return outOne;
    }

    /**
     * @return ONNX Runtime's session on one dense row.
     * @throws OrtException if the run fails.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[][] onnxNetworkOne() throws OrtException {
        return runSession(rows[nextIndex()], 1);
    }

    /** @return Regula's predictions of 10,000 examples through Tribuo. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public List<Prediction<Label>> regulaTribuoBatch() {
        return model.predict(examples.subList(0, rows.length));
    }

    /** @return ONNX Runtime's predictions of 10,000 examples through ONNXExternalModel (one batch). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public List<Prediction<Label>> onnxTribuoBatch() {
        return external.predict(examples.subList(0, rows.length));
    }

    /** @return Regula's network on 10,000 dense rows. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public float[] regulaNetworkBatch() {
        inference.predict(batch, rows.length, out, SoftmaxCrossEntropy.INSTANCE);
        return out;
    }

    /**
     * @return ONNX Runtime's session on 10,000 dense rows.
     * @throws OrtException if the run fails.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public float[][] onnxNetworkBatch() throws OrtException {
        return runSession(batch, rows.length);
    }

    private float[][] runSession(float[] x, int n) throws OrtException {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[]{n, d});
             OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT_NAME, input))) {
            return (float[][]) result.get(0).getValue();
        }
    }
}
