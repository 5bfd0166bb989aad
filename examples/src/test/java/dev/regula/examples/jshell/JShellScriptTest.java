package dev.regula.examples.jshell;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code examples/jshell/regula-demo.jsh} through the {@code jdk.jshell} API and fails on any snippet that
 * does not compile or throws. The {@code jshell} tool itself cannot be used for this: it reports such snippets
 * and carries on, exiting with status 0.
 */
class JShellScriptTest {
    private static final Path SCRIPT = Path.of("jshell", "regula-demo.jsh");

    @Test
    void demoScriptTrainsAndReportsAccuracy() throws IOException {
        try (JShell shell = newShell()) {
            run(shell, Files.readString(SCRIPT, StandardCharsets.UTF_8));
            double accuracy = Double.parseDouble(value(shell, "accuracy"));
            // 10 classes: chance is 0.1; a 64-unit network after 2 epochs gets well above 0.7.
            assertTrue(accuracy > 0.7, "accuracy " + accuracy);
            assertEquals("2000", value(shell, "test.size()"));
            assertEquals("2", value(shell, "model.getHistory().getEpochsRun()"));
        }
    }

    @Test
    void aSnippetThatDoesNotCompileFailsTheRun() {
        try (JShell shell = newShell()) {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> run(shell, "int ok = 1;\nString s = 42;\nint never = 2;\n"));
            assertTrue(e.getMessage().contains("incompatible types"), e.getMessage());
            assertTrue(e.getMessage().contains("String s = 42;"), e.getMessage());
        }
    }

    @Test
    void aChainContinuedOnTheNextLineIsANewSnippetAsInTheTool() {
        try (JShell shell = newShell()) {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> run(shell, "var b = new StringBuilder()\n    .append(1);\n"));
            assertTrue(e.getMessage().contains(".append(1);"), e.getMessage());
        }
    }

    @Test
    void aSnippetThatThrowsFailsTheRun() {
        try (JShell shell = newShell()) {
            AssertionError e = assertThrows(AssertionError.class, () -> run(shell,
                    "import dev.regula.mlp.MLPTrainer;\nMLPTrainer.builder().epochs(0).build();\n"));
            assertTrue(e.getMessage().contains("epochs must be >= 1"), e.getMessage());
        }
    }

    @Test
    void aMethodWithAnUnresolvedReferenceFailsTheRun() {
        try (JShell shell = newShell()) {
            AssertionError e = assertThrows(AssertionError.class,
                    () -> run(shell, "void train() { NoSuchTrainer.run(); }\n"));
            assertTrue(e.getMessage().contains("NoSuchTrainer"), e.getMessage());
        }
    }

    /** A JShell running in this JVM with the test class path (the library and its dependencies). */
    private static JShell newShell() {
        JShell shell = JShell.builder().executionEngine("local").build();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                shell.addToClasspath(entry);
            }
        }
        return shell;
    }

    /**
     * Evaluates a script the way the jshell tool reads a file: line by line, evaluating a snippet as soon as the
     * lines read so far complete one (so a line that starts with {@code .method()} after a complete statement is a
     * new, invalid snippet, as in the tool). Stops at the first problem. {@code /exit} ends the script; other tool
     * commands are rejected.
     */
    static void run(JShell shell, String script) {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        StringBuilder pending = new StringBuilder();
        for (String line : script.split("\\R", -1)) {
            String trimmed = line.strip();
            if (pending.toString().isBlank() && trimmed.startsWith("/") && !trimmed.startsWith("//")
                    && !trimmed.startsWith("/*")) {
                if (trimmed.startsWith("/exit")) {
                    return;
                }
                throw new AssertionError("unsupported jshell command in script: " + trimmed);
            }
            pending.append(line).append('\n');
            String buffer = pending.toString();
            while (true) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(buffer);
                if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                    buffer = "";
                    break;
                }
                if (!info.completeness().isComplete()) {
                    break;
                }
                check(shell, info.source(), shell.eval(info.source()));
                buffer = info.remaining();
            }
            pending.setLength(0);
            pending.append(buffer);
        }
        if (!pending.toString().isBlank()) {
            throw new AssertionError("incomplete snippet at the end of the script: " + pending.toString().strip());
        }
    }

    private static void check(JShell shell, String source, List<SnippetEvent> events) {
        for (SnippetEvent event : events) {
            if (event.exception() != null) {
                throw new AssertionError("snippet threw " + event.exception() + ":\n" + source.strip(), event.exception());
            }
            Snippet snippet = event.snippet();
            Snippet.Status status = event.status();
            if (event.causeSnippet() == null && status != Snippet.Status.VALID && status != Snippet.Status.OVERWRITTEN) {
                String diagnostics = shell.diagnostics(snippet)
                        .map(d -> d.getMessage(null))
                        .collect(Collectors.joining("; "));
                String unresolved = snippet instanceof DeclarationSnippet declaration
                        ? shell.unresolvedDependencies(declaration).collect(Collectors.joining(", "))
                        : "";
                throw new AssertionError("snippet " + status + (diagnostics.isEmpty() ? "" : ": " + diagnostics)
                        + (unresolved.isEmpty() ? "" : "; unresolved: " + unresolved) + "\n" + source.strip());
            }
        }
    }

    private static String value(JShell shell, String expression) {
        List<SnippetEvent> events = shell.eval(expression);
        check(shell, expression, events);
        return events.get(0).value();
    }
}
