package dev.regula.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Measures the inflated length of a gzip file (RFC 1952, one or more members) without keeping the output, and
 * stops as soon as more than a given number of bytes has come out, so a small file that inflates to gigabytes costs
 * one buffer and the time of inflating the allowed amount. Unlike {@link java.util.zip.GZIPInputStream}, which
 * silently ignores what follows the last member, bytes after the gzip data are an error.
 */
final class BoundedGzip {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int lim;
    /** Bytes read from the file before {@code buffer[0]}. */
    private long bufferStart;

    private BoundedGzip(InputStream in) {
        this.in = in;
    }

    /** Thrown when bytes that are not a gzip member follow the gzip data. */
    static final class TrailingDataException extends ZipException {
        private static final long serialVersionUID = 1L;
        private final long offset;

        TrailingDataException(long offset) {
            super("data after the end of the gzip stream at offset " + offset);
            this.offset = offset;
        }

        /** @return the offset at which the gzip data ends. */
        long offset() {
            return offset;
        }
    }

    /**
     * Inflates a gzip file, checking every member's CRC-32 and length, until it ends or more than {@code limit}
     * bytes have been inflated.
     * @param file the gzip file.
     * @param limit the number of inflated bytes after which to stop.
     * @return the inflated length if at most {@code limit}, otherwise a value above {@code limit} (inflation
     *     stopped there).
     * @throws EOFException if the file ends inside a member.
     * @throws TrailingDataException if bytes that are not a gzip member follow the last member.
     * @throws ZipException if the data is not valid gzip (header, deflate data, CRC-32 or length).
     * @throws IOException if the file cannot be read.
     */
    static long inflatedLength(Path file, long limit) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            return new BoundedGzip(raw).inflate(limit);
        }
    }

    private long inflate(long limit) throws IOException {
        byte[] out = new byte[1 << 16];
        Inflater inflater = new Inflater(true);
        long total = 0;
        try {
            boolean first = true;
            while (true) {
                long memberStart = bufferStart + pos;
                if (!first && peek() < 0) {
                    return total;
                }
                if (!header()) {
                    if (first) {
                        throw new ZipException("Not in GZIP format");
                    }
                    throw new TrailingDataException(memberStart);
                }
                first = false;
                inflater.reset();
                CRC32 crc = new CRC32();
                long memberLength = 0;
                while (!inflater.finished()) {
                    if (inflater.needsInput()) {
                        if (pos == lim && !fill()) {
                            throw new EOFException("Unexpected end of ZLIB input stream");
                        }
                        inflater.setInput(buffer, pos, lim - pos);
                        pos = lim;
                    }
                    int n;
                    try {
                        n = inflater.inflate(out, 0, out.length);
                    } catch (DataFormatException e) {
                        throw new ZipException(e.getMessage() == null ? "invalid deflate data" : e.getMessage());
                    }
                    if (n == 0 && inflater.needsDictionary()) {
                        throw new ZipException("deflate data needs a preset dictionary");
                    }
                    crc.update(out, 0, n);
                    memberLength += n;
                    total += n;
                    if (total > limit) {
                        return total;
                    }
                }
                pos = lim - inflater.getRemaining();
                long storedCrc = intLE();
                long storedLength = intLE();
                if (storedCrc != crc.getValue()) {
                    throw new ZipException("Corrupt GZIP trailer: CRC-32 mismatch");
                }
                if (storedLength != (memberLength & 0xffffffffL)) {
                    throw new ZipException("Corrupt GZIP trailer: length mismatch");
                }
            }
        } finally {
            inflater.end();
        }
    }

    /** Reads a member header; false if the next bytes are not the gzip magic (nothing is consumed then). */
    private boolean header() throws IOException {
        if (peek() != 0x1f) {
            return false;
        }
        if (lim - pos < 2 && !fillKeeping()) {
            return false;
        }
        if ((buffer[pos + 1] & 0xff) != 0x8b) {
            return false;
        }
        pos += 2;
        int method = u8();
        if (method != 8) {
            throw new ZipException("Unsupported compression method " + method);
        }
        int flags = u8();
        skip(6); // modification time, extra flags, operating system
        if ((flags & FEXTRA) != 0) {
            skip(u8() | (u8() << 8));
        }
        if ((flags & FNAME) != 0) {
            while (u8() != 0) {
                // skip the file name
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (u8() != 0) {
                // skip the comment
            }
        }
        if ((flags & FHCRC) != 0) {
            skip(2);
        }
        return true;
    }

    /** @return the next byte without consuming it, or -1 at the end of the file. */
    private int peek() throws IOException {
        if (pos == lim && !fill()) {
            return -1;
        }
        return buffer[pos] & 0xff;
    }

    private int u8() throws IOException {
        if (pos == lim && !fill()) {
            throw new EOFException("Unexpected end of gzip header or trailer");
        }
        return buffer[pos++] & 0xff;
    }

    private long intLE() throws IOException {
        return u8() | (u8() << 8) | (u8() << 16) | ((long) u8() << 24);
    }

    private void skip(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            u8();
        }
    }

    /** Refills an exhausted buffer; false at the end of the file. */
    private boolean fill() throws IOException {
        bufferStart += lim;
        pos = 0;
        lim = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        lim = n;
        return true;
    }

    /** Moves the unread bytes to the front and reads more after them; false if nothing more could be read. */
    private boolean fillKeeping() throws IOException {
        int left = lim - pos;
        System.arraycopy(buffer, pos, buffer, 0, left);
        bufferStart += pos;
        pos = 0;
        lim = left;
        int n = in.read(buffer, left, buffer.length - left);
        if (n <= 0) {
            return false;
        }
        lim += n;
        return true;
    }
}
