package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.MapProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.regula.data.Sha256;
import dev.regula.nn.Blas;
import org.jspecify.annotations.Nullable;
import org.tribuo.provenance.TrainerProvenance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The backup of one training run ({@link BackupAndRestore}): the folder, held locked while the run lasts; the
 * run's identity — its trainer provenance (without the backup configuration), the BLAS backend and thread count,
 * and a SHA-256 of the training and validation rows and targets as the network sees them; loading a saved state
 * if its identity is this run's; saving after each epoch; deleting the backup when training ends normally.
 */
final class TrainingBackup implements AutoCloseable {
    /** The backup file's name in the folder. */
    static final String FILE_NAME = BackupAndRestore.FILE_NAME;
    /** The lock file's name in the folder. */
    static final String LOCK_NAME = ".lock";
    /** The identity key of the data hash. */
    static final String DATA_KEY = "data.sha256";
    private static final int SHOWN_DIFFERENCES = 8;

    private final BackupAndRestore config;
    private final Path dir;
    private final Path file;
    private final Map<String, String> identity;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Logger logger;

    private TrainingBackup(BackupAndRestore config, Map<String, String> identity, Logger logger) {
        this.config = config;
        this.dir = config.getBackupDir().toAbsolutePath();
        this.file = dir.resolve(FILE_NAME);
        this.identity = identity;
        this.logger = logger;
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new BackupException("The backup folder " + dir + " is a file, not a folder");
            }
            Files.createDirectories(dir);
            lockChannel = FileChannel.open(dir.resolve(LOCK_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new BackupException("Cannot use the backup folder " + dir + ": " + e, e);
        }
        FileLock held;
        try {
            held = lockChannel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            held = null;
        }
        if (held == null) {
            closeQuietly();
            throw new BackupException("Another training run is using the backup folder " + dir
                    + " (its lock file " + LOCK_NAME + " is held); give each run its own backup folder");
        }
        lock = held;
    }

    /**
     * Opens (creating and locking) the backup folder of a run.
     * @param config the backup configuration.
     * @param trainer the trainer provenance of the run.
     * @param blas the BLAS backend the run uses.
     * @param data the run's training and validation rows.
     * @param logger the trainer's logger.
     * @return the run's backup.
     * @throws BackupException if the folder cannot be created or another run holds it.
     */
    static TrainingBackup open(BackupAndRestore config, TrainerProvenance trainer, Blas blas, TrainingSplit<?> data,
                               Logger logger) {
        return new TrainingBackup(config, identity(trainer, blas, data), logger);
    }

    /** @return the backup file. */
    Path file() {
        return file;
    }

    /**
     * The state to resume from.
     * @return the saved state, or null if the folder holds no backup.
     * @throws BackupException if the backup is damaged, of another format, or of another configuration or data
     *     (naming the differences).
     */
    @Nullable TrainingState load() {
        BackupFile.Contents contents;
        try {
            contents = BackupFile.read(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new BackupException("Cannot read the training backup " + file + ": " + e, e);
        }
        List<String> differences = differences(contents.identity(), identity);
        if (!differences.isEmpty()) {
            throw new BackupException("The training backup " + file + " was written by a different training run, "
                    + "which it cannot resume; it differs in " + differences.size() + " value(s) (backup vs this run): "
                    + String.join("; ", differences.subList(0, Math.min(SHOWN_DIFFERENCES, differences.size())))
                    + (differences.size() > SHOWN_DIFFERENCES ? "; ..." : "")
                    + ". Delete it, or use another backup folder, to train from the start");
        }
        logger.fine("resuming from the training backup " + file + " after epoch " + contents.state().epoch());
        return contents.state();
    }

    /**
     * Replaces the backup by the state after an epoch.
     * @param state the state.
     * @throws BackupException naming the file if it cannot be written (the previous backup is then unchanged).
     */
    void save(TrainingState state) {
        long start = System.nanoTime();
        try {
            BackupFile.write(file, identity, state);
        } catch (IOException e) {
            throw new BackupException("Cannot write the training backup " + file + ": " + e.getMessage(), e);
        }
        if (logger.isLoggable(Level.FINE)) {
            logger.fine(String.format(Locale.ROOT, "backup after epoch %d written to %s in %.3f s", state.epoch(), file,
                    (System.nanoTime() - start) / 1e9));
        }
    }

    /**
     * Called when training ended normally: deletes the backup unless configured to keep it.
     */
    void finish() {
        if (!config.isDeleteCheckpoint()) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            logger.warning("could not delete the training backup " + file + ": " + e);
        }
    }

