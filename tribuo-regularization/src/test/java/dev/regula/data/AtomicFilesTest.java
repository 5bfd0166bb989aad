package dev.regula.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A write that fails half-way (a full disk) leaves the previous file and no temporary file, and names the file. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailedWriteLeavesThePreviousFileAndNamesIt() throws IOException {
        Path target = dir.resolve("model.tribuo");
        Files.writeString(target, "previous model");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[1 << 16]);
            throw new IOException("No space left on device");
        }));
        assertEquals("cannot write " + target + ": IOException: No space left on device", e.getMessage());
        assertEquals("previous model", Files.readString(target));
        assertEquals(List.of("model.tribuo"), names(), "no temporary file left behind");

        IllegalStateException unchecked = assertThrows(IllegalStateException.class,
                () -> AtomicFiles.writeVia(target, tmp -> { throw new IllegalStateException("bug"); }));
        assertEquals("bug", unchecked.getMessage());
        assertEquals(List.of("model.tribuo"), names());
    }

    @Test
    void aCompleteWriteReplacesTheFileKeepingItsExtensionWhileWriting() throws IOException {
        Path target = dir.resolve("best-config.xml");
        AtomicFiles.writeVia(target, tmp -> {
            assertTrue(tmp.getFileName().toString().startsWith(".best-config."), tmp.toString());
            assertTrue(tmp.getFileName().toString().endsWith(".tmp.xml"), tmp.toString());
            Files.writeString(tmp, "<config/>");
        });
        assertEquals("<config/>", Files.readString(target));
        AtomicFiles.writeString(target, "<config></config>");
        assertEquals("<config></config>", Files.readString(target));
        assertEquals(List.of("best-config.xml"), names());
    }
}
