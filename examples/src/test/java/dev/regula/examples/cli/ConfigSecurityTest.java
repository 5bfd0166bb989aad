package dev.regula.examples.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.regula.examples.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --config} of {@code train}, {@code grid} and {@code study} with hostile XML: an external entity on a local
 * file is refused without echoing the file, and external DTDs or entities on a local HTTP listener make no request.
 * Each configuration is refused before any data is read.
 */
class ConfigSecurityTest {
    private static final String SECRET = "TOP-SECRET-77e0b2";
    private static final String TRAINER = "<config><component name=\"t\" type=\"dev.regula.mlp.MLPTrainer\">"
            + "<propertylist name=\"hiddenLayers\"><item>&e;</item></propertylist></component></config>\n";

    @TempDir
    static Path tmp;
    private static HttpServer server;
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static String base;

    @BeforeAll
    static void listen() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            REQUESTS.incrementAndGet();
            byte[] body = "<!ENTITY e \"2\">".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static void assertRefused(CliTestSupport.Run r, String command) {
        assertEquals(RegulaCli.EXIT_ERROR, r.exitCode(), r.toString());
        assertTrue(r.err().startsWith("regula " + command + ": configuration file "), r.err());
        assertTrue(r.err().contains("DOCTYPE declarations (DTDs, entities) are not allowed"), r.err());
        assertFalse(r.err().contains(SECRET) || r.out().contains(SECRET), "leaks the file: " + r);
        assertFalse(r.err().contains("\tat "), "stack trace: " + r.err());
    }

    @Test
    void trainDoesNotEchoALocalFileNamedByAnEntity() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), SECRET);
        Path config = Files.writeString(tmp.resolve("xxe.xml"),
                "<!DOCTYPE config [<!ENTITY e SYSTEM \"" + secret.toUri() + "\">]>\n" + TRAINER);
        assertRefused(run("train", "--config", config.toString(), "--model", tmp.resolve("m/model.tribuo").toString()), "train");
        assertFalse(Files.exists(tmp.resolve("m")));
    }

    @Test
    void gridAndStudyFetchNoExternalDtdOrEntity() throws IOException {
        int before = REQUESTS.get();
        Path dtd = Files.writeString(tmp.resolve("dtd.xml"), "<!DOCTYPE config SYSTEM \"" + base + "/grid.dtd\">\n" + TRAINER);
        assertRefused(run("grid", "--config", dtd.toString(), "--out", tmp.resolve("grid").toString()), "grid");
        Path entity = Files.writeString(tmp.resolve("entity.xml"),
                "<!DOCTYPE config [<!ENTITY e SYSTEM \"" + base + "/study-entity\">]>\n" + TRAINER);
        assertRefused(run("study", "--seeds", "1", "--config", entity.toString(), "--out", tmp.resolve("study").toString()), "study");
        Path parameter = Files.writeString(tmp.resolve("parameter.xml"),
                "<!DOCTYPE config [<!ENTITY % p SYSTEM \"" + base + "/train-parameter\"> %p;]>\n" + TRAINER);
        assertRefused(run("train", "--config", parameter.toString(), "--model", tmp.resolve("p/model.tribuo").toString()), "train");
        assertEquals(before, REQUESTS.get(), "the local HTTP listener received a request");
    }
}