    /**
     * Releases the folder's lock. Without a backup left to keep, removes the lock file and then the folder if it
     * is empty (Keras removes the whole folder; this one removes nothing it did not write).
     */
    @Override
    public void close() {
        closeQuietly();
        if (config.isDeleteCheckpoint() && !Files.exists(file)) {
            try {
                Files.deleteIfExists(dir.resolve(LOCK_NAME));
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isEmpty()) {
                        Files.deleteIfExists(dir);
                    }
                }
            } catch (IOException e) {
                logger.fine("could not tidy the backup folder " + dir + ": " + e);
            }
        }
    }

    private void closeQuietly() {
        try {
            lockChannel.close(); // releases the lock
        } catch (IOException e) {
            logger.fine("could not close the lock of " + dir + ": " + e);
        }
    }

    /**
     * The values that differ or are present on one side only.
     * @param saved the backup's identity.
     * @param current this run's identity.
     * @return one {@code key: backup vs run} entry per difference, in key order.
     */
    static List<String> differences(Map<String, String> saved, Map<String, String> current) {
        Map<String, String> keys = new TreeMap<>(saved);
        current.forEach(keys::putIfAbsent);
        List<String> out = new ArrayList<>();
        for (String key : keys.keySet()) {
            String a = saved.get(key);
            String b = current.get(key);
            if (a == null || !a.equals(b)) {
                out.add(key + ": " + (a == null ? "(absent)" : a) + " vs " + (b == null ? "(absent)" : b));
            }
        }
        return out;
    }

    /**
     * What a backup must share with the run that resumes it: the trainer provenance without the backup's own
     * configuration (its folder may move), the backend and thread count (the arithmetic and the dropout streams
     * depend on them), and the data the network sees.
     * @param trainer the run's trainer provenance.
     * @param blas the run's BLAS backend.
     * @param data the run's training and validation rows.
     * @return the identity, keys sorted.
     */
    static Map<String, String> identity(TrainerProvenance trainer, Blas blas, TrainingSplit<?> data) {
        Map<String, String> id = new TreeMap<>();
        for (Pair<String, Provenance> e : trainer) {
            if (!e.getA().equals(BackupAndRestore.TRAINER_FIELD)) {
                flatten("trainer." + e.getA(), e.getB(), id);
            }
        }
        id.put("run.blas", blas.name());
        id.put("run.blas-threads", Integer.toString(blas.threads()));
        id.put("data.training-rows", data.train.rows() + " x " + data.train.cols());
        id.put("data.validation-rows", data.validation == null ? "none"
                : data.validation.rows().rows() + " x " + data.validation.rows().cols());
        MessageDigest sha = Sha256.newDigest();
        hash(sha, data.train);
        hash(sha, data.trainTargets.values);
        hash(sha, data.trainTargets.weights);
        if (data.validation != null) {
            hash(sha, data.validation.rows());
            hash(sha, data.validation.targets().values);
            hash(sha, data.validation.targets().weights);
        }
        id.put(DATA_KEY, Sha256.hex(sha.digest()));
        return id;
    }

    private static void flatten(String path, Provenance p, Map<String, String> out) {
        if (p instanceof ObjectProvenance op) {
            for (Pair<String, Provenance> e : op) {
                flatten(path + "." + e.getA(), e.getB(), out);
            }
        } else if (p instanceof MapProvenance<?> mp) {
            for (Pair<String, ? extends Provenance> e : mp) {
                flatten(path + "." + e.getA(), e.getB(), out);
            }
        } else if (p instanceof ListProvenance<?> lp) {
            int i = 0;
            for (Provenance item : lp) {
                flatten(path + "[" + i++ + "]", item, out);
            }
            out.put(path + ".size", Integer.toString(i));
        } else if (p instanceof PrimitiveProvenance<?> pp) {
            out.put(path, String.valueOf(pp.getValue()));
        } else {
            out.put(path, String.valueOf(p));
        }
    }

    /** Hashes a float array's length and bits (an absent array as length −1). */
    /** Hashes dense rows by their values, sparse rows by their values, column ids and row pointers. */
    private static void hash(MessageDigest sha, InputRows rows) {
        if (rows instanceof DenseRows dense) {
            hash(sha, dense.x);
        } else if (rows instanceof SparseRows sparse) {
            hash(sha, sparse.x.values());
            hash(sha, sparse.x.columns());
            hash(sha, sparse.x.rowPointers());
        }
    }

    /** The length and the big-endian values, through a 64 KiB buffer (as for float arrays). */
    private static void hash(MessageDigest sha, int[] v) {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        b.putInt(v.length);
        for (int from = 0; from < v.length; ) {
            int n = Math.min(v.length - from, b.remaining() / 4);
            b.asIntBuffer().put(v, from, n);
            b.position(b.position() + 4 * n);
            from += n;
            sha.update(b.array(), 0, b.position());
            b.clear();
        }
        sha.update(b.array(), 0, b.position());
    }

    private static void hash(MessageDigest sha, float @Nullable [] v) {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        b.putInt(v == null ? -1 : v.length);
        if (v != null) {
            for (int from = 0; from < v.length; ) {
                int n = Math.min(v.length - from, b.remaining() / 4);
                b.asFloatBuffer().put(v, from, n);
                b.position(b.position() + 4 * n);
                from += n;
                sha.update(b.array(), 0, b.position());
                b.clear();
            }
        }
        sha.update(b.array(), 0, b.position());
    }
}
