package dev.regula.spark;

import dev.regula.examples.cli.CliTestSupport;
import dev.regula.examples.cli.StudyOutputs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Spark standalone master and worker started from the Maven jars as JVMs of their own (the worker launches the
 * executors, JVMs of their own too), so trials reach the executors as serialized configuration text only: a small
 * grid and a small study on that cluster give the files of the local runner (grid.csv, best-config.xml, every
 * trial's provenance) and of the sequential study, and every trial ran on an executor, not in the driver.
 * <p>
 * A worker starts executors from {@code SPARK_HOME/jars}, so the test makes a {@code SPARK_HOME} of links to the
 * test class path's jars and gives the executors the class folders of this build with
 * {@code spark.executor.extraClassPath}. Master and worker (and the executors under the worker) are stopped after
 * the tests, whatever happened; every wait has a deadline.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StandaloneClusterTest {
    private static final Logger LOG = Logger.getLogger(StandaloneClusterTest.class.getName());
    /** The Spark settings the driver (this JVM) takes from system properties; cleared after the tests. */
    private static final List<String> DRIVER_SETTINGS = List.of("spark.executor.extraClassPath", "spark.executor.memory",
            "spark.driver.host", "spark.driver.bindAddress", "spark.ui.enabled");
    private static final Pattern EXECUTOR = Pattern.compile("/executor (\\S+)");

    @TempDir
    static Path tmp;
    private static final List<Process> processes = new ArrayList<>();
    private static String master = "";
    private static Path data = Path.of("");

    @BeforeAll
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    static void startCluster() throws Exception {
        Logger.getLogger("dev.regula").setLevel(Level.SEVERE); // the tiny runs warn about their few steps
        // should the test JVM itself be stopped (surefire's timeout, Ctrl-C), the daemons go with it
        Runtime.getRuntime().addShutdownHook(new Thread(StandaloneClusterTest::destroyAll, "stop-spark-daemons"));
        data = StudyOutputs.writeIdx(tmp.resolve("idx"), 600, 150);
        List<Path> classPath = new ArrayList<>();
        for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                classPath.add(Path.of(entry).toAbsolutePath());
            }
        }
        Path home = tmp.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "Spark from the Maven jars of the test class path\n");
        List<String> folders = new ArrayList<>();
        int n = 0;
        for (Path p : classPath) {
            if (Files.isDirectory(p)) {
                folders.add(p.toString());
            } else if (p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)) {
                Files.createSymbolicLink(jars.resolve(String.format("%03d-%s", n++, p.getFileName())), p);
            }
        }
        assertTrue(n > 100, "Spark's jars on the test class path: " + n);
        Path log4j = tmp.resolve("log4j2.properties"); // INFO, so the worker's registration shows in its log
        Files.writeString(log4j, """
                rootLogger.level = info
                rootLogger.appenderRef.stdout.ref = console
                appender.console.type = Console
                appender.console.name = console
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
                """);
        String cp = String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList());
        int port = freePort();
        master = "spark://127.0.0.1:" + port;
        Process m = start("master", home, cp, log4j, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--webui-port", "0");
        await("the master to listen on port " + port, m, 60, () -> connects(port));
        Process w = start("worker", home, cp, log4j, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                "--cores", "2", "--memory", "2g", "--webui-port", "0", "--work-dir", tmp.resolve("work").toString(), master);
        await("the worker to register with the master", w, 60, () -> log("worker").contains("Successfully registered with master"));
        System.setProperty("spark.executor.extraClassPath", String.join(File.pathSeparator, folders));
        System.setProperty("spark.executor.memory", "1g");
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
        System.setProperty("spark.ui.enabled", "false");
    }

    @AfterAll
    static void stopCluster() {
        DRIVER_SETTINGS.forEach(System::clearProperty);
        for (int i = processes.size() - 1; i >= 0; i--) { // the worker (and its executors) first, then the master
            Process p = processes.get(i);
            List<ProcessHandle> children = p.descendants().toList();
            p.destroy();
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Kills every daemon this test started and the processes under them (the shutdown hook's last resort). */
    private static void destroyAll() {
        synchronized (processes) {
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    /** Starts a Spark daemon JVM with the driver's --add-opens flags, its output going to {@code NAME.log}. */
    private static Process start(String name, Path home, String cp, Path log4j, String... mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dlog4j2.configurationFile=" + log4j.toUri(), "-Dspark.master.rest.enabled=false"));
        for (String option : System.getProperty("regula.spark.jvm.options", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-cp", cp));
        command.addAll(List.of(mainAndArgs));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("SPARK_CONF_DIR");
        Process p = pb.start();
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    private static void await(String what, Process p, int seconds, BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (!p.isAlive()) {
                throw new AssertionError("waiting for " + what + ": the process exited with " + p.exitValue() + "\n" + logs());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + seconds + " s for " + what + "\n" + logs());
            }
            Thread.sleep(250);
        }
    }

    private static String log(String name) {
        try {
            Path f = tmp.resolve(name + ".log");
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String logs() {
        return "--- master.log\n" + log("master") + "\n--- worker.log\n" + log("worker");
    }

    private static boolean connects(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The executor ids named by {@code worker} fields or console lines ({@code host/executor ID}). */
    private static List<String> executors(String text) {
        List<String> ids = new ArrayList<>();
        Matcher m = EXECUTOR.matcher(text);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    @Test
    void gridOnTheClusterWritesTheLocalGrid() throws Exception {
        String[] grid = {"grid", "--data", data.toString(), "--hidden", "8", "--epochs", "2", "--batch", "32",
                "--threads", "1", "--seeds", "2", "--param", "optimiser.learningRate=0.001,0.003"};
        Path local = tmp.resolve("grid-local");
        Path cluster = tmp.resolve("grid-cluster");
        SweepOutputs.ok(concat(grid, "--out", local.toString(), "--parallel-trials", "2"));
        CliTestSupport.Run r = SweepOutputs.ok(concat(grid, "--out", cluster.toString(), "--spark", master));
        assertTrue(r.out().contains("4 trial(s): Spark 4.0.1 on " + master), r.out());
        List<Path> stored = SweepOutputs.assertSameGrid(local, cluster);
        assertEquals(4, stored.size(), stored.toString());
        for (Path f : stored) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(f)) {
                p.load(in);
            }
            List<String> ids = executors(p.getProperty("worker", ""));
            assertEquals(1, ids.size(), f + ": worker=" + p.getProperty("worker"));
            assertFalse(ids.get(0).equals("driver"), f + " ran in the driver: " + p.getProperty("worker"));
        }
        LOG.info(() -> "grid on " + master + ": " + r.out());
    }

    @Test
    void studyOnTheClusterWritesTheSequentialStudy() throws Exception {
        String[] study = {"study", "--data", data.toString(), "--epochs", "2", "--seeds", "2", "--hidden", "8",
                "--batch", "32", "--threads", "1", "--seed", "5"};
        Path sequential = tmp.resolve("study-sequential");
        Path cluster = tmp.resolve("study-cluster");
        SweepOutputs.ok(concat(study, "--out", sequential.toString()));
        CliTestSupport.Run r = SweepOutputs.ok(concat(study, "--out", cluster.toString(), "--spark", master));
        assertTrue(r.out().contains("16 run(s) to train: Spark 4.0.1 on " + master), r.out());
        List<String> ids = executors(r.out());
        assertEquals(16, ids.size(), "one line per run, naming its executor: " + r.out());
        assertFalse(ids.contains("driver"), "every run on an executor: " + r.out());
        assertEquals(16, StudyOutputs.assertSameStudy(sequential, cluster));
    }

    private static String[] concat(String[] head, String... tail) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(tail));
        return all.toArray(new String[0]);
    }
}
