package dev.regula.mlp;

/**
 * A training backup ({@link BackupAndRestore}) that cannot be used or written: damaged, of another format
 * version, of another training configuration or data, or its folder in use by another run. The message names
 * the file or folder and what is wrong; nothing is resumed from such a backup.
 */
public final class BackupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     * @param message what is wrong, naming the file.
     */
    public BackupException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     * @param message what is wrong, naming the file.
     * @param cause the underlying failure.
     */
    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
