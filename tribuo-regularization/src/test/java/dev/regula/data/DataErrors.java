package dev.regula.data;

import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on the user-facing form of an {@link ImageDataException}: the file, the line and the message. */
final class DataErrors {
    private DataErrors() {}

    /**
     * Runs the action, expects an {@link ImageDataException} about {@code file} (and {@code line}, -1 for none),
     * and checks that the message starts with the file (and line) and contains every fragment.
     */
    static ImageDataException assertDataError(Path file, long line, Executable action, String... fragments) {
        ImageDataException e = assertThrows(ImageDataException.class, action);
        String msg = e.getMessage();
        assertEquals(file.toString(), e.getFile(), msg);
        assertEquals(line, e.getLine(), msg);
        String prefix = file + (line > 0 ? ", line " + line : "") + ": ";
        assertTrue(msg.startsWith(prefix), "'" + prefix + "' does not start: " + msg);
        for (String f : fragments) {
            assertTrue(msg.contains(f), "'" + f + "' missing from: " + msg);
        }
        return e;
    }
}
