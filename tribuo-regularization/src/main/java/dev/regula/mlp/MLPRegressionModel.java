package dev.regula.mlp;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.regula.augment.InputTransform;
import dev.regula.mlp.protos.MLPModelProto;
import dev.regula.nn.Network;
import dev.regula.onnx.OutputStep;
import dev.regula.nn.SquaredError;
import org.jspecify.annotations.Nullable;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.regression.Regressor;

import java.util.List;

/**
 * A trained feed-forward regression network, produced by {@link MLPRegressionTrainer}: one output per dimension,
 * predicted in the original units (the target standardization fitted on the training split, if any, is undone).
 * Immutable and thread-safe; serializes through Tribuo's protobuf format ({@link #serialize()},
 * {@link Model#deserialize}) and Java serialization.
 */
public final class MLPRegressionModel extends AbstractMLPModel<Regressor> {
    private static final long serialVersionUID = 1L;

    /** Per-dimension target mean fitted on the training split, added back to predictions, or null. */
    private final double @Nullable [] targetMean;
    /** Per-dimension target standard deviation predictions are multiplied by, or null. */
    private final double @Nullable [] targetScale;

    MLPRegressionModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
                       ImmutableOutputInfo<Regressor> outputIDInfo, @Nullable InputTransform inputTransform,
                       Network network, TrainingHistory history, double @Nullable [] targetMean,
                       double @Nullable [] targetScale) {
        super(name, provenance, featureIDMap, outputIDInfo, false, inputTransform, network, history);
        if ((targetMean == null) != (targetScale == null)
                || (targetMean != null && (targetMean.length != outputIDInfo.size() || targetScale.length != outputIDInfo.size()))) {
            throw new IllegalArgumentException("Target mean and scale must both be absent or both have "
                    + outputIDInfo.size() + " values");
        }
        this.targetMean = targetMean;
        this.targetScale = targetScale;
    }

    @Override
    OutputHead<Regressor> head() {
        return new RegressionHead(outputIDInfo, SquaredError.mse(), targetMean, targetScale);
    }

    /** @return the training targets' mean per dimension (output id order), or null if they were not standardized. */
    public double @Nullable [] getTargetMean() {
        return targetMean == null ? null : targetMean.clone();
    }

    /** @return the training targets' standard deviation per dimension (output id order), or null. */
    public double @Nullable [] getTargetScale() {
        return targetScale == null ? null : targetScale.clone();
    }

    @Override
    OutputStep onnxOutput() {
        return OutputStep.identity(targetScale, targetMean);
    }

    @Override
    protected MLPRegressionModel copy(String newName, ModelProvenance newProvenance) {
        return new MLPRegressionModel(newName, newProvenance, featureIDMap, outputIDInfo, inputTransform, network.copy(),
                history, targetMean, targetScale);
    }

    @Override
    public ModelProto serialize() {
        MLPModelProto.Builder b = ModelCodec.encode(createDataCarrier(), this);
        if (targetMean != null) {
            for (int j = 0; j < targetMean.length; j++) {
                b.addTargetMean(targetMean[j]).addTargetScale(targetScale[j]);
            }
        }
        return ModelCodec.wrap(b, MLPRegressionModel.class);
    }

    /**
     * Deserialization factory, called reflectively by Tribuo's {@code ProtoUtil}.
     * @param version the serialized version.
     * @param className the class name (this class).
     * @param message the serialized {@code MLPModelProto}.
     * @return the model.
     * @throws InvalidProtocolBufferException if the message is not a valid MLPModelProto.
     */
    public static MLPRegressionModel deserializeFromProto(int version, String className, Any message)
            throws InvalidProtocolBufferException {
        ModelCodec.Decoded<Regressor> d = ModelCodec.decode(version, message, Regressor.class, "MLPRegressionModel");
        return new MLPRegressionModel(d.carrier().name(), d.carrier().provenance(), d.carrier().featureDomain(),
                d.outputs(), d.inputTransform(), d.network(), d.history(), toArray(d.proto().getTargetMeanList()),
                toArray(d.proto().getTargetScaleList()));
    }

    private static double @Nullable [] toArray(List<Double> values) {
        return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
