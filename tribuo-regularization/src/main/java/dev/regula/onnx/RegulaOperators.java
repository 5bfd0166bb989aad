package dev.regula.onnx;

import ai.onnx.proto.OnnxMl;
import org.jspecify.annotations.Nullable;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

import java.util.Map;
import java.util.Set;

/**
 * The standard ONNX operators the exported networks need that Tribuo 4.3.2's {@link ONNXOperators} does not define.
 * All are in the default domain at the same opset as Tribuo's own ({@link ONNXOperators#getOpsetVersion()}, 13), so
 * the single opset import Tribuo writes covers them.
 */
public enum RegulaOperators implements ONNXOperator {
    /** {@code Relu}: {@code max(0, x)} element-wise. */
    RELU("Relu", Map.of()),
    /** {@code Tanh}: the hyperbolic tangent element-wise. */
    TANH("Tanh", Map.of()),
    /**
     * {@code Elu}: {@code x} for {@code x > 0}, else {@code alpha·(e^x − 1)}, element-wise.
     * <ul><li>{@code alpha}: float, defaults to 1.0.</li></ul>
     */
    ELU("Elu", Map.of("alpha", new ONNXAttribute("alpha", OnnxMl.AttributeProto.AttributeType.FLOAT, false))),
    /** {@code Sqrt}: the square root element-wise. */
    SQRT("Sqrt", Map.of());

    private final String opName;
    private final Map<String, ONNXAttribute> attributes;

    RegulaOperators(String opName, Map<String, ONNXAttribute> attributes) {
        this.opName = opName;
        this.attributes = attributes;
    }

    @Override
    public String getOpName() {
        return opName;
    }

    /** @return 1: each operator takes one tensor. */
    @Override
    public int getNumInputs() {
        return 1;
    }

    /** @return 0: no operator has optional inputs. */
    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    /** @return 1: each operator returns one tensor. */
    @Override
    public int getNumOutputs() {
        return 1;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    /** @return the empty set: no attribute is mandatory. */
    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Set.of();
    }

    /** @return Tribuo's opset version, {@link ONNXOperators#getOpsetVersion()}. */
    @Override
    public int getOpVersion() {
        return ONNXOperators.getOpsetVersion();
    }

    /** @return null: the default ONNX domain, as for Tribuo's own operators. */
    @Override
    public @Nullable String getOpDomain() {
        return null;
    }
}
