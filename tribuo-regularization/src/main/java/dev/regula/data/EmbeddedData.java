package dev.regula.data;

import org.jspecify.annotations.Nullable;
import org.tribuo.classification.Label;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default dataset shipped inside the library: a stratified subset of Fashion-MNIST (Zalando Research,
 * MIT licence), 10,000 training images (1,000 per class) and 2,000 test images (200 per class), 28×28 gray,
 * as gzipped IDX files. It was selected by the {@code dev.regula.examples.tools.MakeEmbeddedSubset} tool
 * (seed 42) from the full Fashion-MNIST files; see {@code docs/data.md}.
 * <p>
 * The resources are extracted to a directory keyed by their content hash,
 * {@code <base>/fashion-mnist-small-<first 12 hex digits of the SHA-256>/}, where the base is the system property
 * {@value #BASE_DIRECTORY_PROPERTY} if set, else {@code ${java.io.tmpdir}/regula-data}. Files are written
 * atomically (temporary file, then move) and reused when present with the expected size and hash (a file of
 * another size is replaced without being read), so data sources built from them point at real, stable files and
 * their provenance can be replayed. Reading them goes through {@link IdxFiles#source(Path, String)} and its checks.
 * <p>
 * Labels are the class indices {@code "0"}..{@code "9"}; {@link #classNames()} gives the Fashion-MNIST names.
 */
public final class EmbeddedData {
    /** Name of the dataset, also the resource folder and the prefix of the extraction directory. */
    public static final String NAME = "fashion-mnist-small";
    /** System property overriding the base directory of the extraction. */
    public static final String BASE_DIRECTORY_PROPERTY = "regula.data.dir";
    /** Number of training images. */
    public static final int TRAIN_SIZE = 10_000;
    /** Number of test images. */
    public static final int TEST_SIZE = 2_000;

    private static final String RESOURCE_ROOT = "/dev/regula/data/" + NAME + "/";
    private static final List<String> FILES = List.of(
            "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "LICENSE");
    private static final String[] CLASS_NAMES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

    private static final Object LOCK = new Object();
    private static volatile @Nullable Map<String, byte[]> resources;

    private EmbeddedData() {}

    /** @return the image geometry, 28×28×1. */
    public static ImageGeometry geometry() {
        return ImageGeometry.of(28, 28, 1);
    }

    /** @return the Fashion-MNIST class names by label ({@code "0"} to {@code "T-shirt/top"}, ...), in label order. */
    public static Map<String, String> classNames() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < CLASS_NAMES.length; i++) {
            map.put(Integer.toString(i), CLASS_NAMES[i]);
        }
        return map;
    }

    /**
     * @return the first 12 hex digits (lower case) of the SHA-256 over the embedded files, the directory key.
     * @throws IOException if the resources cannot be read.
     */
    public static String contentHash() throws IOException {
        MessageDigest md = Sha256.newDigest();
        for (Map.Entry<String, byte[]> e : resources().entrySet()) {
            md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            md.update(Sha256.digest(e.getValue()));
        }
        return Sha256.hex(md.digest()).substring(0, 12);
    }

    /**
     * Extracts the dataset (if not already there) under the default base directory.
     * @return the directory holding the four IDX files and the licence.
     * @throws IOException if the files cannot be written.
     */
    public static Path directory() throws IOException {
        String base = System.getProperty(BASE_DIRECTORY_PROPERTY);
        return directory(base != null && !base.isBlank() ? Paths.get(base)
                : Paths.get(System.getProperty("java.io.tmpdir"), "regula-data"));
    }

    /**
     * Extracts the dataset (if not already there) under a base directory, into
     * {@code base/fashion-mnist-small-<hash>/}. Existing files with the right content are reused; others are
     * replaced atomically.
     * @param base the base directory.
     * @return the dataset directory.
     * @throws IOException if the files cannot be written.
     */
    public static Path directory(Path base) throws IOException {
        Path dir = base.resolve(NAME + "-" + contentHash());
        synchronized (LOCK) {
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> e : resources().entrySet()) {
                Path target = dir.resolve(e.getKey());
                // The size first: a file of another size (say, gigabytes left in a shared temporary folder) is
                // replaced without being read; one of the right size is hashed as a stream.
                if (Files.isRegularFile(target) && Files.size(target) == e.getValue().length
                        && Arrays.equals(digest(target), Sha256.digest(e.getValue()))) {
                    continue;
                }
                Path tmp = Files.createTempFile(dir, e.getKey(), ".tmp");
                try {
                    Files.write(tmp, e.getValue());
                    AtomicFiles.replace(tmp, target);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        return dir;
    }

    /**
     * @return a data source over the 10,000 training images, read from the extracted files.
     * @throws IOException if the files cannot be extracted or read.
     */
    public static IDXDataSource<Label> trainSource() throws IOException {
        return IdxFiles.source(directory(), IdxFiles.TRAIN);
    }

    /**
     * @return a data source over the 2,000 test images, read from the extracted files.
     * @throws IOException if the files cannot be extracted or read.
     */
    public static IDXDataSource<Label> testSource() throws IOException {
        return IdxFiles.source(directory(), IdxFiles.TEST);
    }

    /**
     * @return the extracted training images file.
     * @throws IOException if the files cannot be extracted.
     */
    public static Path trainImages() throws IOException {
        return IdxFiles.imagesFile(directory(), IdxFiles.TRAIN);
    }

    /**
     * @return the extracted training labels file.
     * @throws IOException if the files cannot be extracted.
     */
    public static Path trainLabels() throws IOException {
        return IdxFiles.labelsFile(directory(), IdxFiles.TRAIN);
    }

    /**
     * @return the extracted test images file.
     * @throws IOException if the files cannot be extracted.
     */
    public static Path testImages() throws IOException {
        return IdxFiles.imagesFile(directory(), IdxFiles.TEST);
    }

    /**
     * @return the extracted test labels file.
     * @throws IOException if the files cannot be extracted.
     */
    public static Path testLabels() throws IOException {
        return IdxFiles.labelsFile(directory(), IdxFiles.TEST);
    }

    /** The SHA-256 of a file, read as a stream. */
    private static byte[] digest(Path file) throws IOException {
        MessageDigest md = Sha256.newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return md.digest();
    }

    private static Map<String, byte[]> resources() throws IOException {
        Map<String, byte[]> local = resources;
        if (local == null) {
            synchronized (LOCK) {
                local = resources;
                if (local == null) {
                    local = new LinkedHashMap<>();
                    for (String name : FILES) {
                        try (InputStream in = EmbeddedData.class.getResourceAsStream(RESOURCE_ROOT + name)) {
                            if (in == null) {
                                throw new IOException("Embedded resource " + RESOURCE_ROOT + name + " is missing from the classpath");
                            }
                            local.put(name, in.readAllBytes());
                        }
                    }
                    resources = local;
                }
            }
        }
        return local;
    }
}
