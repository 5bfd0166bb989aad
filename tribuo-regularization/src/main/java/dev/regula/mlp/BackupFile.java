package dev.regula.mlp;

import dev.regula.data.AtomicFiles;
import dev.regula.data.Sha256;
import dev.regula.nn.UpdaterState;
import org.jspecify.annotations.Nullable;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The file format of a training backup: the identity of the run that wrote it and its {@link TrainingState},
 * versioned and checksummed. Big-endian throughout:
 * <pre>
 * magic     8 bytes "RGLBKUP1"
 * version   int     ({@value #VERSION})
 * identity  int n, then n (string key, string value) pairs, keys sorted
 * state     epoch; per layer kernel and bias; optimiser step and slots; dropout draws per thread; input draws;
 *           row order; epoch records; early stopping (best value, best epoch, wait, best weights if kept);
 *           the growing-loss warning flag
 * sha256    32 bytes over everything before it
 * </pre>
 * A string is an int byte count and UTF-8 bytes, a float or int array an int length and its values. The file is
 * written to a temporary name and moved into place ({@link AtomicFiles}), so a crash during a write leaves the
 * previous backup. Reading checks, in order, the magic, the checksum (a damaged or truncated file), the version,
 * and that every count fits the bytes that follow; any failure names the file.
 */
final class BackupFile {
    /** The current format version. */
    static final int VERSION = 1;
    private static final byte[] MAGIC = "RGLBKUP1".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST = 32;

    private BackupFile() {}

    /**
     * A decoded backup.
     * @param identity the identity of the run that wrote it.
     * @param state its training state.
     */
    record Contents(Map<String, String> identity, TrainingState state) {}

    /**
     * Writes a backup atomically.
     * @param file the backup file.
     * @param identity the run's identity.
     * @param s the state.
     * @throws IOException naming the file if writing fails; the previous backup is then unchanged.
     */
    static void write(Path file, Map<String, String> identity, TrainingState s) throws IOException {
        AtomicFiles.write(file, raw -> {
            MessageDigest sha = Sha256.newDigest();
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new DigestOutputStream(raw, sha), 1 << 16));
            out.write(MAGIC);
            out.writeInt(VERSION);
            Map<String, String> sorted = new TreeMap<>(identity);
            out.writeInt(sorted.size());
            for (Map.Entry<String, String> e : sorted.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
            out.writeInt(s.epoch());
            writeLayers(out, s.kernels(), s.biases());
            out.writeLong(s.updater().step());
            out.writeInt(s.updater().slots().size());
            for (float[] slot : s.updater().slots()) {
                writeFloats(out, slot);
            }
            out.writeInt(s.dropoutDraws().length);
            for (long d : s.dropoutDraws()) {
                out.writeLong(d);
            }
            out.writeLong(s.inputDraws());
            out.writeInt(s.order().length);
            for (int i : s.order()) {
                out.writeInt(i);
            }
            out.writeInt(s.records().size());
            for (EpochRecord r : s.records()) {
                out.writeInt(r.epoch());
                for (double v : new double[]{r.loss(), r.penalty(), r.accuracy(), r.valLoss(), r.valAccuracy(),
                        r.monitorValue(), r.learningRate(), r.seconds()}) {
                    out.writeDouble(v);
                }
            }
            out.writeDouble(s.bestValue());
            out.writeInt(s.bestEpoch());
            out.writeInt(s.waited());
            out.writeBoolean(s.bestKernels() != null);
            if (s.bestKernels() != null) {
                writeLayers(out, s.bestKernels(), s.bestBiases());
            }
            out.writeBoolean(s.warnedGrowing());
            out.flush();
            raw.write(sha.digest());
        });
    }

    /**
     * Reads and verifies a backup.
     * @param file the backup file.
     * @return its contents.
     * @throws BackupException naming the file if it is not a backup, is damaged or truncated, is of a newer format
     *     or does not fit in memory.
     * @throws IOException if it cannot be read.
     */
    static Contents read(Path file) throws IOException {
        long size = Files.size(file);
        long limit = Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 2);
        if (size > limit) {
            throw new BackupException("The training backup " + file + " holds " + size + " bytes, more than the "
                    + limit + " this JVM can read (half its maximum heap); run with a larger -Xmx");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < MAGIC.length || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new BackupException("The file " + file + " is not a Regula training backup (its first bytes are not "
                    + "\"RGLBKUP1\"); remove it or choose another backup folder");
        }
        if (bytes.length < MAGIC.length + Integer.BYTES + DIGEST) {
            throw new BackupException("The training backup " + file + " is truncated (" + bytes.length + " bytes); "
                    + "delete it to train from the start");
        }
        int body = bytes.length - DIGEST;
        MessageDigest sha = Sha256.newDigest();
        sha.update(bytes, 0, body);
        byte[] computed = sha.digest();
        if (!Arrays.equals(computed, 0, DIGEST, bytes, body, bytes.length)) {
            throw new BackupException("The training backup " + file + " is corrupt or truncated: its SHA-256 checksum "
                    + Sha256.hex(Arrays.copyOfRange(bytes, body, bytes.length)) + " does not match its content ("
                    + Sha256.hex(computed) + "); delete it to train from the start");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, body);
        in.position(MAGIC.length);
        int version = in.getInt();
        if (version < 1 || version > VERSION) {
            throw new BackupException("The training backup " + file + " has format version " + version
                    + "; this Regula reads version " + VERSION + " (a backup is only resumed by the version that wrote it)");
        }
        try {
            Map<String, String> identity = new TreeMap<>();
            int n = count(in, 8);
            for (int i = 0; i < n; i++) {
                identity.put(readString(in), readString(in));
            }
            int epoch = in.getInt();
            List<List<float[]>> layers = readLayers(in);
            long step = in.getLong();
            int slots = count(in, 4);
            List<float[]> slotList = new ArrayList<>(slots);
            for (int i = 0; i < slots; i++) {
                slotList.add(readFloats(in));
            }
            long[] draws = new long[count(in, 8)];
            for (int i = 0; i < draws.length; i++) {
                draws[i] = in.getLong();
            }
            long inputDraws = in.getLong();
            int[] order = new int[count(in, 4)];
            in.asIntBuffer().get(order);
            in.position(in.position() + 4 * order.length);
            int records = count(in, 4 + 8 * 8);
            List<EpochRecord> history = new ArrayList<>(records);
            for (int i = 0; i < records; i++) {
                history.add(new EpochRecord(in.getInt(), in.getDouble(), in.getDouble(), in.getDouble(), in.getDouble(),
                        in.getDouble(), in.getDouble(), in.getDouble(), in.getDouble()));
            }
            double bestValue = in.getDouble();
            int bestEpoch = in.getInt();
            int wait = in.getInt();
            List<List<float[]>> best = in.get() != 0 ? readLayers(in) : null;
            boolean warned = in.get() != 0;
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " unread bytes at the end");
            }
            return new Contents(identity, new TrainingState(epoch, layers.get(0), layers.get(1),
                    new UpdaterState(step, slotList), draws, inputDraws, order, history, bestValue, bestEpoch, wait,
                    best == null ? null : best.get(0), best == null ? null : best.get(1), warned));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            // a valid checksum over an invalid body: written by a faulty writer, not damaged on disk
            throw new BackupException("The training backup " + file + " is malformed although its checksum matches ("
                    + (e.getMessage() == null ? "it ends early" : e.getMessage()) + "); delete it to train from the start", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) {
        byte[] b = new byte[count(in, 1)];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeLayers(DataOutputStream out, List<float[]> kernels, List<float[]> biases)
            throws IOException {
        out.writeInt(kernels.size());
        for (int l = 0; l < kernels.size(); l++) {
            writeFloats(out, kernels.get(l));
            writeFloats(out, biases.get(l));
        }
    }

    private static List<List<float[]>> readLayers(ByteBuffer in) {
        int layers = count(in, 8);
        List<float[]> k = new ArrayList<>(layers);
        List<float[]> b = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            k.add(readFloats(in));
            b.add(readFloats(in));
        }
        return List.of(k, b);
    }

    /** Writes a float array in chunks through a byte buffer (one {@code writeFloat} per value is several times slower). */
    private static void writeFloats(OutputStream out, float[] v) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(Math.min(1 << 16, 4 + 4 * v.length));
        chunk.putInt(v.length);
        for (int from = 0; from < v.length; ) {
            int n = Math.min(v.length - from, chunk.remaining() / 4);
            chunk.asFloatBuffer().put(v, from, n);
            chunk.position(chunk.position() + 4 * n);
            from += n;
            out.write(chunk.array(), 0, chunk.position());
            chunk.clear();
        }
        if (chunk.position() > 0) {
            out.write(chunk.array(), 0, chunk.position());
        }
    }

    private static float[] readFloats(ByteBuffer in) {
        float[] v = new float[count(in, 4)];
        in.asFloatBuffer().get(v);
        in.position(in.position() + 4 * v.length);
        return v;
    }

    /** Reads a count and checks that that many items of at least {@code bytesEach} bytes can follow. */
    private static int count(ByteBuffer in, int bytesEach) {
        int n = in.getInt();
        if (n < 0 || (long) n * bytesEach > in.remaining()) {
            throw new IllegalArgumentException("a count of " + n + " at byte " + (in.position() - 4)
                    + " exceeds the remaining " + in.remaining() + " bytes");
        }
        return n;
    }
}
