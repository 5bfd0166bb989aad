package dev.regula.onnx;

import dev.regula.augment.InputTransform;
import dev.regula.nn.Activation;
import dev.regula.nn.LayerSpec;
import dev.regula.nn.Network;
import org.jspecify.annotations.Nullable;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXRef;

import java.util.List;
import java.util.Map;

/**
 * Writes a network's whole prediction path into an ONNX graph, on a float input {@code [batch, d]} in the model's
 * feature-id order:
 * <pre>
 *   input transform (in {@link InputTransform#apply} order, each step present only if the model has it):
 *     μ ← ReduceMean(x, axis 1), in double                   SAMPLEWISE_CENTER
 *     m ← 1 / (Sqrt(ReduceMean((x − μ)², axis 1)) + 1e-6)    SAMPLEWISE_STD (in double)
 *     x ← (x − float(μ)) · float(m)                          (without SAMPLEWISE_STD: x − float(μ))
 *     x ← x − μ                                              FEATURE_MEAN
 *     x ← x · s                                              FEATURE_SCALE
 *     x ← Gemm(x, W)                                         WHITENING
 *   per dense layer l:  a ← f_l(Gemm(a, W_l, b_l))           f_l ∈ {Relu, Tanh, Sigmoid, Elu(α=1), none}
 *   output:             Softmax(axis 1) | Sigmoid | z (· scale + shift)
 * </pre>
 * Dropout (input and hidden) is the identity at inference and writes nothing. The steps mirror the Java
 * prediction path one for one, in float32, rather than folding them (e.g. the feature-wise steps into the
 * whitening product), so the two round alike. An activation, transform step or output this class does not know is
 * refused with an {@link IllegalArgumentException} naming it, never left out.
 */
public final class NetworkGraph {

    private NetworkGraph() {}

    /**
     * Writes transform, layers and output step after {@code input}.
     * @param input the graph's input, {@code [batch, network.numInputs()]} float.
     * @param transform the model's input transform, or null.
     * @param network the network.
     * @param output the output step.
     * @return the node holding the predictions, {@code [batch, network.numOutputs()]} float.
     * @throws IllegalArgumentException naming a part that has no ONNX form here, or if the sizes disagree.
     */
    public static ONNXNode write(ONNXRef<?> input, @Nullable InputTransform transform, Network network, OutputStep output) {
        if (transform != null && transform.getDimension() != network.numInputs()) {
            throw new IllegalArgumentException("the input transform has dimension " + transform.getDimension()
                    + " but the network has " + network.numInputs() + " inputs");
        }
        double[] scale = output.scale();
        if (scale != null && scale.length != network.numOutputs()) {
            throw new IllegalArgumentException("the output rescaling has " + scale.length + " values but the network has "
                    + network.numOutputs() + " outputs");
        }
        ONNXRef<?> x = transform == null ? input : inputTransform(input, transform);
        return output(layers(x, network), output);
    }

    /**
     * Writes the steps of an input transform.
     * @param input the rows, {@code [batch, d]}.
     * @param transform the transform.
     * @return the transformed rows (the input itself for the identity).
     */
    public static ONNXRef<?> inputTransform(ONNXRef<?> input, InputTransform transform) {
        ONNXContext ctx = input.onnxContext();
        int d = transform.getDimension();
        ONNXRef<?> x = input;
        List<InputTransform.Step> steps = transform.getSteps();
        for (InputTransform.Step step : steps) {
            x = switch (step) {
                case SAMPLEWISE_CENTER -> samplewise(x, steps.contains(InputTransform.Step.SAMPLEWISE_STD));
                // Written with the centring, which always precedes it: both use the row's statistics.
                case SAMPLEWISE_STD -> {
                    if (!steps.contains(InputTransform.Step.SAMPLEWISE_CENTER)) {
                        throw new IllegalArgumentException("the input transform divides rows by their std without "
                                + "centring them, which InputTransform never does; this model cannot be exported");
                    }
                    yield x;
                }
                case FEATURE_MEAN -> x.apply(ONNXOperators.SUB, ctx.array("input_mean", nonNull(transform.getMean())));
                case FEATURE_SCALE -> x.apply(ONNXOperators.MUL, ctx.array("input_scale", nonNull(transform.getScale())));
                case WHITENING -> x.apply(ONNXOperators.GEMM,
                        List.<ONNXRef<?>>of(matrix(ctx, "input_whitening", nonNull(transform.getWhitening()), d, d)));
                default -> throw new IllegalArgumentException("the input transform step " + step
                        + " has no ONNX form in " + NetworkGraph.class.getSimpleName() + "; this model cannot be exported");
            };
        }
        return x;
    }

