package dev.regula.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * Entry point of {@code regula.jar}: {@code regula <command> [options]}; {@code regula <command> --help} describes
 * each command. Exit codes: 0 success, 1 error (a one-line message on stderr), 2 invalid command line,
 * 3 {@code reproduce} found differing predictions.
 */
@Command(name = "regula", mixinStandardHelpOptions = true, version = "regula 0.1.0",
        description = "Regularization for Tribuo: the regularization study, grid search, training, prediction, reproduction and ONNX export.",
        subcommands = {StudyCommand.class, GridCommand.class, TrainCommand.class, PredictCommand.class,
                ReproduceCommand.class, ConvertCommand.class, ExportCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class RegulaCli implements Runnable {
    /** Exit code of a failed command (bad input, unreadable data, ...). */
    public static final int EXIT_ERROR = 1;
    /** Exit code of an invalid command line (picocli's usage error). */
    public static final int EXIT_USAGE = 2;
    /** Exit code of {@code reproduce} when the predictions differ. */
    public static final int EXIT_NOT_REPRODUCED = 3;

    /** The commands print their own per-epoch progress, so {@link #main} keeps the library's INFO lines quiet (held strongly). */
    private static final java.util.logging.Logger REGULA_LOGGER = java.util.logging.Logger.getLogger("dev.regula");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Creates the top command; use {@link #commandLine()} for the configured {@link CommandLine}. */
    public RegulaCli() {}

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /**
     * A {@link CommandLine} for this CLI whose usage errors are one line ({@code regula study: message}) followed by
     * a hint to use {@code --help}, instead of picocli's full usage text.
     * @return the command line.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new RegulaCli());
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return EXIT_USAGE;
        });
        return cl;
    }

    /**
     * Runs the CLI and exits with its exit code.
     * @param args command-line arguments.
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        REGULA_LOGGER.setLevel(java.util.logging.Level.WARNING);
        System.exit(commandLine().execute(args));
    }
}
