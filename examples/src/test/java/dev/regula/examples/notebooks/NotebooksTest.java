package dev.regula.examples.notebooks;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Executes the notebooks in {@code examples/notebooks} headless through {@code run_notebooks.py} (nbclient), and
 * fails if any cell fails. The notebooks load Regula by its Maven coordinates from the local Maven repository, as a
 * user would after {@code mvn install}; nothing is copied beside them.
 * <p>
 * Needs Debian's Jupyter ({@code /usr/bin/python3} with nbclient), the kernels installed by
 * {@code examples/notebooks/install-kernels.sh} into {@code examples/target/jupyter}, and the library installed in
 * the local Maven repository ({@code mvn install -DskipTests}, which {@code .ci/run} does). Without them the tests are
 * skipped with a message, except when the environment variable {@code CI} is {@code true}: there a missing
 * prerequisite fails the build, so CI cannot skip the notebooks silently.
 */
class NotebooksTest {
    private static final Path NOTEBOOKS = Path.of("notebooks");
    private static final Path RUNNER = NOTEBOOKS.resolve("run_notebooks.py");
    private static final long TIMEOUT_MINUTES = 10;

    /**
     * Time allowed for the Python import check. Generous: on a fresh machine the first import of the Jupyter
     * modules reads them from a cold disk cache, and a 1 s limit once failed CI that way.
     */
    private static final long IMPORT_TIMEOUT_SECONDS = 120;

    private static Path python;
    private static Path installedJar;
    private static Path jupyterPath;
    private static Path out;
    /** Why the tests are skipped, or null when everything they need is there. */
    private static String skipReason;

    @BeforeAll
    static void prerequisites() throws IOException, InterruptedException {
        python = Path.of(System.getProperty("regula.notebooks.python", "/usr/bin/python3"));
        String version = required("regula.version");
        installedJar = Path.of(required("regula.localRepository"), "dev", "regula", "tribuo-regularization", version,
                "tribuo-regularization-" + version + ".jar");
        jupyterPath = Path.of(required("regula.jupyterPath"));
        out = Path.of(required("regula.notebooksOut"));
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(python) || run(List.of(python.toString(), "-c",
                "import nbformat, nbclient, jupyter_client"), null, IMPORT_TIMEOUT_SECONDS) != 0) {
            missing.add(python + " with nbformat, nbclient and jupyter_client (apt-get install jupyter-nbconvert "
                    + "python3-nbclient jupyter-client)");
        }
        for (String kernel : List.of("kotlin", "rapaio-jupyter-kernel")) {
            if (!Files.isRegularFile(jupyterPath.resolve("kernels").resolve(kernel).resolve("kernel.json"))) {
                missing.add("Jupyter kernel '" + kernel + "' in " + jupyterPath + " (run examples/notebooks/install-kernels.sh)");
            }
        }
        if (!Files.isRegularFile(installedJar)) {
            missing.add("the library in the local Maven repository, " + installedJar
                    + " (mvn -B -ntp -q install -DskipTests)");
        }
        if (!missing.isEmpty()) {
            String message = "Notebook tests need: " + String.join("; ", missing);
            if ("true".equals(System.getenv("CI"))) {
                fail(message + " (CI=true, so this is an error rather than a skip)");
            }
            // Reported per test in @BeforeEach, so each shows up as skipped with this reason.
            skipReason = message;
            System.err.println("NotebooksTest: skipped. " + message);
            return;
        }
        Files.createDirectories(out);
    }

    @BeforeEach
    void skipWithoutPrerequisites() {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"regula-kotlin.ipynb", "regula-java.ipynb"})
    void notebookRunsWithoutErrors(String notebook) throws IOException, InterruptedException {
        Path log = out.resolve(notebook + ".log");
        int status = runNotebooks(out, log, NOTEBOOKS.resolve(notebook));
        if (status != 0) {
            fail(notebook + " failed (exit " + status + "); executed copy in " + out + ", log " + log + ":\n" + tail(log));
        }
        assertTrue(Files.readString(log).contains(notebook + ": ok"), tail(log));
    }

    @Test
    void aFailingCellFailsTheRun() throws IOException, InterruptedException {
        Path broken = Files.createDirectories(out.resolve("broken"));
        Path kotlin = broken.resolve("broken-kotlin.ipynb");
        Files.writeString(kotlin, notebook("kotlin", "val ok = 1", "val s: String = 42", "println(\"never\")"));
        Path java = broken.resolve("broken-java.ipynb");
        Files.writeString(java, notebook("rapaio-jupyter-kernel", "int ok = 1;",
                "throw new IllegalStateException(\"cell failed on purpose\");", "System.out.println(\"never\");"));
        for (Path nb : List.of(kotlin, java)) {
            Path log = broken.resolve(nb.getFileName() + ".log");
            assertEquals(1, runNotebooks(broken, log, nb), tail(log));
            String text = Files.readString(log);
            assertTrue(text.contains(nb + ": FAILED"), text);
            assertTrue(!Files.readString(broken.resolve(nb.getFileName())).contains("never\\n"),
                    "cells after the failing one must not run");
        }
        assertTrue(Files.readString(broken.resolve("broken-kotlin.ipynb.log")).contains("does not conform to the expected type String"));
        assertTrue(Files.readString(broken.resolve("broken-java.ipynb.log")).contains("cell failed on purpose"));
    }

    /** Runs {@code run_notebooks.py} on notebooks, executing them in {@code outDir}; returns its exit status. */
    private static int runNotebooks(Path outDir, Path log, Path... notebooks) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python.toString(), RUNNER.toString(),
                "--jupyter-path", jupyterPath.toString(), "--out", outDir.toString(), "--timeout", "300"));
        for (Path nb : notebooks) {
            command.add(nb.toString());
        }
        return run(command, log, TIMEOUT_MINUTES * 60);
    }

    /** Runs a command with output to {@code log} (or discarded); returns its exit status. */
    private static int run(List<String> command, Path log, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(log.toFile()));
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s"
                    + (log == null ? "" : ":\n" + tail(log)));
        }
        return p.exitValue();
    }

    private static String notebook(String kernel, String... cells) {
        StringBuilder sb = new StringBuilder("{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {\"kernelspec\": "
                + "{\"name\": \"" + kernel + "\", \"display_name\": \"" + kernel + "\"}}, \"cells\": [");
        for (int i = 0; i < cells.length; i++) {
            sb.append(i == 0 ? "" : ", ").append("{\"cell_type\": \"code\", \"id\": \"c").append(i)
                    .append("\", \"metadata\": {}, \"execution_count\": null, \"outputs\": [], \"source\": \"")
                    .append(cells[i].replace("\\", "\\\\").replace("\"", "\\\"")).append("\"}");
        }
        return sb.append("]}").toString();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (see examples/pom.xml)");
        }
        return value;
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