    /**
     * Writes the dense layers: {@code Gemm(a, W_l, b_l)} and the layer's activation.
     * @param input the layer input, {@code [batch, network.numInputs()]}.
     * @param network the network.
     * @return the output layer's activations (before the output step).
     */
    public static ONNXNode layers(ONNXRef<?> input, Network network) {
        ONNXContext ctx = input.onnxContext();
        List<LayerSpec> specs = network.getLayers();
        ONNXRef<?> a = input;
        ONNXNode z = null;
        for (int l = 0; l < specs.size(); l++) {
            LayerSpec s = specs.get(l);
            ONNXInitializer kernel = matrix(ctx, "dense_" + l + "_kernel", network.getKernel(l), s.inputs(), s.units());
            ONNXInitializer bias = ctx.array("dense_" + l + "_bias", network.getBias(l));
            z = activation(a.apply(ONNXOperators.GEMM, List.<ONNXRef<?>>of(kernel, bias)), s.activation(), l);
            a = z;
        }
        if (z == null) {
            throw new IllegalArgumentException("the network has no layers");
        }
        return z;
    }

    /**
     * Writes one activation.
     * @param z the pre-activations.
     * @param activation the activation.
     * @param layer the layer index, for the error message.
     * @return the activations ({@code z} itself for {@link Activation#LINEAR}).
     * @throws IllegalArgumentException if the activation has no ONNX form here.
     */
    static ONNXNode activation(ONNXNode z, Activation activation, int layer) {
        return switch (activation) {
            case RELU -> z.apply(RegulaOperators.RELU);
            case TANH -> z.apply(RegulaOperators.TANH);
            case SIGMOID -> z.apply(ONNXOperators.SIGMOID);
            case ELU -> z.apply(RegulaOperators.ELU, Map.of("alpha", 1.0f));
            case LINEAR -> z;
            default -> throw new IllegalArgumentException("layer " + layer + "'s activation " + activation
                    + " has no ONNX form in " + NetworkGraph.class.getSimpleName() + "; this model cannot be exported");
        };
    }

    private static ONNXNode output(ONNXNode z, OutputStep output) {
        return switch (output.kind()) {
            case SOFTMAX -> z.apply(ONNXOperators.SOFTMAX, Map.of("axis", 1));
            case SIGMOID -> z.apply(ONNXOperators.SIGMOID);
            case IDENTITY -> {
                double[] scale = output.scale();
                double[] shift = output.shift();
                if (scale == null || shift == null) {
                    yield z;
                }
                ONNXContext ctx = z.onnxContext();
                yield z.apply(ONNXOperators.MUL, ctx.array("target_scale", toFloat(scale)))
                        .apply(ONNXOperators.ADD, ctx.array("target_mean", toFloat(shift)));
            }
            default -> throw new IllegalArgumentException("the output step " + output.kind()
                    + " has no ONNX form in " + NetworkGraph.class.getSimpleName() + "; this model cannot be exported");
        };
    }

    /**
     * The sample-wise steps as {@link InputTransform#apply} computes them: the row's mean μ and, with {@code std},
     * the factor {@code m = 1 / (sqrt(mean((x − μ)²)) + 1e-6)} in double precision, both rounded to float, then
     * {@code (x − μ)·m} in float. The statistics are computed in double (through {@code Cast}) because what follows
     * can amplify their rounding: after sample-wise centring every row is orthogonal to the all-ones direction, so a
     * whitening fitted on such rows scales that direction by about {@code 1/sqrt(zcaEpsilon)}, and a float32 row mean
     * measured here put 2.6e-4 of difference into the probabilities.
     */
    private static ONNXRef<?> samplewise(ONNXRef<?> x, boolean std) {
        ONNXContext ctx = x.onnxContext();
        ONNXNode wide = x.cast(double.class);
        ONNXNode mean = rowMean(wide);
        ONNXNode centred = x.apply(ONNXOperators.SUB, mean.cast(float.class));
        if (!std) {
            return centred;
        }
        ONNXNode deviation = wide.apply(ONNXOperators.SUB, mean);
        ONNXNode sd = rowMean(deviation.apply(ONNXOperators.MUL, deviation)).apply(RegulaOperators.SQRT);
        ONNXNode denominator = sd.apply(ONNXOperators.ADD,
                ctx.array("samplewise_std_epsilon", new double[]{InputTransform.STD_EPSILON}, false));
        ONNXNode factor = ctx.array("one", new double[]{1.0}, false).apply(ONNXOperators.DIV, denominator);
        return centred.apply(ONNXOperators.MUL, factor.cast(float.class));
    }

    /** {@code ReduceMean} over the features (axis 1), keeping the axis: {@code [batch, 1]}. */
    private static ONNXNode rowMean(ONNXRef<?> x) {
        return x.apply(ONNXOperators.REDUCE_MEAN, Map.of("axes", new int[]{1}, "keepdims", 1));
    }

    /** A {@code rows × cols} float initializer from a row-major array. */
    private static ONNXInitializer matrix(ONNXContext ctx, String name, float[] values, int rows, int cols) {
        if (values.length != rows * cols) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, expected " + rows + "x" + cols);
        }
        return ctx.floatTensor(name, List.of(rows, cols), fb -> fb.put(values));
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static float[] nonNull(float @Nullable [] values) {
        if (values == null) {
            throw new IllegalStateException("an input transform step lists statistics it does not have");
        }
        return values;
    }
}
