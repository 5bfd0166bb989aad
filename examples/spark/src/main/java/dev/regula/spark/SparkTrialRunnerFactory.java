package dev.regula.spark;

import dev.regula.experiment.TrialRunner;
import dev.regula.experiment.TrialRunnerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The {@code spark} runner kind for {@code regula grid --spark MASTER} and {@code regula study --spark MASTER},
 * registered for {@link java.util.ServiceLoader}.
 * A standalone master ({@code spark://host:port[,host:port]}) is checked with a TCP connection first, so an
 * unreachable master is an error at once rather than after Spark's minute of registration retries; the master
 * {@code submit} takes the one {@code spark-submit --master} configured.
 */
public final class SparkTrialRunnerFactory implements TrialRunnerFactory {
    /** How long a standalone master may take to accept a connection, in milliseconds. */
    static final int CONNECT_TIMEOUT_MS = 5_000;

    /** Creates the factory (ServiceLoader needs a public no-argument constructor). */
    public SparkTrialRunnerFactory() {}

    @Override
    public String kind() {
        return "spark";
    }

    @Override
    public TrialRunner create(String master, int maxAttempts) {
        String url = master.trim();
        if (url.startsWith("spark://")) {
            checkReachable(url);
        }
        SparkTrialRunner.Builder b = SparkTrialRunner.builder().maxAttempts(maxAttempts);
        if (!url.equals("submit")) {
            b.master(url);
        }
        return b.build();
    }

    /**
     * Connects to every host:port of a standalone master URL.
     * @param url {@code spark://host:port[,host:port...]}.
     * @throws IllegalArgumentException naming the master that does not answer, or a malformed URL.
     */
    static void checkReachable(String url) {
        for (String hostPort : url.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || colon == hostPort.length() - 1) {
                throw new IllegalArgumentException("malformed Spark master " + url + ": expected spark://host:port");
            }
            String host = hostPort.substring(0, colon);
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed Spark master " + url + ": port '" + hostPort.substring(colon + 1)
                        + "' is not a number");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            } catch (IOException e) {
                throw new IllegalArgumentException("the Spark master " + host + ":" + port + " does not answer ("
                        + e.getMessage() + "); start it (sbin/start-master.sh) or check --spark");
            }
        }
    }
}
