package dev.regula.nn;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Chooses the BLAS backend: native OpenBLAS when its bundled binaries load on this platform, otherwise the
 * pure-Java fallback. The choice is logged once and recorded in every model's provenance.
 * <p>
 * The system property {@value #PROPERTY} forces a backend: {@code auto} (default), {@code openblas} (fail if the
 * natives do not load) or {@code java}.
 */
public final class Backends {
    /** System property that selects the backend: {@code auto}, {@code openblas} or {@code java}. */
    public static final String PROPERTY = "regula.blas";

    private static final Logger logger = Logger.getLogger(Backends.class.getName());
    private static final Map<String, Blas> cache = new ConcurrentHashMap<>();
    private static volatile Boolean nativeAvailable;

    private Backends() {}

    /**
     * The default backend with as many threads as there are available processors.
     * @return the backend.
     */
    public static Blas get() {
        return get(Runtime.getRuntime().availableProcessors());
    }

    /**
     * The backend selected by {@value #PROPERTY}, with the given thread count.
     * @param threads the number of threads, at least 1.
     * @return the backend.
     */
    public static Blas get(int threads) {
        return get(System.getProperty(PROPERTY, "auto"), threads);
    }

    /**
     * A named backend.
     * @param kind {@code auto}, {@code openblas} or {@code java}.
     * @param threads the number of threads, at least 1.
     * @return the backend.
     * @throws IllegalArgumentException for an unknown kind, or {@code openblas} when the natives cannot load.
     */
    public static Blas get(String kind, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
        String k = kind.trim().toLowerCase(Locale.ROOT);
        switch (k) {
            case "java":
                return cache.computeIfAbsent("java/" + threads, key -> new JavaBlas(threads));
            case "openblas":
                if (!nativeAvailable()) {
                    throw new IllegalArgumentException("OpenBLAS natives could not be loaded on "
                            + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "; use " + PROPERTY + "=java");
                }
                return openBlas(threads);
            case "auto":
                return nativeAvailable() ? openBlas(threads)
                        : cache.computeIfAbsent("java/" + threads, key -> new JavaBlas(threads));
            default:
                throw new IllegalArgumentException("Unknown BLAS backend '" + kind + "' in " + PROPERTY
                        + "; valid values are auto, openblas, java");
        }
    }

    private static Blas openBlas(int threads) {
        return cache.computeIfAbsent("openblas/" + threads, key -> new OpenBlas(threads));
    }

    /**
     * Whether the native OpenBLAS binaries load on this platform (tried once, result cached and logged).
     * @return true if OpenBLAS is usable.
     */
    public static boolean nativeAvailable() {
        Boolean v = nativeAvailable;
        if (v == null) {
            synchronized (Backends.class) {
                v = nativeAvailable;
                if (v == null) {
                    try {
                        new OpenBlas(1);
                        v = Boolean.TRUE;
                        logger.fine("Regula BLAS: native OpenBLAS loaded"); // the model provenance records the backend too
                    } catch (LinkageError | RuntimeException e) {
                        v = Boolean.FALSE;
                        logger.log(Level.WARNING, "Regula BLAS: native OpenBLAS unavailable on "
                                + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                                + ", using the pure-Java fallback: " + e);
                    }
                    nativeAvailable = v;
                }
            }
        }
        return v;
    }
}
