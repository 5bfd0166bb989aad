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
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;

import java.util.HashMap;
import java.util.Map;

/**
 * A trained feed-forward multi-label network, produced by {@link MLPMultiLabelTrainer}: a sigmoid probability per
 * label, the labels above the threshold predicted. Immutable and thread-safe; serializes through Tribuo's protobuf
 * format ({@link #serialize()}, {@link Model#deserialize}) and Java serialization.
 */
public final class MLPMultiLabelModel extends AbstractMLPModel<MultiLabel> {
    private static final long serialVersionUID = 1L;

    /** Probability above which a label is predicted. */
    private final double threshold;

    MLPMultiLabelModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                       ImmutableOutputInfo<MultiLabel> outputIDInfo, @Nullable InputTransform inputTransform,
                       Network network, TrainingHistory history, double threshold) {
        super(name, provenance, featureIDMap, outputIDInfo, true, inputTransform, network, history);
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), found " + threshold);
        }
        this.threshold = threshold;
    }

    @Override
    OutputHead<MultiLabel> head() {
        return new MultiLabelHead(outputIDInfo, threshold);
    }

    /** @return the decision threshold on each label's probability. */
    public double getThreshold() {
        return threshold;
    }

    @Override
    OutputStep onnxOutput() {
        return OutputStep.sigmoid();
    }

    @Override
    Map<String, String> onnxMetadata() {
        Map<String, String> m = new HashMap<>(super.onnxMetadata());
        m.put(dev.regula.onnx.OnnxExport.THRESHOLD_METADATA, Double.toString(threshold));
        return m;
    }

    @Override
    protected MLPMultiLabelModel copy(String newName, ModelProvenance newProvenance) {
        return new MLPMultiLabelModel(newName, newProvenance, featureIDMap, outputIDInfo, inputTransform, network.copy(),
                history, threshold);
    }

    @Override
    public ModelProto serialize() {
        return ModelCodec.wrap(ModelCodec.encode(createDataCarrier(), this).setThreshold(threshold), MLPMultiLabelModel.class);
    }

    /**
     * Deserialization factory, called reflectively by Tribuo's {@code ProtoUtil}.
     * @param version the serialized version.
     * @param className the class name (this class).
     * @param message the serialized {@code MLPModelProto}.
     * @return the model.
     * @throws InvalidProtocolBufferException if the message is not a valid MLPModelProto.
     */
    public static MLPMultiLabelModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        ModelCodec.Decoded<MultiLabel> d = ModelCodec.decode(version, message, MultiLabel.class, "MLPMultiLabelModel");
        return new MLPMultiLabelModel(d.carrier().name(), d.carrier().provenance(), d.carrier().featureDomain(),
                d.outputs(), d.inputTransform(), d.network(), d.history(), d.proto().getThreshold());
    }
}
