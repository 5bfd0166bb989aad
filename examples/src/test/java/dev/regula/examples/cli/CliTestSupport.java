package dev.regula.examples.cli;

import dev.regula.data.EmbeddedData;
import dev.regula.data.IdxFiles;
import dev.regula.data.ImageGeometry;
import org.tribuo.Example;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in-process and builds small IDX datasets from the embedded data (also used by the Spark module's tests). */
public final class CliTestSupport {
    private CliTestSupport() {}

    /**
     * The outcome of one CLI run.
     * @param exitCode the exit code.
     * @param out what it printed on standard output.
     * @param err what it printed on standard error.
     */
    public record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    /**
     * Runs the CLI in this JVM.
     * @param args its arguments.
     * @return the outcome.
     */
    public static Run run(String... args) {
        return run(RegulaCli.commandLine(), args);
    }

    static Run run(picocli.CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Writes the first {@code trainCount} embedded training images and the first {@code testCount} test images as
     * IDX files (not gzipped) in {@code dir}; with {@code testCount == 0} no t10k files are written.
     */
    static Path writeIdx(Path dir, int trainCount, int testCount) throws IOException {
        write(dir, IdxFiles.TRAIN, EmbeddedData.trainSource(), trainCount);
        if (testCount > 0) {
            write(dir, IdxFiles.TEST, EmbeddedData.testSource(), testCount);
        }
        return dir;
    }

    private static void write(Path dir, String split, Iterable<Example<Label>> source, int count) throws IOException {
        ImageGeometry g = EmbeddedData.geometry();
        List<double[]> images = new ArrayList<>();
        int[] labels = new int[count];
        for (Example<Label> e : source) {
            if (images.size() == count) {
                break;
            }
            labels[images.size()] = Integer.parseInt(e.getOutput().getLabel());
            images.add(IdxFiles.densify(e, g));
        }
        IdxFiles.writeImages(dir.resolve(split + "-images-idx3-ubyte"), g, images, false);
        IdxFiles.writeLabels(dir.resolve(split + "-labels-idx1-ubyte"), labels, false);
    }
}
