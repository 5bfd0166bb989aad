package dev.regula.mlp;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.regula.augment.InputTransform;
import dev.regula.data.Sha256;
import dev.regula.mlp.protos.DenseLayerProto;
import dev.regula.mlp.protos.MLPModelProto;
import dev.regula.mlp.protos.StandardizationProto;
import dev.regula.nn.Activation;
import dev.regula.nn.LayerSpec;
import dev.regula.nn.Network;
import dev.regula.nn.Penalty;
import org.jspecify.annotations.Nullable;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Output;
import org.tribuo.impl.ModelDataCarrier;
import org.tribuo.protos.core.ModelDataProto;
import org.tribuo.protos.core.ModelProto;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The protobuf form shared by every network model ({@link MLPModelProto}): metadata, network, input transform
 * and history, plus the fields one output type adds (target standardization, threshold), which its model class
 * reads and writes itself. Every message carries a SHA-256 of its content, checked at load, and a loaded network
 * must have finite weights.
 */
final class ModelCodec {
    private ModelCodec() {}

    /**
     * A decoded model body.
     * @param carrier the model's metadata (name, provenance, domains).
     * @param outputs the output domain.
     * @param network the network.
     * @param inputTransform the input transform, or null.
     * @param history the training history.
     * @param proto the message, for the fields of one output type.
     * @param <T> the output type.
     */
    record Decoded<T extends Output<T>>(ModelDataCarrier<?> carrier, ImmutableOutputInfo<T> outputs, Network network,
                                        @Nullable InputTransform inputTransform, TrainingHistory history,
                                        MLPModelProto proto) {}

    /**
     * Encodes the shared part of a model.
     * @param carrier the model's data carrier.
     * @param model the model.
     * @return the message builder, for the subclass to complete.
     */
    static MLPModelProto.Builder encode(ModelDataCarrier<?> carrier, AbstractMLPModel<?> model) {
        Network network = model.network;
        InputTransform t = model.inputTransform;
        MLPModelProto.Builder b = MLPModelProto.newBuilder()
                .setMetadata(carrier.serialize().toByteString())
                .setInputDropout(network.getInputDropout())
                .setHistory(model.history.toProto());
        if (t != null) {
            StandardizationProto.Builder sb = StandardizationProto.newBuilder()
                    .setSamplewiseCenter(t.isSamplewiseCenter())
                    .setSamplewiseStdNormalization(t.isSamplewiseStd());
            addAll(t.getMean(), sb::addMean);
            addAll(t.getScale(), sb::addScale);
            addAll(t.getWhitening(), sb::addWhitening);
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
        return b;
    }

    /**
     * Wraps a model body as Tribuo's {@link ModelProto}.
     * @param body the body.
     * @param modelClass the model class, whose static {@code deserializeFromProto} Tribuo will call.
     * @return the model proto.
     */
    static ModelProto wrap(MLPModelProto.Builder body, Class<?> modelClass) {
        MLPModelProto unsigned = body.clearSha256().build();
        MLPModelProto signed = unsigned.toBuilder()
                .setSha256(ByteString.copyFrom(Sha256.digest(unsigned.toByteArray()))).build();
        return ModelProto.newBuilder().setVersion(AbstractMLPModel.CURRENT_VERSION).setClassName(modelClass.getName())
                .setSerializedData(Any.pack(signed)).build();
    }

    /** Refuses a message whose checksum does not match its content (a model file damaged on disk or in transit). */
    private static void verify(MLPModelProto proto, String modelName) {
        if (proto.getSha256().isEmpty()) {
            return;
        }
        byte[] computed = Sha256.digest(proto.toBuilder().clearSha256().build().toByteArray());
        if (!ByteString.copyFrom(computed).equals(proto.getSha256())) {
            throw new IllegalArgumentException("The serialized " + modelName + " is corrupt: its SHA-256 checksum "
                    + Sha256.hex(proto.getSha256().toByteArray()) + " does not match its content ("
                    + Sha256.hex(computed) + ")");
        }
    }

    /**
     * Decodes the shared part of a model, checking the version, the output type and the network's shape.
     * @param version the serialized version.
     * @param message the serialized {@link MLPModelProto}.
     * @param outputClass the output type the model class needs.
     * @param modelName the model class's simple name, for errors.
     * @param <T> the output type.
     * @return the decoded parts.
     * @throws InvalidProtocolBufferException if the message is not a valid MLPModelProto.
     */
    static <T extends Output<T>> Decoded<T> decode(int version, Any message, Class<T> outputClass, String modelName)
            throws InvalidProtocolBufferException {
        if (version < 0 || version > AbstractMLPModel.CURRENT_VERSION) {
            throw new IllegalArgumentException("Unknown " + modelName + " version " + version + ", this code reads up to "
                    + AbstractMLPModel.CURRENT_VERSION);
        }
        MLPModelProto proto = message.unpack(MLPModelProto.class);
        verify(proto, modelName);
        ModelDataCarrier<?> carrier = ModelDataCarrier.deserialize(ModelDataProto.parseFrom(proto.getMetadata()));
        if (!carrier.outputDomain().getOutput(0).getClass().equals(outputClass)) {
            throw new IllegalArgumentException(modelName + " needs a " + outputClass.getSimpleName() + " output domain, found "
                    + carrier.outputDomain().getOutput(0).getClass().getName());
        }
        @SuppressWarnings("unchecked")
        ImmutableOutputInfo<T> outputInfo = (ImmutableOutputInfo<T>) carrier.outputDomain();
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
        if (!network.isFinite()) {
            throw new IllegalArgumentException("The serialized " + modelName + " has non-finite weights; it cannot predict");
        }
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
        return new Decoded<>(carrier, outputInfo, network, transform, TrainingHistory.fromProto(proto.getHistory()), proto);
    }

    /** The stored form of a layer's penalty: the L1/L2 factors of a {@link Regularizer}. */
    private static @Nullable Regularizer regularizer(@Nullable Penalty p) {
        if (p == null || p instanceof Regularizer) {
            return (Regularizer) p;
        }
        throw new IllegalStateException("Cannot serialize penalty " + p + ": the model format stores L1/L2 factors");
    }

    private static @Nullable Regularizer regularizer(double l1, double l2) {
        return l1 == 0 && l2 == 0 ? null : Regularizer.l1l2(l1, l2);
    }

    private static void addAll(float @Nullable [] values, Consumer<Float> sink) {
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
}
