package dev.regula.examples.cli;

import dev.regula.experiment.Reproduction;
import dev.regula.mlp.AbstractMLPModel;
import dev.regula.mlp.MLPModel;
import org.jspecify.annotations.Nullable;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code regula reproduce}: re-trains a saved model from its provenance and compares predictions. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Re-creates a saved model's trainer and training data from its provenance alone, trains again "
                + "with the recorded invocation count, and compares the predictions of the two models bit for bit.",
                "Exit code 0 if every prediction is identical, 3 if any differs, 1 if the model cannot be re-created."},
        footer = {"%nExample:%n  regula reproduce --model study-out/dropout/model.tribuo"})
final class ReproduceCommand extends BaseCommand {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The saved model (Tribuo protobuf).")
    Path model;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data whose test set the predictions are compared on (as for study --data; default: the rebuilt training data).")
    @Nullable Path data;

    @Option(names = "--embedded", description = "Compare on the embedded test set instead of the training data.")
    boolean embedded;

    @Override
    int execute() throws Exception {
        if (data != null || embedded) {
            MLPModel original = ModelFiles.read(model); // image test sets are labelled: classification only
            return reproduce(original, new MutableDataset<>(DataSet.load(data, 0.2, 1).test));
        }
        return reproduce(ModelFiles.readAny(model), null);
    }

    private <T extends Output<T>, M extends AbstractMLPModel<T>> int reproduce(M original, @Nullable Dataset<T> compareOn) {
        var reproduction = Reproduction.of(original);
        out().println("Trainer: " + reproduction.getTrainer());
        out().println("Data: " + reproduction.getDataSource());
        out().println("Invocation count: " + reproduction.getInvocationCount());
        if (!reproduction.getDataChanges().isEmpty()) {
            out().println("The training data changed since the model was trained:");
            for (String change : reproduction.getDataChanges()) {
                out().println("  " + change);
            }
            out().println("The predictions cannot be expected to be identical; re-training to show how far they differ.");
        }
        out().flush();
        var result = reproduction.reproduce(original, compareOn);
        out().println("Provenance differences (times excluded): " + (result.provenanceDiff().isEmpty() ? "none"
                : "\n" + result.provenanceDiff()));
        if (result.identical()) {
            out().println("IDENTICAL: all " + result.total() + " predictions are bitwise equal");
            return 0;
        }
        out().println("DIFFERENT: " + result.differingPredictions() + " of " + result.total() + " predictions differ");
        return RegulaCli.EXIT_NOT_REPRODUCED;
    }
}
