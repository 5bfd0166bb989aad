package dev.regula.examples.cli;

import dev.regula.data.AtomicFiles;
import dev.regula.mlp.AbstractMLPModel;
import dev.regula.onnx.OnnxExport;
import org.jspecify.annotations.Nullable;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Output;
import org.tribuo.classification.Label;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.regression.Regressor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code regula export}: writes a saved network model as an ONNX file. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Writes a saved model (classification, regression or multi-label) as an ONNX file: its input "
                + "transform, layers and output in one graph, the provenance in the metadata (docs/onnx.md).",
                "Input 'input': float [batch, features] in the model's feature-id order; output 'output': float "
                        + "[batch, outputs] in output-id order (--names lists both orders). The file is written "
                        + "atomically; its folder must exist, and an existing file is replaced only with --overwrite."},
        footer = {"%nExample:%n  regula export --model study-out/baseline/model.tribuo --onnx baseline.onnx --names baseline-names.csv"})
final class ExportCommand extends BaseCommand {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The saved model (Tribuo protobuf).")
    Path model;

    @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The ONNX file to write.")
    Path onnx;

    @Option(names = "--names", paramLabel = "FILE",
            description = "Also write a CSV 'tensor,index,name' naming each input column (feature) and output column.")
    @Nullable Path names;

    @Option(names = "--domain", paramLabel = "NAME", description = "The ONNX model domain (default: ${DEFAULT-VALUE}).")
    String domain = "dev.regula.mlp";

    @Option(names = "--model-version", paramLabel = "N", description = "The ONNX model version (default: ${DEFAULT-VALUE}).")
    long modelVersion = 1;

    @Option(names = "--overwrite", description = "Replace an existing --onnx (or --names) file.")
    boolean overwrite;

    @Override
    int execute() throws Exception {
        if (modelVersion < 0) {
            throw new UserException("--model-version must be >= 0, found " + modelVersion);
        }
        List<Outputs.Input> inputs = List.of(new Outputs.Input(model, "the --model file"));
        Outputs.refuseInputs(onnx, "--onnx", inputs);
        checkTarget(onnx, "--onnx");
        if (names != null) {
            Outputs.refuseInputs(names, "--names", inputs);
            if (names.toAbsolutePath().normalize().equals(onnx.toAbsolutePath().normalize())) {
                throw new UserException("--names and --onnx name the same file " + onnx);
            }
            checkTarget(names, "--names");
        }
        AbstractMLPModel<?> m = ModelFiles.readAny(model);
        m.saveONNXModel(domain, modelVersion, onnx);
        out().printf(Locale.ROOT, "Wrote %s (%,d bytes): input '%s' float [batch, %d], output '%s' float [batch, %d] (%s)%n",
                onnx.toAbsolutePath(), Files.size(onnx), OnnxExport.INPUT_NAME, m.getFeatureIDMap().size(),
                OnnxExport.OUTPUT_NAME, m.getOutputIDInfo().size(), outputKind(m));
        if (names != null) {
            AtomicFiles.writeString(names, namesCsv(m.getFeatureIDMap(), m.getOutputIDInfo()));
            out().println("Wrote the column names to " + names.toAbsolutePath());
        }
        return 0;
    }

    /** Refuses a folder, a missing folder, or an existing file without --overwrite, before the model is read. */
    private void checkTarget(Path file, String option) {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new UserException(option + " " + file + " is a folder; give the file to write, e.g. " + file.resolve("model.onnx"));
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserException(option + " " + file + ": the folder " + dir + " does not exist");
        }
        if (Files.exists(file) && !overwrite) {
            throw new UserException(option + " " + file + " already exists; choose another name or add --overwrite to replace it");
        }
    }

    private static String outputKind(AbstractMLPModel<?> m) {
        return switch (m.getClass().getSimpleName()) {
            case "MLPModel" -> "softmax probabilities";
            case "MLPMultiLabelModel" -> "sigmoid probability per label";
            default -> "regression values";
        };
    }

    /** {@code tensor,index,name} rows: the input columns in feature-id order, then the output columns. */
    static <T extends Output<T>> String namesCsv(ImmutableFeatureMap features, ImmutableOutputInfo<T> outputs) {
        StringBuilder sb = new StringBuilder("tensor,index,name\n");
        for (int i = 0; i < features.size(); i++) {
            sb.append(OnnxExport.INPUT_NAME).append(',').append(i).append(',').append(csv(features.get(i).getName())).append('\n');
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            T o = outputs.getOutput(i);
            out.add(o instanceof Regressor r ? r.getNames()[0] : o instanceof MultiLabel ml ? ml.getLabelString()
                    : o instanceof Label l ? l.getLabel() : o.getSerializableForm(false));
        }
        for (int i = 0; i < out.size(); i++) {
            sb.append(OnnxExport.OUTPUT_NAME).append(',').append(i).append(',').append(csv(out.get(i))).append('\n');
        }
        return sb.toString();
    }

    private static String csv(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
