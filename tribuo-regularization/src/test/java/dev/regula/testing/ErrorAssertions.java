package dev.regula.testing;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions that bad input fails with a message naming the problem. */
public final class ErrorAssertions {
    private ErrorAssertions() {}

    /**
     * Asserts a {@link PropertyException} on {@code field} whose message names the field and every fragment.
     * @param field the configurable field that must be blamed.
     * @param configuration the configuration that must fail.
     * @param fragments texts the message must contain.
     */
    public static void rejects(String field, Executable configuration, String... fragments) {
        PropertyException e = assertThrows(PropertyException.class, configuration, field);
        assertEquals(field, e.getProperty(), e.getMessage());
        String message = e.getMessage();
        assertTrue(message.contains(field), "message '" + message + "' should name " + field);
        for (String f : fragments) {
            assertTrue(message.contains(f), "message '" + message + "' should contain '" + f + "'");
        }
    }

    /**
     * Asserts an {@link IllegalArgumentException} whose message contains every fragment.
     * @param action the action that must fail.
     * @param fragments texts the message must contain.
     */
    public static void failsClearly(Executable action, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should contain '" + f + "'");
        }
    }
}
