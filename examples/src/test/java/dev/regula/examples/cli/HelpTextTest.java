package dev.regula.examples.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

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
        CommandLine root = RegulaCli.commandLine();
        for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
            CommandSpec spec = sub.getValue().getCommandSpec();
            List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
            for (ArgSpec arg : spec.args()) {
                texts.addAll(List.of(arg.description()));
            }
            for (String text : texts) {
                try {
                    String.format(text.replace("${DEFAULT-VALUE}", "x").replace("${COMPLETION-CANDIDATES}", "x"));
                } catch (IllegalFormatException e) {
                    broken.add(sub.getKey() + ": " + text);
                }
            }
        }
        assertTrue(broken.isEmpty(), "descriptions that picocli cannot format: " + broken);
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
