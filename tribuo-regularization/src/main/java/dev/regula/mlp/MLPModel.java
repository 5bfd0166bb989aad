package dev.regula.mlp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.regula.augment.InputTransform;
import dev.regula.data.ImageGeometry;
import dev.regula.mlp.protos.DenseLayerProto;
import dev.regula.mlp.protos.StandardizationProto;
import dev.regula.mlp.protos.MLPModelProto;
import dev.regula.nn.Activation;
import dev.regula.nn.Backends;
import dev.regula.nn.Blas;
import dev.regula.nn.LayerSpec;
import dev.regula.nn.Network;
import dev.regula.nn.Penalty;
import dev.regula.nn.ThreadTeam;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelDataProto;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trained feed-forward classifier: dense layers and a softmax over the labels, produced by {@link MLPTrainer}.
 * <p>
 * Immutable and thread-safe. Predictions carry a probability for every label. {@link #predict(Iterable)} runs
 * examples through the network in batches with BLAS. The model also carries its {@link TrainingHistory}.
 * Serializes through Tribuo's protobuf format ({@link #serialize()}, {@link Model#deserialize}) and Java serialization.
 */
public final class MLPModel extends Model<Label> {
    private static final long serialVersionUID = 1L;

    /** Protobuf serialization version. */
    public static final int CURRENT_VERSION = 0;

    private final @Nullable InputTransform inputTransform;
    private final Network network;
    private final TrainingHistory history;
    /** Built on first use by {@link #featureIndex()}; not serialized. */
    private transient @Nullable FeatureIndex featureIndex;

    MLPModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
             ImmutableOutputInfo<Label> outputIDInfo, @Nullable InputTransform inputTransform,
             Network network, TrainingHistory history) {
        super(name, provenance, featureIDMap, outputIDInfo, true);
        this.inputTransform = inputTransform;
        this.network = network;
        this.history = history;
    }

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

    @Override
    public Prediction<Label> predict(Example<Label> example) {
        return predictAll(List.of(example)).get(0);
    }

    @Override
    protected List<Prediction<Label>> innerPredict(Iterable<Example<Label>> examples) {
        List<Example<Label>> list = new ArrayList<>();
        examples.forEach(list::add);
        return predictAll(list);
    }

    private List<Prediction<Label>> predictAll(List<Example<Label>> examples) {
        int n = examples.size();
        int d = featureIDMap.size();
        int c = outputIDInfo.size();
        FeatureIndex features = featureIndex();
        float[] x = new float[n * d];
        int[] active = new int[n];
        Blas blas = Backends.get();
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
        float[] probs = new float[n * c];
        if (inputTransform != null) {
            inputTransform.apply(x, x, n, blas);
        }
        LabelHead head = new LabelHead(outputIDInfo);
        network.predict(x, n, probs, blas, head.loss());
        return head.predictions(probs, examples, active);
    }

    /**
     * Per label {@link Model#ALL_OUTPUTS}: the input features ranked by the L2 norm of their outgoing weights in
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
    public Optional<Excuse<Label>> getExcuse(Example<Label> example) {
        return Optional.empty();
    }

    @Override
    protected MLPModel copy(String newName, ModelProvenance newProvenance) {
        return new MLPModel(newName, newProvenance, featureIDMap, outputIDInfo, inputTransform, network.copy(), history);
    }

    @Override
    public ModelProto serialize() {
        ModelDataCarrier<Label> carrier = createDataCarrier();
        MLPModelProto.Builder b = MLPModelProto.newBuilder()
                .setMetadata(carrier.serialize().toByteString())
                .setInputDropout(network.getInputDropout())
                .setHistory(history.toProto());
        if (inputTransform != null) {
            StandardizationProto.Builder sb = StandardizationProto.newBuilder()
                    .setSamplewiseCenter(inputTransform.isSamplewiseCenter())
                    .setSamplewiseStdNormalization(inputTransform.isSamplewiseStd());
            addAll(inputTransform.getMean(), sb::addMean);
            addAll(inputTransform.getScale(), sb::addScale);
            addAll(inputTransform.getWhitening(), sb::addWhitening);
            b.setInputTransform(sb);
        }
        List<LayerSpec> layers = network.getLayers();
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec s = layers.get(l);
            Regularizer k = regularizer(s.kernelPenalty());
            Regularizer bias = regularizer(s.biasPenalty());
            DenseLayerProto.Builder lb = DenseLayerProto.newBuilder().setInputs(s.inputs()).setUnits(s.units())
                    .setActivation(s.activation().name()).setDropout(s.dropout())
                    .setKernelL1(k == null ? 0 : k.getL1()).setKernelL2(k == null ? 0 : k.getL2())
                    .setBiasL1(bias == null ? 0 : bias.getL1()).setBiasL2(bias == null ? 0 : bias.getL2())
                    .setMaxNorm(s.maxNorm());
            for (float v : network.getKernel(l)) {
                lb.addKernel(v);
            }
            for (float v : network.getBias(l)) {
                lb.addBias(v);
            }
            b.addLayers(lb);
        }
        return ModelProto.newBuilder().setVersion(CURRENT_VERSION).setClassName(MLPModel.class.getName())
                .setSerializedData(Any.pack(b.build())).build();
    }

    /**
     * Deserialization factory, called reflectively by Tribuo's {@code ProtoUtil}.
     * @param version the serialized version.
     * @param className the class name (this class).
     * @param message the serialized {@link MLPModelProto}.
     * @return the model.
     * @throws InvalidProtocolBufferException if the message is not a valid MLPModelProto.
     */
    public static MLPModel deserializeFromProto(int version, String className, Any message) throws InvalidProtocolBufferException {
        if (version < 0 || version > CURRENT_VERSION) {
            throw new IllegalArgumentException("Unknown MLPModel version " + version + ", this code reads up to " + CURRENT_VERSION);
        }
        MLPModelProto proto = message.unpack(MLPModelProto.class);
        ModelDataCarrier<?> carrier = ModelDataCarrier.deserialize(ModelDataProto.parseFrom(proto.getMetadata()));
        if (!carrier.outputDomain().getOutput(0).getClass().equals(Label.class)) {
            throw new IllegalArgumentException("MLPModel needs a Label output domain, found "
                    + carrier.outputDomain().getOutput(0).getClass().getName());
        }
        @SuppressWarnings("unchecked")
        ImmutableOutputInfo<Label> outputInfo = (ImmutableOutputInfo<Label>) carrier.outputDomain();
        List<LayerSpec> specs = new ArrayList<>();
        List<float[]> kernels = new ArrayList<>();
        List<float[]> biases = new ArrayList<>();
        for (DenseLayerProto l : proto.getLayersList()) {
            specs.add(LayerSpec.dense(l.getInputs(), l.getUnits(), Activation.valueOf(l.getActivation()))
                    .withDropout(l.getDropout()).withKernelPenalty(regularizer(l.getKernelL1(), l.getKernelL2()))
                    .withBiasPenalty(regularizer(l.getBiasL1(), l.getBiasL2())).withMaxNorm(l.getMaxNorm()));
            kernels.add(toArray(l.getKernelList()));
            biases.add(toArray(l.getBiasList()));
        }
        Network network = Network.of(proto.getInputDropout(), specs, kernels, biases);
        if (network.numInputs() != carrier.featureDomain().size() || network.numOutputs() != outputInfo.size()) {
            throw new IllegalArgumentException("Serialized network shape " + network.numInputs() + "->" + network.numOutputs()
                    + " does not match the feature/output domains " + carrier.featureDomain().size() + "/" + outputInfo.size());
        }
        InputTransform transform = null;
        if (proto.hasInputTransform()) {
            StandardizationProto t = proto.getInputTransform();
            transform = InputTransform.of(network.numInputs(), t.getSamplewiseCenter(), t.getSamplewiseStdNormalization(),
                    toArrayOrNull(t.getMeanList()), toArrayOrNull(t.getScaleList()), toArrayOrNull(t.getWhiteningList()));
        }
        return new MLPModel(carrier.name(), carrier.provenance(), carrier.featureDomain(), outputInfo, transform, network,
                TrainingHistory.fromProto(proto.getHistory()));
    }

    /** The stored form of a layer's penalty: the L1/L2 factors of a {@link Regularizer}. */
    private static @Nullable Regularizer regularizer(@Nullable Penalty p) {
        if (p == null || p instanceof Regularizer) {
            return (Regularizer) p;
        }
        throw new IllegalStateException("Cannot serialize penalty " + p + ": the MLPModel format stores L1/L2 factors");
    }

    private static @Nullable Regularizer regularizer(double l1, double l2) {
        return l1 == 0 && l2 == 0 ? null : Regularizer.l1l2(l1, l2);
    }

    private static void addAll(float @Nullable [] values, java.util.function.Consumer<Float> sink) {
        if (values != null) {
            for (float v : values) {
                sink.accept(v);
            }
        }
    }

    private static float @Nullable [] toArrayOrNull(List<Float> values) {
        return values.isEmpty() ? null : toArray(values);
    }

    private static float[] toArray(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return "MLPModel(name=" + name + ", inputTransform=" + (inputTransform != null) + ", layers=" + network.getLayers().size() + ", parameters="
                + network.parameterCount() + ", " + history + ")";
    }
}
