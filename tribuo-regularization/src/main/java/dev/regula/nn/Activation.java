package dev.regula.nn;

import org.jspecify.annotations.Nullable;

/**
 * Element-wise activation functions of hidden layers. Each derivative is written in terms of the activation's
 * <em>output</em> {@code a = f(z)}, so the backward pass needs only the stored outputs.
 */
public enum Activation {
    /** {@code max(0, z)}; derivative 1 for {@code a > 0}, else 0 (0 at z = 0, as in Keras and PyTorch). */
    RELU,
    /** {@code tanh(z)}; derivative {@code 1 − a²}. */
    TANH,
    /** {@code 1 / (1 + e^−z)}; derivative {@code a (1 − a)}. */
    SIGMOID,
    /** ELU with α = 1 (Keras' default): {@code z} for z &gt; 0, else {@code e^z − 1}; derivative 1 or {@code a + 1}. */
    ELU,
    /** The identity; derivative 1. */
    LINEAR;

    /**
     * The activation of one pre-activation value.
     * @param z the pre-activation.
     * @return f(z).
     */
    float apply(float z) {
        switch (this) {
            case RELU: return z > 0f ? z : 0f;
            case TANH: return (float) Math.tanh(z);
            case SIGMOID: return (float) (1.0 / (1.0 + Math.exp(-z)));
            case ELU: return z > 0f ? z : (float) Math.expm1(z);
            default: return z;
        }
    }

    /**
     * The derivative f'(z) expressed through the output a = f(z).
     * @param a the activation output.
     * @return f'(z).
     */
    float derivative(float a) {
        switch (this) {
            case RELU: return a > 0f ? 1f : 0f;
            case TANH: return 1f - a * a;
            case SIGMOID: return a * (1f - a);
            case ELU: return a > 0f ? 1f : a + 1f;
            default: return 1f;
        }
    }

    /**
     * Fused bias + activation of one row, in place: {@code row[j] = f(row[j] + bias[j])} for {@code j < cols}.
     * <p>
     * The row starts at index 0, like the bias, on purpose: on JDK 17 the JIT does not vectorize a loop whose
     * arrays are indexed with different offsets ({@code z[o + j]} against {@code bias[j]}), and such a loop is
     * several times slower than copying each row into a scratch array, activating it there and copying it back
     * (figures in {@code docs/performance.md}). Callers therefore move rows through a scratch row.
     * @param row the pre-activations, overwritten with the activations.
     * @param bias the bias, at least cols long.
     * @param cols the number of values.
     */
    public void forwardRow(float[] row, float[] bias, int cols) {
        switch (this) {
            case RELU:
                // Math.max compiles to vector max instructions; a conditional does not vectorize.
                for (int j = 0; j < cols; j++) {
                    row[j] = Math.max(row[j] + bias[j], 0f);
                }
                break;
            case LINEAR:
                for (int j = 0; j < cols; j++) {
                    row[j] += bias[j];
                }
                break;
            default:
                for (int j = 0; j < cols; j++) {
                    row[j] = apply(row[j] + bias[j]);
                }
        }
    }

    /**
     * Bias + activation of rows {@code [fromRow, toRow)} of a row-major matrix on a device, each row moved through
     * {@code row} (see {@link #forwardRow}): fetched, activated, then copied to the same place in {@code heapCopy}
     * when given and written back to the device when asked.
     * @param buffer the pre-activations, rows × cols.
     * @param bias the bias, cols long.
     * @param fromRow the first row.
     * @param toRow one past the last row.
     * @param cols the number of columns.
     * @param row scratch, at least cols long.
     * @param heapCopy where the activated rows are also copied (same layout as the device matrix), or null.
     * @param writeBack whether the activated rows replace the pre-activations on the device.
     */
    void forwardRows(DeviceBuffer buffer, float[] bias, int fromRow, int toRow, int cols, float[] row,
                     float @Nullable [] heapCopy, boolean writeBack) {
        for (int o = fromRow * cols; o < toRow * cols; o += cols) {
            buffer.read(o, row, 0, cols);
            forwardRow(row, bias, cols);
            if (heapCopy != null) {
                System.arraycopy(row, 0, heapCopy, o, cols);
            }
            if (writeBack) {
                buffer.write(o, row, 0, cols);
            }
        }
    }

    /**
     * Multiplies upstream gradients by the derivative, in place: {@code grad[i] *= f'(z_i)}, with the derivative
     * computed from the outputs {@code a}, for the elements {@code [from, to)}.
     * @param a the activation outputs.
     * @param grad the gradients with respect to the outputs, overwritten with those with respect to z.
     * @param from the first element.
     * @param to one past the last element.
     */
    public void backward(float[] a, float[] grad, int from, int to) {
        switch (this) {
            case RELU:
                // a >= 0, so min(a · 2^126, 1) is 1 for every normal positive a and 0 for a = 0 (a vectorizable
                // form of the step function); positive subnormals, which ReLU outputs essentially never are, get
                // a slope below 1.
                for (int i = from; i < to; i++) {
                    grad[i] *= Math.min(a[i] * 0x1p126f, 1f);
                }
                break;
            case LINEAR:
                break;
            default:
                for (int i = from; i < to; i++) {
                    grad[i] *= derivative(a[i]);
                }
        }
    }
}
