package dev.regula.examples.cli;

import ai.onnx.proto.OnnxMl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.regula.examples.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code regula export}: the ONNX file and its column names, and the refusals that protect existing files. */
class ExportCommandTest {
    private static final Logger REGULA = Logger.getLogger("dev.regula");

    @TempDir
    static Path tmp;
    private static Path model;

    @BeforeAll
    static void train() throws IOException {
        REGULA.setLevel(Level.WARNING);
        Path data = CliTestSupport.writeIdx(Files.createDirectories(tmp.resolve("idx")), 200, 0);
        model = tmp.resolve("m/model.tribuo");
        CliTestSupport.Run t = run("train", "--data", data.toString(), "--model", model.toString(), "--hidden", "16",
                "--epochs", "1", "--threads", "1", "--test-fraction", "0.2");
        assertEquals(0, t.exitCode(), t.toString());
    }

    @Test
    void writesTheOnnxFileAndTheColumnNames() throws Exception {
        Path onnx = tmp.resolve("out/model.onnx");
        Path names = tmp.resolve("out/names.csv");
        Files.createDirectories(onnx.getParent());
        CliTestSupport.Run r = run("export", "--model", model.toString(), "--onnx", onnx.toString(), "--names", names.toString());
        assertEquals(0, r.exitCode(), r.toString());
        Model<?> m = Model.deserializeFromFile(model);
        // Pixels that are zero in every training image are not features at all (Tribuo is sparse): d < 784 here.
        int d = m.getFeatureIDMap().size();
        assertTrue(r.out().contains("input 'input' float [batch, " + d + "], output 'output' float [batch, 10]"), r.out());
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx));
        assertTrue(proto.getMetadataPropsList().stream().anyMatch(e -> e.getKey().equals(ONNXExportable.PROVENANCE_METADATA_FIELD)
                && e.getValue().equals(((ONNXExportable) m).serializeProvenance(m.getProvenance()))), "provenance in the metadata");
        assertEquals(((ONNXExportable) m).exportONNXModel("dev.regula.mlp", 1), proto, "the file is the model's export");

        List<String> lines = Files.readAllLines(names);
        assertEquals("tensor,index,name", lines.get(0));
        assertEquals(1 + d + 10, lines.size());
        for (int i = 0; i < d; i++) {
            assertEquals("input," + i + "," + m.getFeatureIDMap().get(i).getName(), lines.get(1 + i));
        }
        String[] labels = new String[10];
        for (int j = 0; j < 10; j++) {
            labels[j] = lines.get(1 + d + j).replaceFirst("^output," + j + ",", "");
        }
        String[] expected = new String[10];
        for (int j = 0; j < 10; j++) {
            expected[j] = ((org.tribuo.classification.Label) m.getOutputIDInfo().getOutput(j)).getLabel();
        }
        assertArrayEquals(expected, labels);
    }

    @Test
    void anExistingFileIsKeptWithoutOverwrite() throws IOException {
        Path onnx = Files.writeString(tmp.resolve("existing.onnx"), "mine");
        CliTestSupport.Run r = run("export", "--model", model.toString(), "--onnx", onnx.toString());
        assertEquals(RegulaCli.EXIT_ERROR, r.exitCode(), r.toString());
        assertTrue(r.err().contains("already exists") && r.err().contains("--overwrite"), r.err());
        assertEquals("mine", Files.readString(onnx));
        CliTestSupport.Run o = run("export", "--model", model.toString(), "--onnx", onnx.toString(), "--overwrite");
        assertEquals(0, o.exitCode(), o.toString());
        OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnx));
    }

    @Test
    void aMissingFolderIsAOneLineErrorAndCreatesNothing() {
        Path missing = tmp.resolve("missing");
        CliTestSupport.Run r = run("export", "--model", model.toString(), "--onnx", missing.resolve("model.onnx").toString());
        assertEquals(RegulaCli.EXIT_ERROR, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("regula export: ") && r.err().contains("does not exist"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(missing));
    }

    @Test
    void theModelFileIsNeverTheOutput() throws IOException {
        byte[] before = Files.readAllBytes(model);
        CliTestSupport.Run r = run("export", "--model", model.toString(), "--onnx", model.toString(), "--overwrite");
        assertEquals(RegulaCli.EXIT_ERROR, r.exitCode(), r.toString());
        assertArrayEquals(before, Files.readAllBytes(model));
        CliTestSupport.Run n = run("export", "--model", model.toString(), "--onnx", tmp.resolve("x.onnx").toString(),
                "--names", model.toString(), "--overwrite");
        assertEquals(RegulaCli.EXIT_ERROR, n.exitCode(), n.toString());
        assertArrayEquals(before, Files.readAllBytes(model));
    }

    @Test
    void aFileThatIsNotAModelIsAOneLineError() throws IOException {
        Path junk = Files.writeString(tmp.resolve("junk.tribuo"), "not a model");
        CliTestSupport.Run r = run("export", "--model", junk.toString(), "--onnx", tmp.resolve("junk.onnx").toString());
        assertEquals(RegulaCli.EXIT_ERROR, r.exitCode(), r.toString());
        assertTrue(r.err().contains("cannot read " + junk), r.err());
        assertFalse(Files.exists(tmp.resolve("junk.onnx")));
    }
}
