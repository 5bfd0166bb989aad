package dev.regula.data;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 helpers shared by Regula (data sources, the fitted input transform): a fresh digest (every Java platform has SHA-256, so its absence
 * is an {@link IllegalStateException}, not a checked exception) and lower-case hex.
 */
public final class Sha256 {
    /** Static helpers only. */
    private Sha256() {}

    /**
     * @return a new SHA-256 digest.
     * @throws IllegalStateException if the platform has no SHA-256, which the Java specification forbids.
     */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * @param data the bytes to hash.
     * @return their SHA-256 digest, 32 bytes.
     */
    public static byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }

    /**
     * @param digest a digest (or any bytes).
     * @return the bytes as lower-case hex, two digits per byte.
     */
    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
