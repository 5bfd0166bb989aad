package dev.regula.data;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

class Sha256Test {
    @Test
    void knownDigestInLowerCaseHex() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.hex(Sha256.digest(abc)));
        assertEquals(Sha256.hex(Sha256.digest(abc)), Sha256.hex(Sha256.newDigest().digest(abc)));
        assertEquals("00ff10", Sha256.hex(new byte[]{0, (byte) 0xff, 0x10}));
        assertNotSame(Sha256.newDigest(), Sha256.newDigest());
    }
}
