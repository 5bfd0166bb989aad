package dev.regula.examples.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every option and command description is a valid format string: picocli formats them with {@code String.format}, and
 * a bare percent sign ("95 % interval") makes it print "Could not format" warnings into the help instead.
 */
class HelpTextTest {
    @Test
    void everyDescriptionFormats() {
        List<String> broken = new ArrayList<>();
        for (Map.Entry<String, CommandLine> sub : RegulaCli.commandLine().getSubcommands().entrySet()) {
            check(sub.getKey(), sub.getValue().getCommandSpec().userObject().getClass(), broken);
        }
        assertTrue(broken.isEmpty(), "descriptions that picocli cannot format: " + broken);
    }

    /** Formats the raw annotation texts of a command class, its superclasses and its mixins, as picocli does. */
    private static void check(String command, Class<?> type, List<String> broken) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            CommandLine.Command cmd = c.getAnnotation(CommandLine.Command.class);
            if (cmd != null) {
                texts(command, cmd.description(), broken);
            }
            for (Field f : c.getDeclaredFields()) {
                CommandLine.Option option = f.getAnnotation(CommandLine.Option.class);
                if (option != null) {
                    texts(command + " " + option.names()[0], option.description(), broken);
                }
                CommandLine.Parameters parameters = f.getAnnotation(CommandLine.Parameters.class);
                if (parameters != null) {
                    texts(command + " " + f.getName(), parameters.description(), broken);
                }
                if (f.getAnnotation(CommandLine.Mixin.class) != null) {
                    check(command, f.getType(), broken);
                }
            }
        }
    }

    private static void texts(String where, String[] texts, List<String> broken) {
        for (String text : texts) {
            try {
                String.format(text.replace("${DEFAULT-VALUE}", "x").replace("${COMPLETION-CANDIDATES}", "x"));
            } catch (IllegalFormatException e) {
                broken.add(where + ": " + text);
            }
        }
    }

    @Test
    void helpOfEveryCommandExitsZero() {
        for (String command : RegulaCli.commandLine().getSubcommands().keySet()) {
            CliTestSupport.Run run = CliTestSupport.run(command, "--help");
            assertEquals(0, run.exitCode(), command + ": " + run);
            assertTrue(run.out().contains("Usage: regula " + command), command + ": " + run);
        }
    }
}
