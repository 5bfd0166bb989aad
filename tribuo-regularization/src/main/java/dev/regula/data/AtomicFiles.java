package dev.regula.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replacing a file by a fully written temporary file, so that readers never see a partial one and a failed write
 * (a full disk, a crash, an exception half-way) leaves the previous file, or none, under the final name.
 * <p>
 * The temporary file is {@code .<stem>.<pid>.<n>.tmp.<extension>} in the target's folder, created with the default
 * permissions (which the move keeps), forced to the device, then moved over the target, atomically where the file
 * system can. On failure it is deleted and the exception names the target.
 */
public final class AtomicFiles {
    private static final AtomicLong COUNTER = new AtomicLong();

    private AtomicFiles() {}

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface StreamWriter {
        /**
         * @param out the stream to write to (closed by the caller).
         * @throws IOException if writing fails.
         */
        void write(OutputStream out) throws IOException;
    }

    /** Writes the content of a file to a path, for APIs that only write to paths. */
    @FunctionalInterface
    public interface PathWriter {
        /**
         * @param file the temporary file to write (it exists, empty).
         * @throws IOException if writing fails.
         */
        void write(Path file) throws IOException;
    }

    /**
     * Writes a file through a stream, replacing it atomically once completely written.
     * @param target the file to create or replace; its folder must exist.
     * @param writer writes the content.
     * @throws IOException naming the target if writing or moving fails; the target is then unchanged.
     */
    public static void write(Path target, StreamWriter writer) throws IOException {
        writeVia(target, tmp -> {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = Channels.newOutputStream(channel)) {
                writer.write(out);
                out.flush();
                channel.force(true);
            }
        });
    }

    /**
     * Writes text as UTF-8, replacing the file atomically once completely written.
     * @param target the file to create or replace; its folder must exist.
     * @param text the content.
     * @throws IOException naming the target if writing or moving fails; the target is then unchanged.
     */
    public static void writeString(Path target, CharSequence text) throws IOException {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /**
     * Lets a writer fill a temporary file, then moves it over the target.
     * @param target the file to create or replace; its folder must exist.
     * @param writer writes the temporary file.
     * @throws IOException naming the target if writing or moving fails; the target is then unchanged (as it is
     *     when the writer throws an unchecked exception, which is rethrown as it is).
     */
    public static void writeVia(Path target, PathWriter writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        String name = absolute.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        // The extension is kept: some writers choose the format by it (OLCUT's configuration writer does).
        Path tmp = dir.resolve("." + stem + "." + ProcessHandle.current().pid() + "." + COUNTER.incrementAndGet()
                + ".tmp" + extension);
        boolean moved = false;
        try {
            Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            writer.write(tmp);
            replace(tmp, absolute);
            moved = true;
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + describe(e), e);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one to report
                }
            }
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }

    /**
     * Moves {@code tmp} over {@code target}: atomically where the file system can, else as a plain replacing move.
     * @param tmp the completely written file, in the target's folder.
     * @param target the file to create or replace.
     * @throws IOException if the move fails.
     */
    public static void replace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
