package dev.regula.examples.cli;

import dev.regula.data.AtomicFiles;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The rules every command that writes follows, so that no command overwrites or loses user data:
 * <ul>
 *     <li>an output folder must be new, empty or written earlier by the same command (it carries the command's
 *     marker file), unless {@code --overwrite} is given ({@link #prepareFolder});</li>
 *     <li>an output is never one of the command's inputs ({@link #refuseInputs});</li>
 *     <li>an output folder is locked for the whole run, so a second run into it is refused instead of interleaving
 *     its files ({@link #lock});</li>
 *     <li>files are written to a temporary name and moved into place ({@link AtomicFiles}).</li>
 * </ul>
 */
final class Outputs {
    /** Name of the lock file held in an output folder while a command writes into it. */
    static final String LOCK_FILE = ".regula.lock";

    private Outputs() {}

    /**
     * Accepts an output folder that does not exist, is empty, or carries {@code marker} (an earlier run of the same
     * command wrote it); any other folder only with {@code --overwrite}. Then creates it and writes the marker.
     * @param dir the folder.
     * @param option the option naming it, e.g. {@code --out}.
     * @param marker the command's marker file name.
     * @param command the command, e.g. {@code study}.
     * @param overwrite true if {@code --overwrite} was given.
     * @throws UserException if the folder is refused.
     * @throws IOException if it cannot be created.
     */
    static void prepareFolder(Path dir, String option, String marker, String command, boolean overwrite) throws IOException {
        checkFolder(dir, option, marker, command, overwrite);
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve(marker))) {
            AtomicFiles.writeString(dir.resolve(marker), "Output folder of 'regula " + command + "'; 'regula " + command
                    + "' may overwrite its files.\n");
        }
    }

    /**
     * The check of {@link #prepareFolder} without creating anything, to refuse a folder before reading any data.
     * @param dir the folder.
     * @param option the option naming it, e.g. {@code --out}.
     * @param marker the command's marker file name.
     * @param command the command, e.g. {@code study}.
     * @param overwrite true if {@code --overwrite} was given.
     * @throws UserException if the folder is refused.
     * @throws IOException if it cannot be listed.
     */
    static void checkFolder(Path dir, String option, String marker, String command, boolean overwrite) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new UserException(option + " " + dir + " exists and is not a directory");
            }
            boolean empty;
            try (Stream<Path> s = Files.list(dir)) {
                empty = s.allMatch(p -> p.getFileName().toString().equals(LOCK_FILE));
            }
            if (!empty && !Files.exists(dir.resolve(marker)) && !overwrite) {
                throw new UserException(option + " " + dir + " exists, is not empty and is not a " + command + " folder (no "
                        + marker + " file); choose a new or empty folder, or add --overwrite to write into it anyway");
            }
        }
    }

    /**
     * An input file of a command, for {@link #refuseInputs}.
     * @param file the file, or null if the input is not given.
     * @param what what it is, e.g. {@code the --model file}.
     */
    record Input(@Nullable Path file, String what) {}

    /**
     * Refuses an output that is one of the command's inputs (the same path, or the same file through a link).
     * @param output the output file.
     * @param option the option naming it, e.g. {@code --out}.
     * @param inputs the inputs.
     * @throws UserException if the output is one of them.
     * @throws IOException if the files cannot be compared.
     */
    static void refuseInputs(Path output, String option, List<Input> inputs) throws IOException {
        Path out = output.toAbsolutePath().normalize();
        for (Input input : inputs) {
            Path in = input.file();
            if (in == null) {
                continue;
            }
            boolean same = out.equals(in.toAbsolutePath().normalize())
                    || (Files.exists(out) && Files.exists(in) && Files.isSameFile(out, in));
            if (same) {
                throw new UserException(option + " " + output + " is " + input.what() + ", an input of this command; "
                        + "choose another output file");
            }
        }
    }

    /**
     * Takes the lock of an output folder (creating the folder) for the rest of the run. The lock is an operating
     * system lock on {@value #LOCK_FILE}, released when the process ends however it ends; the file is removed on
     * {@link OutputLock#close()}.
     * @param dir the output folder.
     * @param command what is writing, recorded in the lock file for the message of a refused second run.
     * @return the lock, to close when the command has written everything.
     * @throws UserException if another run holds the lock.
     * @throws IOException if the lock file cannot be created.
     */
    static OutputLock lock(Path dir, String command) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(LOCK_FILE);
        for (int attempt = 0; attempt < 10; attempt++) {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new UserException("another regula command is writing into " + dir + (holder.isEmpty() ? "" : " (" + holder + ")")
                        + "; wait for it to finish or choose another folder (lock file " + file + ")");
            }
            // The previous holder removes the file before releasing it: make sure the locked file is the one at the path.
            String token = UUID.randomUUID().toString();
            String content = "regula " + command + ", process " + ProcessHandle.current().pid() + ", since "
                    + OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS) + ", token " + token + "\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            String atPath;
            try {
                atPath = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                atPath = "";
            }
            if (atPath.contains(token)) {
                return new OutputLock(file, channel, lock);
            }
            lock.release();
            channel.close();
        }
        throw new IOException("cannot take the lock " + file + ": it keeps being replaced");
    }

    /** What the lock file says about its holder: command, process and start time. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer b = ByteBuffer.allocate(512);
            channel.read(b, 0);
            String text = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
            int token = text.indexOf(", token ");
            return token < 0 ? text : text.substring(0, token);
        } catch (IOException e) {
            return "";
        }
    }

    /** The lock of an output folder; {@link #close()} removes the lock file and releases the lock. */
    static final class OutputLock implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final FileLock lock;

        private OutputLock(Path file, FileChannel channel, FileLock lock) {
            this.file = file;
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                Files.deleteIfExists(file); // while still holding the lock: a waiting run then re-creates it
            } finally {
                try {
                    lock.release();
                } finally {
                    channel.close();
                }
            }
        }
    }

    /**
     * The files among {@code files} that exist.
     * @param files candidate files.
     * @return the existing ones, in order.
     */
    static List<Path> existing(List<Path> files) {
        List<Path> out = new ArrayList<>();
        for (Path f : files) {
            if (Files.exists(f)) {
                out.add(f);
            }
        }
        return out;
    }
}
