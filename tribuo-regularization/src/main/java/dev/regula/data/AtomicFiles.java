package dev.regula.data;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Replacing a file by a fully written temporary file, so that readers never see a partial one. */
final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Moves {@code tmp} over {@code target}: atomically where the file system can, else as a plain replacing move.
     * @param tmp the completely written file, in the target's folder.
     * @param target the file to create or replace.
     * @throws IOException if the move fails.
     */
    static void replace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
