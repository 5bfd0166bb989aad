package dev.regula.nn;

/**
 * A float buffer that a {@link Blas} backend multiplies without copying: native memory for OpenBLAS, a plain array
 * for the Java backend. Training keeps the operands of its repeated products (kernels, activations, gradients)
 * in such buffers and moves only what the element-wise code needs between them and heap arrays, which is far less
 * than the whole-array copies a native call on Java arrays makes in and out for every operand.
 */
public interface DeviceBuffer {
    /**
     * Copies {@code src[offset, offset + length)} into this buffer from position {@code index} on (the shape of
     * {@link java.nio.FloatBuffer#put(int, float[], int, int)}). Safe to call concurrently for disjoint ranges.
     * @param index the first position written in this buffer.
     * @param src the source.
     * @param offset the first position read in {@code src}.
     * @param length the number of values.
     */
    void write(int index, float[] src, int offset, int length);

    /**
     * Copies this buffer's values at {@code [index, index + length)} into {@code dst} from position {@code offset}
     * on (the shape of {@link java.nio.FloatBuffer#get(int, float[], int, int)}). Safe to call concurrently.
     * @param index the first position read in this buffer.
     * @param dst the destination.
     * @param offset the first position written in {@code dst}.
     * @param length the number of values.
     */
    void read(int index, float[] dst, int offset, int length);
}
