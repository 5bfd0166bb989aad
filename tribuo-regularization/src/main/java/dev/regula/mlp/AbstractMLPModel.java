package dev.regula.mlp;

import ai.onnx.proto.OnnxMl;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.regula.augment.InputTransform;
import dev.regula.data.ImageGeometry;
import dev.regula.nn.Backends;
import dev.regula.nn.Blas;
import dev.regula.nn.CsrMatrix;
import dev.regula.nn.Network;
import dev.regula.nn.ThreadTeam;
import dev.regula.onnx.NetworkGraph;
import dev.regula.onnx.OnnxExport;
import dev.regula.onnx.OutputStep;
import org.jspecify.annotations.Nullable;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXRef;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What every trained feed-forward network model shares, whatever its output type: the fixed input transform,
 * the network, the training history, and the prediction path — examples to dense rows (through a hashed feature
 * index), the input transform, the network, and the output head's predictions. Immutable and thread-safe;
 * {@link #predict(Iterable)} runs examples through the network in batches with BLAS.
 * <p>
 * Exportable to ONNX ({@link ONNXExportable}): the whole prediction path in one graph, built by
 * {@link NetworkGraph}; see {@code docs/onnx.md}.
 *
 * @param <T> the output type.
 */
public abstract class AbstractMLPModel<T extends Output<T>> extends Model<T> implements ONNXExportable {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version of every network model. */
    public static final int CURRENT_VERSION = 0;

    /** The input transform fitted on the training split, applied before the network, or null. */
    final @Nullable InputTransform inputTransform;
    /** The trained network. */
    final Network network;
    /** The per-epoch metrics and why training ended. */
    final TrainingHistory history;
    /**
     * Prepared inference passes ({@link Network#prepare}: kernels already on the backend), per backend, each used by
     * one call at a time; a pool holds as many as calls have run at once. Built on first use; not serialized.
     */
    private transient volatile @Nullable ConcurrentHashMap<Blas, ConcurrentLinkedQueue<Network.Inference>> inferences;
    /** Built on first use by {@link #featureIndex()}; not serialized. */
    private transient @Nullable FeatureIndex featureIndex;
    /** Whether predictions take the sparse path ({@link #getInputKind()}), read on first use; not serialized. */
    private transient volatile @Nullable Boolean sparsePath;

    AbstractMLPModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                     ImmutableOutputInfo<T> outputIDInfo, boolean generatesProbabilities,
                     @Nullable InputTransform inputTransform, Network network, TrainingHistory history) {
        super(name, provenance, featureIDMap, outputIDInfo, generatesProbabilities);
        this.inputTransform = inputTransform;
        this.network = network;
        this.history = history;
    }

    /** @return the output head that turns the network's outputs into this model's predictions. */
    abstract OutputHead<T> head();

    /**
     * The fixed input transformation (normalization / ZCA whitening fitted on the training split) applied to the
     * dense feature vector before the first layer, so that the model predicts on raw examples.
     * @return the transform, or null if the model has none.
     */
    public @Nullable InputTransform getInputTransform() {
        return inputTransform;
    }

    /** @return the training history (per-epoch metrics, best epoch, stop reason). */
    public TrainingHistory getHistory() {
        return history;
    }

    /**
     * The geometry of the images this model was trained on, as the trainer's {@code imageGeometry} recorded it in
     * the provenance; null if the trainer was not given one (or the data were not images). Inputs of another
     * geometry would be silently misread: unknown pixel features are ignored by Tribuo.
     * @return the geometry, or null.
     */
    public @Nullable ImageGeometry getImageGeometry() {
        Provenance p = getProvenance().getTrainerProvenance().getConfiguredParameters()
                .get(AbstractMLPTrainer.IMAGE_GEOMETRY);
        if (p instanceof PrimitiveProvenance<?> primitive && primitive.getValue() instanceof String text) {
            return ImageGeometry.parse(text);
        }
        return null;
    }

    /**
     * The input kind this model was trained with, as its run provenance records it under
     * {@link AbstractMLPTrainer#INPUT_KIND_PROVENANCE}: {@link InputKind#SPARSE} models predict through the sparse
     * first layer (examples converted to sparse rows, never densified), others — and models from before the
     * key existed — through dense rows.
     * @return {@link InputKind#DENSE} or {@link InputKind#SPARSE}.
     */
    public InputKind getInputKind() {
        Provenance p = getProvenance().getInstanceProvenance().getMap().get(AbstractMLPTrainer.INPUT_KIND_PROVENANCE);
        return p instanceof PrimitiveProvenance<?> primitive && InputKind.SPARSE.name().equals(primitive.getValue())
                ? InputKind.SPARSE : InputKind.DENSE;
    }

    /** @return a deep copy of the network (layer specs and parameters). */
    public Network getNetwork() {
        return network.copy();
    }

    /**
     * The hashed feature index, built on first use (also after Java deserialization, which leaves the transient
     * field null). Racing threads may each build one; all are equal and immutable, so any of them may be kept.
     */
    private FeatureIndex featureIndex() {
        FeatureIndex index = featureIndex;
        if (index == null) {
            index = FeatureIndex.of(featureIDMap);
            featureIndex = index;
        }
        return index;
    }

    private ConcurrentLinkedQueue<Network.Inference> inferencePool(Blas blas) {
        ConcurrentHashMap<Blas, ConcurrentLinkedQueue<Network.Inference>> pools = inferences;
        if (pools == null) { // racing threads may each create one; the pools lost are merely rebuilt
            pools = new ConcurrentHashMap<>();
            inferences = pools;
        }
        return pools.computeIfAbsent(blas, b -> new ConcurrentLinkedQueue<>());
    }

    /** A prepared inference pass for this backend from the pool, or a new one when all are in use. */
    private Network.Inference borrowInference(Blas blas) {
        Network.Inference inference = inferencePool(blas).poll();
        return inference != null ? inference : network.prepare(blas);
    }

    @Override
    public Prediction<T> predict(Example<T> example) {
        return predictAll(List.of(example)).get(0);
    }

    @Override
    protected List<Prediction<T>> innerPredict(Iterable<Example<T>> examples) {
        List<Example<T>> list = new ArrayList<>();
        examples.forEach(list::add);
        return predictAll(list);
    }

    private List<Prediction<T>> predictAll(List<Example<T>> examples) {
        int n = examples.size();
        int[] active = new int[n];
        Blas blas = Backends.get();
        boolean sparse = sparseInput();
        CsrMatrix sparseRows = sparse ? sparseInputs(examples, active) : null;
        float[] x = sparse ? null : inputs(examples, active, blas);
        OutputHead<T> head = head();
        int units = head.units();
        float[] out = new float[n * units];
        Network.Inference inference = borrowInference(blas);
        try {
            if (sparseRows != null) {
                inference.predict(sparseRows, out, head.loss());
            } else {
                inference.predict(x, n, out, head.loss());
            }
        } finally {
            inferencePool(blas).offer(inference);
        }
        for (int i = 0; i < out.length; i++) {
            if (!Float.isFinite(out[i])) {
                throw new IllegalArgumentException("example " + (i / units) + ": the network's output is " + out[i]
                        + " (float32 overflowed inside the network; its inputs are far larger than the training data's)");
            }
        }
        return head.predictions(out, examples, active);
    }

    /** Whether predictions take the sparse path; read from the provenance once. */
    private boolean sparseInput() {
        Boolean sparse = sparsePath;
        if (sparse == null) {
            sparse = getInputKind() == InputKind.SPARSE;
            sparsePath = sparse;
        }
        return sparse;
    }

    /**
     * The network's sparse inputs for examples: their known features as compressed sparse rows, through the
     * model's (scale-only) input transform, checked finite.
     * @param examples the examples.
     * @param active filled with each example's number of features the model knows.
     * @return the rows.
     */
    CsrMatrix sparseInputs(List<Example<T>> examples, int[] active) {
        CsrMatrix x = SparseRows.convert(examples, "example", featureIndex(), active);
        if (inputTransform != null) {
            inputTransform.applyToEntries(x.values(), x.columns(), 0, x.nonZeros());
            if (!SparseRows.allFinite(x)) { // the names (one array of every feature) only for the error
                SparseRows.requireFinite(x, "example", RunChecks.featureNames(featureIDMap), "after the model's input transform");
            }
        }
        return x;
    }

    /**
     * The network's inputs for examples: their features in feature-id order, through the model's input transform,
     * checked finite.
     * @param examples the examples.
     * @param active filled with each example's number of features the model knows.
     * @param blas the backend of the transform.
     * @return examples × features, row-major.
     */
    float[] inputs(List<Example<T>> examples, int[] active, Blas blas) {
        int n = examples.size();
        int d = featureIDMap.size();
        FeatureIndex features = featureIndex();
        float[] x = new float[n * d];
        // Each team part converts a contiguous range of examples; the error of the lowest range wins, so a bad
        // example is reported exactly as a sequential loop would report it.
        ThreadTeam team = blas.team();
        int parts = team.size();
        @Nullable RuntimeException[] errors = new RuntimeException[parts];
        team.run(p -> {
            try {
                for (int i = ThreadTeam.start(p, parts, n, 1); i < ThreadTeam.start(p + 1, parts, n, 1); i++) {
                    active[i] = DenseRows.fill(examples.get(i), i, "example", features, x, i * d);
                }
            } catch (RuntimeException e) {
                errors[p] = e;
            }
        });
        for (RuntimeException e : errors) {
            if (e != null) {
                throw e;
            }
        }
        if (inputTransform != null) {
            inputTransform.applyRowwise(x, n, blas);
            DenseRows.requireFinite("example", x, n, RunChecks.featureNames(featureIDMap),
                    "after the model's input transform");
        }
        return x;
    }

    /** @return the step after the output layer in the ONNX graph (the head's activation, the undone scaling). */
    abstract OutputStep onnxOutput();

    /**
     * The metadata entries, beyond the provenance, the ONNX file carries: what its output holds, and for
     * multi-label models the decision threshold.
     * @return key → value.
     */
    Map<String, String> onnxMetadata() {
        return Map.of(OnnxExport.OUTPUT_METADATA, switch (onnxOutput().kind()) {
            case SOFTMAX -> "probabilities";
            case SIGMOID -> "label-probabilities";
            case IDENTITY -> "values";
        });
    }

    /**
     * Exports the model as an ONNX protobuf: input {@code "input"}, float {@code [batch, features]} in feature-id
     * order; output {@code "output"}, float {@code [batch, outputs]} in output-id order; the provenance in the
     * metadata under {@link ONNXExportable#PROVENANCE_METADATA_FIELD}.
     * @param domain a reverse-DNS name for the model (e.g. {@code dev.regula.mlp}).
     * @param modelVersion the model's version.
     * @return the ONNX model.
     * @throws IllegalArgumentException if part of the model has no ONNX form, or the model is too large for one
     *                                  ONNX file.
     */
    @Override
    public OnnxMl.ModelProto exportONNXModel(String domain, long modelVersion) {
        long floats = network.parameterCount();
        if (inputTransform != null) {
            int d = inputTransform.getDimension();
            floats += 2L * d + (inputTransform.getWhitening() == null ? 0 : (long) d * d);
        }
        OnnxExport.requireExportableSize(floats);
        return OnnxExport.build("Regula-" + getClass().getSimpleName(), featureIDMap.size(), outputIDInfo.size(),
                this::writeONNXGraph, domain, modelVersion, this, onnxMetadata());
    }

    /**
     * Writes the prediction path (input transform, dense layers, output step) after {@code input}.
     * @param input the input, float {@code [batch, features]} in feature-id order.
     * @return the node holding the predictions.
     * @throws IllegalArgumentException if part of the model has no ONNX form.
     */
    @Override
    public ONNXNode writeONNXGraph(ONNXRef<?> input) {
        return NetworkGraph.write(input, inputTransform, network, onnxOutput());
    }

    /**
     * Writes the ONNX model to a file atomically: a failure leaves no partial file. The folder must exist.
     * @param domain a reverse-DNS name for the model.
     * @param modelVersion the model's version.
     * @param outputPath the file to write.
     * @throws IOException naming the file and the reason (a missing folder, a folder given as the file, a failed
     *                     write).
     */
    @Override
    public void saveONNXModel(String domain, long modelVersion, Path outputPath) throws IOException {
        OnnxExport.save(exportONNXModel(domain, modelVersion), outputPath);
    }

    /**
     * Per output {@link Model#ALL_OUTPUTS}: the input features ranked by the L2 norm of their outgoing weights in
     * the first layer (how strongly the network listens to each input).
     * @param n the number of features to return (all if negative).
     * @return the ranking.
     */
    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        float[] k = network.getKernel(0);
        int units = network.getLayers().get(0).units();
        List<Pair<String, Double>> list = new ArrayList<>();
        for (int i = 0; i < featureIDMap.size(); i++) {
            double sq = 0;
            for (int j = 0; j < units; j++) {
                double w = k[i * units + j];
                sq += w * w;
            }
            list.add(new Pair<>(featureIDMap.get(i).getName(), Math.sqrt(sq)));
        }
        list.sort(Comparator.comparing((Pair<String, Double> p) -> p.getB()).reversed());
        int limit = n < 0 ? list.size() : Math.min(n, list.size());
        Map<String, List<Pair<String, Double>>> map = new HashMap<>();
        map.put(Model.ALL_OUTPUTS, new ArrayList<>(list.subList(0, limit)));
        return map;
    }

    @Override
    public Optional<Excuse<T>> getExcuse(Example<T> example) {
        return Optional.empty();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(name=" + name + ", inputTransform=" + (inputTransform != null)
                + ", layers=" + network.getLayers().size() + ", parameters=" + network.parameterCount() + ", "
                + history + ")";
    }
}
