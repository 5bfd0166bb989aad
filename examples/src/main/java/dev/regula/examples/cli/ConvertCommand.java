package dev.regula.examples.cli;

import dev.regula.data.IdxFiles;
import dev.regula.data.ReferenceLayout;
import dev.regula.examples.tools.IdxToImageFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code regula convert}: IDX files to the reference CSV + PNG layout. */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Converts an IDX image/label pair to the reference layout: Train/train.csv + Train/Images/train/<n>.png, "
                + "or with --test the unlabelled Test.csv + Train/Images/test/<n>.png. --out must be new, empty or written "
                + "by an earlier convert (e.g. the training part before the test part), unless --overwrite is given.",
        footer = {"%nExample:%n  regula convert --images train-images-idx3-ubyte.gz --labels train-labels-idx1-ubyte.gz --out ref --limit 1000"})
final class ConvertCommand extends BaseCommand {
    @Option(names = "--images", required = true, paramLabel = "FILE", description = "IDX images file (gzip or not).")
    Path images;

    @Option(names = "--labels", required = true, paramLabel = "FILE", description = "IDX labels file (gzip or not).")
    Path labels;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Root of the reference layout to write.")
    Path out;

    @Option(names = "--test", description = "Write the unlabelled test side (Test.csv) instead of Train/train.csv.")
    boolean test;

    @Option(names = "--limit", paramLabel = "N", description = "Convert only the first N images (default: all).")
    int limit = Integer.MAX_VALUE;

    @Option(names = "--overwrite", description = "Write into an existing, non-empty --out folder that 'regula convert' "
            + "did not create (without it, such a folder is refused).")
    boolean overwrite;

    /** Name of the marker file identifying a folder written by convert. */
    static final String MARKER = ".regula-convert";

    @Override
    int execute() throws Exception {
        if (limit < 1) {
            throw new UserException("--limit must be >= 1, found " + limit);
        }
        for (Path p : new Path[]{images, labels}) {
            if (!Files.isRegularFile(p)) {
                throw new UserException("IDX file " + p + " does not exist");
            }
        }
        Path index = test ? ReferenceLayout.testIndex(out) : ReferenceLayout.trainIndex(out);
        Outputs.refuseInputs(index, "the index written under --out", List.of(new Outputs.Input(images, "the --images file"),
                new Outputs.Input(labels, "the --labels file")));
        Outputs.checkFolder(out, "--out", MARKER, "convert", overwrite);
        IdxFiles.validatePair(images, labels); // before anything is created
        try (Outputs.OutputLock lock = Outputs.lock(out, "convert")) {
            Outputs.prepareFolder(out, "--out", MARKER, "convert", overwrite);
            int n = IdxToImageFolder.convert(images, labels, out, test, limit);
            out().println("Wrote " + n + " images to " + out.toAbsolutePath());
        }
        return 0;
    }
}
