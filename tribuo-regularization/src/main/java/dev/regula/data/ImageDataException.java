package dev.regula.data;

import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown when image data cannot be read: a missing, unreadable, corrupt or oversized image, a malformed index
 * CSV, or a file name that escapes the image directory.
 * <p>
 * Every data problem found by Regula's image sources is reported with this exception (an {@link IOException}),
 * never by returning a partial dataset. Configuration problems (a bad option value) are reported with OLCUT's
 * {@link com.oracle.labs.mlrg.olcut.config.PropertyException} instead. The message names the file and, when the
 * problem comes from an index row, the CSV line.
 */
public final class ImageDataException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The file the problem was found in, or null if none. */
    private final @Nullable String file;
    /** The 1-based CSV line the problem comes from, or -1 if it is not tied to a line. */
    private final long line;

    /**
     * Creates an exception for a problem in a file.
     * @param file the offending file (the index CSV or an image).
     * @param line the 1-based CSV line the problem comes from, or -1 if it is not tied to a line.
     * @param message what is wrong.
     * @param cause the underlying exception, if any.
     */
    public ImageDataException(@Nullable Path file, long line, String message, @Nullable Throwable cause) {
        super(format(file, line, message), cause);
        this.file = file == null ? null : file.toString();
        this.line = line;
    }

    /**
     * Creates an exception for a problem in a file.
     * @param file the offending file (the index CSV or an image).
     * @param line the 1-based CSV line the problem comes from, or -1 if it is not tied to a line.
     * @param message what is wrong.
     */
    public ImageDataException(@Nullable Path file, long line, String message) {
        this(file, line, message, null);
    }

    private static String format(@Nullable Path file, long line, String message) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) {
                sb.append(", line ").append(line);
            }
            sb.append(": ");
        } else if (line > 0) {
            sb.append("line ").append(line).append(": ");
        }
        return sb.append(message).toString();
    }

    /** @return the offending file as a string, or null if none applies. */
    public @Nullable String getFile() {
        return file;
    }

    /** @return the 1-based CSV line of the problem, or -1 if it is not tied to a line. */
    public long getLine() {
        return line;
    }
}
