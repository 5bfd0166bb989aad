package dev.regula.onnx;

import ai.onnx.proto.OnnxMl;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import dev.regula.data.AtomicFiles;
import org.tribuo.ONNXExportable;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds and writes the ONNX model file of a network: one float input {@value #INPUT_NAME} {@code [batch, features]}
 * (the model's feature-id order), one float output {@value #OUTPUT_NAME} {@code [batch, outputs]} (output-id order),
 * Tribuo's model header ({@link ONNXExportable#buildModel}: IR version 6, producer "Tribuo", the default opset 13)
 * with the provenance under {@link ONNXExportable#PROVENANCE_METADATA_FIELD}, and Regula's own metadata keys.
 */
public final class OnnxExport {
    /** The graph input's name, as in Tribuo's own ONNX exports. */
    public static final String INPUT_NAME = "input";
    /** The graph output's name, as in Tribuo's own ONNX exports. */
    public static final String OUTPUT_NAME = "output";
    /** Metadata key: what the output holds ({@code probabilities}, {@code label-probabilities} or {@code values}). */
    public static final String OUTPUT_METADATA = "regula-output";
    /** Metadata key of a multi-label model's decision threshold on each label's probability. */
    public static final String THRESHOLD_METADATA = "regula-threshold";
    /**
     * The largest parameter payload exported, in bytes: a protobuf message (the whole ONNX file) holds less than
     * 2 GiB, and one float tensor at most 2^31 − 1 bytes.
     */
    public static final long MAX_PARAMETER_BYTES = 2_000_000_000L;

    private OnnxExport() {}

    /**
     * Refuses a model too large for one ONNX protobuf file.
     * @param floats the number of float values the graph stores (weights, biases and statistics).
     * @throws IllegalArgumentException naming the size and the limit.
     */
    public static void requireExportableSize(long floats) {
        if (floats < 0 || floats > MAX_PARAMETER_BYTES / Float.BYTES) {
            throw new IllegalArgumentException("the model stores " + floats + " float values (" + (floats * Float.BYTES)
                    + " bytes) but an ONNX file, a single protobuf message, holds at most " + MAX_PARAMETER_BYTES
                    + " bytes of parameters; this model cannot be exported to ONNX");
        }
    }

    /**
     * Builds the ONNX model.
     * @param graphName the graph's name.
     * @param features the input width.
     * @param outputs the output width.
     * @param graph writes the prediction path after the input and returns its last node.
     * @param domain the model's domain (reverse-DNS name).
     * @param modelVersion the model's version.
     * @param model the model, whose provenance and description go into the file.
     * @param metadata extra metadata entries (key → value).
     * @param <M> the model type.
     * @return the ONNX model.
     */
    public static <M extends Provenancable<ModelProvenance>> OnnxMl.ModelProto build(String graphName, int features,
            int outputs, Function<ONNXRef<?>, ONNXNode> graph, String domain, long modelVersion, M model,
            Map<String, String> metadata) {
        ONNXContext ctx = new ONNXContext();
        ctx.setName(graphName);
        ONNXPlaceholder input = ctx.floatInput(INPUT_NAME, features);
        ONNXPlaceholder output = ctx.floatOutput(OUTPUT_NAME, outputs);
        graph.apply(input).assignTo(output);
        OnnxMl.ModelProto.Builder b = ONNXExportable.buildModel(ctx, domain, modelVersion, model).toBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
            b.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        return b.build();
    }

    /**
     * Writes an ONNX model to a file, atomically: to a temporary name in the same folder, then moved into place, so
     * that a failure leaves the previous file (or none) and no partial file. The folder must exist.
     * @param proto the model.
     * @param path the file to write.
     * @throws IOException naming the file and the reason: a missing folder, a folder given as the file, or a
     *                     failed write.
     */
    public static void save(OnnxMl.ModelProto proto, Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null) {
            throw new IOException("cannot write the ONNX model to " + path + ": it names no file in a folder");
        }
        if (!Files.exists(dir)) {
            throw new IOException("cannot write the ONNX model to " + path + ": the folder " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("cannot write the ONNX model to " + path + ": " + dir + " is not a folder");
        }
        if (Files.isDirectory(absolute)) {
            throw new IOException("cannot write the ONNX model to " + path + ": it is a folder; give the file to write, "
                    + "e.g. " + absolute.resolve("model.onnx"));
        }
        AtomicFiles.write(absolute, proto::writeTo);
    }
}
