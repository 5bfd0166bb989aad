package dev.regula.mlp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.regula.augment.InputTransform;
import dev.regula.nn.Network;
import dev.regula.onnx.OutputStep;
import org.jspecify.annotations.Nullable;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;

/**
 * A trained feed-forward classifier: dense layers and a softmax over the labels, produced by {@link MLPTrainer}.
 * <p>
 * Immutable and thread-safe. Predictions carry a probability for every label. {@link #predict(Iterable)} runs
 * examples through the network in batches with BLAS. The model also carries its {@link TrainingHistory}.
 * Serializes through Tribuo's protobuf format ({@link #serialize()}, {@link Model#deserialize}) and Java serialization.
 */
public final class MLPModel extends AbstractMLPModel<Label> {
    private static final long serialVersionUID = 1L;

    MLPModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
             ImmutableOutputInfo<Label> outputIDInfo, @Nullable InputTransform inputTransform,
             Network network, TrainingHistory history) {
        super(name, provenance, featureIDMap, outputIDInfo, true, inputTransform, network, history);
    }

    @Override
    OutputHead<Label> head() {
        return new LabelHead(outputIDInfo);
    }

    @Override
    OutputStep onnxOutput() {
        return OutputStep.softmax();
    }

    @Override
    protected MLPModel copy(String newName, ModelProvenance newProvenance) {
        return new MLPModel(newName, newProvenance, featureIDMap, outputIDInfo, inputTransform, network.copy(), history);
    }

    @Override
    public ModelProto serialize() {
        return ModelCodec.wrap(ModelCodec.encode(createDataCarrier(), this), MLPModel.class);
    }

    /**
     * Deserialization factory, called reflectively by Tribuo's {@code ProtoUtil}.
     * @param version the serialized version.
     * @param className the class name (this class).
     * @param message the serialized {@code MLPModelProto}.
     * @return the model.
     * @throws InvalidProtocolBufferException if the message is not a valid MLPModelProto.
     */
    public static MLPModel deserializeFromProto(int version, String className, Any message) throws InvalidProtocolBufferException {
        ModelCodec.Decoded<Label> d = ModelCodec.decode(version, message, Label.class, "MLPModel");
        return new MLPModel(d.carrier().name(), d.carrier().provenance(), d.carrier().featureDomain(), d.outputs(),
                d.inputTransform(), d.network(), d.history());
    }
}
