package dev.regula.nn;

/**
 * A float buffer that a {@link Blas} backend multiplies without copying: native memory for OpenBLAS, a plain array
 * for the Java backend. Training keeps the operands of its repeated products (kernels, activations, gradients)
 * in such buffers and moves only what the element-wise code needs between them and heap arrays, which is far less
 * than the whole-array copies a native call on Java arrays makes in and out for every operand.
 */
public interface DeviceBuffer {
    /**
     * Copies {@code n} values from the start of a heap array into this buffer.
     * @param src the source.
     * @param n the number of values.
     */
    void write(float[] src, int n);

    /**
     * Copies the first {@code n} values of this buffer into the start of a heap array.
     * @param dst the destination.
     * @param n the number of values.
     */
    void read(float[] dst, int n);

    /** @return the capacity in floats. */
    int size();
}
