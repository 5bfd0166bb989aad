package dev.regula.data;

import org.jspecify.annotations.Nullable;

import java.util.Locale;

/**
 * How much memory Regula's data readers may plan to allocate for one read, checked against the sizes a file
 * <em>declares</em> (an IDX header, PNG headers and chunk lengths, the number of images listed in an index) before
 * anything of that size is allocated or inflated, so that a small hostile or corrupt file is refused with a message
 * instead of ending in an {@link OutOfMemoryError}.
 * <p>
 * The limit is three quarters of the JVM's maximum heap ({@link Runtime#maxMemory()}, set with {@code -Xmx}),
 * unless the system property {@value #PROPERTY} gives it explicitly, as bytes or with a binary suffix:
 * {@code -Dregula.memory.limit=8g}, {@code 512m}, {@code 65536k}. An explicit limit above the heap lets the read
 * go ahead and fail with {@code OutOfMemoryError} if the estimate was right. Each reader documents its estimate;
 * each refusal says what was asked, what is available and these two settings.
 * <p>
 * PNG metadata chunks that are stored compressed (iCCP, zTXt, compressed iTXt) are inflated into memory by the
 * decoder although no pixel needs them; their inflated size is limited separately, to {@value #DEFAULT_PNG_METADATA}
 * bytes per image unless the system property {@value #PNG_METADATA_PROPERTY} says otherwise.
 */
public final class MemoryBudget {
    /** System property overriding the memory limit of one read, e.g. {@code 8g}. */
    public static final String PROPERTY = "regula.memory.limit";
    /** System property overriding the limit on a PNG's inflated metadata chunks, e.g. {@code 64m}. */
    public static final String PNG_METADATA_PROPERTY = "regula.png.maxMetadata";
    /** Default limit on the inflated size of a PNG's compressed metadata chunks, 16 MiB per image. */
    public static final long DEFAULT_PNG_METADATA = 16L << 20;

    private MemoryBudget() {}

    /**
     * @return the number of bytes one read may plan to allocate: {@value #PROPERTY} if set, else three quarters of
     *     the maximum heap.
     * @throws IllegalArgumentException if the property is set but is not a size.
     */
    public static long limit() {
        String value = System.getProperty(PROPERTY);
        if (value != null && !value.isBlank()) {
            return parseSize(PROPERTY, value);
        }
        return Runtime.getRuntime().maxMemory() / 4 * 3;
    }

    /**
     * @return the limit on the inflated size of one PNG's compressed metadata chunks.
     * @throws IllegalArgumentException if {@value #PNG_METADATA_PROPERTY} is set but is not a size.
     */
    public static long pngMetadataLimit() {
        String value = System.getProperty(PNG_METADATA_PROPERTY);
        return value == null || value.isBlank() ? DEFAULT_PNG_METADATA : parseSize(PNG_METADATA_PROPERTY, value);
    }

    /**
     * The message of a refusal: what was asked, what is available and how to change it.
     * @param what what needs the memory, e.g. {@code IDX header UBYTE[2700000, 28, 28] declares 2116800000 values; reading them}.
     * @param needed the estimated bytes.
     * @return the message, or null if {@code needed} is within the limit.
     */
    static @Nullable String refusal(String what, long needed) {
        long limit = limit();
        if (needed <= limit) {
            return null;
        }
        return what + " needs about " + format(needed) + ", more than the " + format(limit) + " available " + source()
                + "; raise -Xmx, or set -D" + PROPERTY + "=SIZE (e.g. -D" + PROPERTY + "=" + suggestion(needed)
                + ") if the data is genuine";
    }

    /** Where the limit comes from, for messages. */
    private static String source() {
        String value = System.getProperty(PROPERTY);
        if (value != null && !value.isBlank()) {
            return "(-D" + PROPERTY + "=" + value.trim() + ")";
        }
        return "(three quarters of the JVM's maximum heap of " + format(Runtime.getRuntime().maxMemory()) + ")";
    }

    /** A limit in whole GiB (or MiB) comfortably above {@code needed}. */
    private static String suggestion(long needed) {
        long mib = (needed >> 20) + 1;
        return mib >= 1024 ? ((mib + 1023) / 1024) + "g" : mib + "m";
    }

    /**
     * Parses a size: a non-negative number of bytes, optionally followed by {@code k}, {@code m}, {@code g} or
     * {@code t} (binary multiples, case-insensitive, an optional trailing {@code b}).
     * @param property the property, for the message.
     * @param value the text.
     * @return the bytes.
     * @throws IllegalArgumentException if the text is not a size.
     */
    static long parseSize(String property, String value) {
        String s = value.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> shift = 0;
            }
        }
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        try {
            long n = Long.parseLong(digits.trim());
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + property + " must be a size such as 512m or 8g, found '"
                    + value + "'", e);
        }
    }

    /**
     * @param bytes a size.
     * @return it in the largest binary unit that keeps it at least 1, with one decimal: {@code 3.0 GiB}.
     */
    static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
