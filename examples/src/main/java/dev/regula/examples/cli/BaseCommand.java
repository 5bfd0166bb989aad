package dev.regula.examples.cli;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.config.io.ConfigLoaderException;
import dev.regula.mlp.BackupException;
import dev.regula.mlp.TrainingDivergedException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;

/**
 * Common behaviour of the subcommands: output through picocli's writers (so tests can capture them) and user
 * errors (bad values, unreadable files, invalid configurations) reported as one line on stderr with exit code 1.
 */
abstract class BaseCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command.
     * @return the exit code.
     * @throws Exception on failure; user errors are reported by {@link #call()}.
     */
    abstract int execute() throws Exception;

    @Override
    public final Integer call() throws Exception {
        try {
            return execute();
        } catch (Exception e) {
            String message = userMessage(e);
            if (message == null) {
                throw e; // a bug: let picocli print the stack trace
            }
            err().println(spec.qualifiedName() + ": " + message);
            err().flush();
            return RegulaCli.EXIT_ERROR;
        }
    }

    /** @return the standard output writer. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** @return the error output writer. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * The one-line message of a user error anywhere in the cause chain, or null if the exception is a bug.
     * @param e the exception.
     * @return the message or null.
     */
    static @Nullable String userMessage(Throwable e) {
        for (@Nullable Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserException || t instanceof PropertyException || t instanceof ConfigLoaderException
                    || t instanceof IllegalArgumentException || t instanceof TrainingDivergedException
                    || t instanceof BackupException) {
                return oneLine(t.getMessage(), t);
            }
            if (t instanceof NoSuchFileException) {
                return "file not found: " + t.getMessage();
            }
            if (t instanceof AccessDeniedException) {
                return "permission denied: " + t.getMessage();
            }
            if (t instanceof IOException || t instanceof UncheckedIOException) {
                return oneLine(t.getMessage(), t);
            }
        }
        return null;
    }

    private static String oneLine(@Nullable String message, Throwable t) {
        String m = message == null ? t.getClass().getSimpleName() : message;
        return m.replace('\n', ' ').replace('\r', ' ').trim();
    }
}
