package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;

import java.io.Serializable;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Crash-safe training, with the semantics of Keras 3 {@code keras.callbacks.BackupAndRestore(backup_dir,
 * save_freq="epoch", delete_checkpoint=True)}: after every completed epoch that training goes on from, the
 * trainer replaces a backup file in {@code backupDir} atomically (network weights, optimiser state, the positions
 * of the shuffling, dropout and augmentation random streams, the epoch, the training history and the
 * early-stopping state with its best weights); a training started with a backup of the <em>same</em>
 * configuration and data in that folder resumes after the backup's epoch and ends with the weights and history
 * an uninterrupted run would have had, bit for bit; when training ends normally the backup is deleted (unless
 * {@code deleteCheckpoint} is false). A backup of another configuration or other data is refused, naming what
 * differs; a damaged one is refused naming the file. The format and the checks are in {@code
 * docs/early-stopping.md#crash-safe-training}.
 * <p>
 * Unlike Keras, where the folder is only meant for one {@code fit} at a time, a run holds a lock on the folder,
 * and the folder's name does not take part in the comparison (a backup folder may be moved). The configuration is
 * recorded in the model's trainer provenance like every other, so a resumed model's provenance equals an
 * uninterrupted one's.
 */
public final class BackupAndRestore implements Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {
    private static final long serialVersionUID = 1L;

    /** The name of the backup file in the backup folder. */
    public static final String FILE_NAME = "training-backup.bin";

    /** The name of the trainer field holding this configuration (left out when backups are compared). */
    public static final String TRAINER_FIELD = "backupAndRestore";
    /** The name of the field holding the folder, which {@code ProvenanceDiff} counts among the volatile keys. */
    public static final String FOLDER_FIELD = "backupDir";

    /** The backup folder. */
    @Config(mandatory = true, description = "Folder holding the backup of the running training (created if absent).")
    private String backupDir;

    /** Whether the backup is deleted when training ends normally. */
    @Config(description = "Delete the backup when training ends normally (Keras delete_checkpoint).")
    private boolean deleteCheckpoint = true;

    /** For OLCUT. */
    private BackupAndRestore() {}

    /**
     * Backups in a folder, deleted when training ends normally.
     * @param backupDir the folder (created if absent).
     * @return the configuration.
     */
    public static BackupAndRestore inFolder(Path backupDir) {
        return builder(backupDir).build();
    }

    /**
     * Starts a configuration.
     * @param backupDir the folder (created if absent).
     * @return a builder.
     */
    public static Builder builder(Path backupDir) {
        return new Builder(backupDir);
    }

    @Override
    public void postConfig() {
        if (backupDir == null || backupDir.isBlank()) {
            throw new PropertyException("", "backupDir", "backupDir must name a folder");
        }
        try {
            Path.of(backupDir);
        } catch (InvalidPathException e) {
            throw new PropertyException(e, "", "backupDir", "backupDir is not a valid path: " + e.getMessage());
        }
    }

    /** @return the backup folder. */
    public Path getBackupDir() {
        return Path.of(backupDir);
    }

    /** @return whether the backup is deleted when training ends normally. */
    public boolean isDeleteCheckpoint() {
        return deleteCheckpoint;
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "BackupAndRestore");
    }

    @Override
    public String toString() {
        return "BackupAndRestore(backupDir=" + backupDir + ",deleteCheckpoint=" + deleteCheckpoint + ")";
    }

    /** Builder of a {@link BackupAndRestore}; validated by {@link #build()}. */
    public static final class Builder {
        /** The folder. */
        private final Path dir;
        /** Whether to delete the backup at the end. */
        private boolean delete = true;

        private Builder(Path dir) {
            this.dir = dir;
        }

        /**
         * Sets whether the backup is deleted when training ends normally (default true).
         * @param delete false to keep the last backup.
         * @return this builder.
         */
        public Builder deleteCheckpoint(boolean delete) {
            this.delete = delete;
            return this;
        }

        /**
         * Validates and returns the configuration.
         * @return the configuration.
         * @throws PropertyException for an empty folder name.
         */
        public BackupAndRestore build() {
            BackupAndRestore b = new BackupAndRestore();
            b.backupDir = dir.toString();
            b.deleteCheckpoint = delete;
            b.postConfig();
            return b;
        }
    }
}
