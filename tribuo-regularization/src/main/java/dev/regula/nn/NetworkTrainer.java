package dev.regula.nn;

import java.util.SplittableRandom;

/**
 * One minibatch step of training on a {@link Network}: forward pass with inverted dropout, softmax
 * cross-entropy, backward pass, L1/L2 penalty gradients, optimiser update and max-norm projection.
 * <p>
 * All buffers are allocated once for the largest batch; a step allocates nothing. The operands of the matrix
 * products (kernels, layer outputs, gradients) live in the backend's {@link DeviceBuffer}s — native memory for
 * OpenBLAS — and only what the element-wise code touches moves between them and heap arrays: per layer and step,
 * the pre-activations and layer outputs, the back-propagated deltas, the kernel gradient and, after the update,
 * the kernel. The objective minimised is
 * Keras': {@code mean_batch(CE) + Σ_layers (l1·Σ|W| + l2·ΣW²)}. Dropout masks come from the given random
 * source, consumed in a fixed order, so training is deterministic for a fixed seed and BLAS thread count.
 * Not thread-safe.
 */
public final class NetworkTrainer {
    private final Network net;
    private final Blas blas;
    private final Updater updater;
    private final SplittableRandom dropoutRng;
    private final LayerSpec[] layers;
    private final float[][] act;
    private final float[][] out;
    private final float[][] mask;
    private final float[][] delta;
    private final float[][] params;
    private final float[][] grads;
    private final int[] correct = new int[1];
    private final DeviceBuffer inputDev;
    private final DeviceBuffer[] kernelDev;
    private final DeviceBuffer[] layerDev;
    private final DeviceBuffer[] gradDev;

    private double lossSum;
    private double penaltyWeightedSum;
    private long seen;

    /**
     * Prepares training of a network in place.
     * @param net the network, whose parameters are updated by {@link #step}.
     * @param maxBatch the largest batch size.
     * @param blas the BLAS backend.
     * @param updater the optimiser state, created for {@link #parameterSizes(Network)}.
     * @param dropoutRng the random source of dropout masks.
     */
    public NetworkTrainer(Network net, int maxBatch, Blas blas, Updater updater, SplittableRandom dropoutRng) {
        this.net = net;
        this.blas = blas;
        this.updater = updater;
        this.dropoutRng = dropoutRng;
        this.layers = net.getLayers().toArray(new LayerSpec[0]);
        int n = layers.length;
        act = new float[n][];
        out = new float[n][];
        mask = new float[n][];
        delta = new float[n][];
        params = new float[2 * n][];
        grads = new float[2 * n][];
        inputDev = blas.allocate(maxBatch * layers[0].inputs());
        kernelDev = new DeviceBuffer[n];
        layerDev = new DeviceBuffer[n];
        gradDev = new DeviceBuffer[n];
        for (int l = 0; l < n; l++) {
            kernelDev[l] = blas.allocate(net.kernels[l].length);
            kernelDev[l].write(net.kernels[l], net.kernels[l].length);
            layerDev[l] = blas.allocate(maxBatch * layers[l].units());
            gradDev[l] = blas.allocate(net.kernels[l].length);
            LayerSpec s = layers[l];
            act[l] = new float[maxBatch * s.units()];
            if (s.dropout() > 0) {
                out[l] = new float[maxBatch * s.units()];
                mask[l] = new float[maxBatch * s.units()];
            } else {
                out[l] = act[l];
            }
            if (l < n - 1) {
                delta[l] = new float[maxBatch * s.units()];
            }
            params[2 * l] = net.kernels[l];
            params[2 * l + 1] = net.biases[l];
            grads[2 * l] = new float[net.kernels[l].length];
            grads[2 * l + 1] = new float[net.biases[l].length];
        }
    }

    /**
     * The lengths of the parameter tensors in update order (kernel and bias of each layer), for creating an
     * {@link Updater}.
     * @param net the network.
     * @return the tensor lengths.
     */
    public static int[] parameterSizes(Network net) {
        int n = net.kernels.length;
        int[] sizes = new int[2 * n];
        for (int l = 0; l < n; l++) {
            sizes[2 * l] = net.kernels[l].length;
            sizes[2 * l + 1] = net.biases[l].length;
        }
        return sizes;
    }

    /**
     * One training step on a minibatch.
     * @param x the inputs, rows × inputs row-major; input dropout is applied to it in place.
     * @param y the labels.
     * @param rows the batch size, at most the {@code maxBatch} given at construction.
     * @return the batch objective: mean cross-entropy plus penalty (NaN or infinite if training diverged).
     */
    public double step(float[] x, int[] y, int rows) {
        forward(x, rows);
        int last = layers.length - 1;
        double ce = Softmax.crossEntropyGradient(act[last], y, rows, layers[last].units(), correct) / rows;
        backward(rows);
        double penalty = penaltyAndGradient(true);
        updater.update(params, grads);
        applyMaxNorm();
        for (int l = 0; l < layers.length; l++) {
            kernelDev[l].write(net.kernels[l], net.kernels[l].length);
        }
        lossSum += ce * rows;
        penaltyWeightedSum += penalty * rows;
        seen += rows;
        return ce + penalty;
    }

    /** Forward pass: layerDev[l] ends holding layer l's output (the next layer's input), act/out its heap copies. */
    private void forward(float[] x, int rows) {
        if (net.getInputDropout() > 0) {
            dropout(x, null, rows * layers[0].inputs(), net.getInputDropout());
        }
        inputDev.write(x, rows * layers[0].inputs());
        DeviceBuffer cur = inputDev;
        for (int l = 0; l < layers.length; l++) {
            LayerSpec s = layers[l];
            int n = rows * s.units();
            blas.sgemm(false, false, rows, s.units(), s.inputs(), 1f, cur, s.inputs(), kernelDev[l], s.units(), 0f,
                    layerDev[l], s.units());
            layerDev[l].read(act[l], n);
            s.activation().forward(act[l], net.biases[l], rows, s.units());
            if (s.dropout() > 0) {
                System.arraycopy(act[l], 0, out[l], 0, n);
                dropout(out[l], mask[l], n, s.dropout());
            }
            if (l < layers.length - 1) {
                layerDev[l].write(out[l], n);
            }
            cur = layerDev[l];
        }
    }

    /**
     * Backward pass from the logits' gradient in act[last]. Layer l's delta goes into layerDev[l] once the kernel
     * gradient of layer l + 1, the last reader of layer l's output, has been computed.
     */
    private void backward(int rows) {
        int last = layers.length - 1;
        float[] dz = act[last];
        layerDev[last].write(dz, rows * layers[last].units());
        for (int l = last; l >= 0; l--) {
            LayerSpec s = layers[l];
            DeviceBuffer input = l == 0 ? inputDev : layerDev[l - 1];
            blas.sgemm(true, false, s.inputs(), s.units(), rows, 1f, input, s.inputs(), layerDev[l], s.units(), 0f,
                    gradDev[l], s.units());
            gradDev[l].read(grads[2 * l], grads[2 * l].length);
            columnSums(dz, rows, s.units(), grads[2 * l + 1]);
            if (l > 0) {
                float[] d = delta[l - 1];
                int n = rows * s.inputs();
                blas.sgemm(false, true, rows, s.inputs(), s.units(), 1f, layerDev[l], s.units(), kernelDev[l], s.units(),
                        0f, layerDev[l - 1], s.inputs());
                layerDev[l - 1].read(d, n);
                float[] m = mask[l - 1];
                if (m != null) {
                    for (int i = 0; i < n; i++) {
                        d[i] *= m[i];
                    }
                }
                layers[l - 1].activation().backward(act[l - 1], d, n);
                layerDev[l - 1].write(d, n);
                dz = d;
            }
        }
    }

    private static void columnSums(float[] m, int rows, int cols, float[] sums) {
        java.util.Arrays.fill(sums, 0f);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int j = 0; j < cols; j++) {
                sums[j] += m[o + j];
            }
        }
    }

    /**
     * Inverted dropout in place: each value is kept with probability 1 − rate and scaled by 1 / (1 − rate),
     * otherwise zeroed. A value is kept iff a uniform 32-bit integer is at least {@code round(rate · 2^32)}, so
     * rates are exact to 2^−32.
     */
    private void dropout(float[] v, float[] maskOut, int n, double rate) {
        long threshold = Math.round(rate * 4294967296.0);
        float scale = (float) (1.0 / (1.0 - rate));
        for (int i = 0; i < n; i += 2) {
            long bits = dropoutRng.nextLong();
            float m0 = (bits & 0xFFFFFFFFL) >= threshold ? scale : 0f;
            v[i] *= m0;
            if (maskOut != null) {
                maskOut[i] = m0;
            }
            if (i + 1 < n) {
                float m1 = (bits >>> 32) >= threshold ? scale : 0f;
                v[i + 1] *= m1;
                if (maskOut != null) {
                    maskOut[i + 1] = m1;
                }
            }
        }
    }

    /**
     * The current penalty {@code Σ_layers l1·Σ|w| + l2·Σw²} (kernels and biases with their own factors).
     * @return the penalty of the current weights.
     */
    public double penalty() {
        return penaltyAndGradient(false);
    }

    private double penaltyAndGradient(boolean addGradient) {
        double total = 0;
        for (int l = 0; l < layers.length; l++) {
            LayerSpec s = layers[l];
            total += penalty(net.kernels[l], grads[2 * l], s.kernelL1(), s.kernelL2(), addGradient);
            total += penalty(net.biases[l], grads[2 * l + 1], s.biasL1(), s.biasL2(), addGradient);
        }
        return total;
    }

    private static double penalty(float[] w, float[] g, double l1, double l2, boolean addGradient) {
        if (l1 == 0 && l2 == 0) {
            return 0;
        }
        if (addGradient) {
            float fl1 = (float) l1;
            float twoL2 = (float) (2 * l2);
            if (l1 == 0) {
                for (int i = 0; i < w.length; i++) {
                    g[i] += twoL2 * w[i];
                }
            } else {
                // sign(w) as clamp(w · 2^126, −1, 1): exactly ±1 for every normal w and 0 at w = 0 (TensorFlow's
                // gradient of |w| there), in a form that vectorizes; subnormal weights get a fractional sign.
                for (int i = 0; i < w.length; i++) {
                    float sign = Math.max(-1f, Math.min(1f, w[i] * 0x1p126f));
                    g[i] += fl1 * sign + twoL2 * w[i];
                }
            }
        }
        return (l1 == 0 ? 0 : l1 * sumAbs(w)) + (l2 == 0 ? 0 : l2 * sumSquares(w));
    }

    /** Σ|w| with eight independent partial sums (a single running sum would serialise on the add latency). */
    private static double sumAbs(float[] w) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= w.length; i += 8) {
            s0 += Math.abs(w[i]);
            s1 += Math.abs(w[i + 1]);
            s2 += Math.abs(w[i + 2]);
            s3 += Math.abs(w[i + 3]);
            s4 += Math.abs(w[i + 4]);
            s5 += Math.abs(w[i + 5]);
            s6 += Math.abs(w[i + 6]);
            s7 += Math.abs(w[i + 7]);
        }
        for (; i < w.length; i++) {
            s0 += Math.abs(w[i]);
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Σw² with eight independent partial sums. */
    private static double sumSquares(float[] w) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (; i + 8 <= w.length; i += 8) {
            s0 += (double) w[i] * w[i];
            s1 += (double) w[i + 1] * w[i + 1];
            s2 += (double) w[i + 2] * w[i + 2];
            s3 += (double) w[i + 3] * w[i + 3];
            s4 += (double) w[i + 4] * w[i + 4];
            s5 += (double) w[i + 5] * w[i + 5];
            s6 += (double) w[i + 6] * w[i + 6];
            s7 += (double) w[i + 7] * w[i + 7];
        }
        for (; i < w.length; i++) {
            s0 += (double) w[i] * w[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Keras MaxNorm(c, axis=0): each unit's incoming weights w ← w · clip(‖w‖, 0, c) / (ε + ‖w‖), ε = 1e-7. */
    private void applyMaxNorm() {
        for (int l = 0; l < layers.length; l++) {
            double c = layers[l].maxNorm();
            if (c == 0) {
                continue;
            }
            int in = layers[l].inputs();
            int units = layers[l].units();
            float[] k = net.kernels[l];
            double[] norms = new double[units];
            for (int i = 0; i < in; i++) {
                int o = i * units;
                for (int j = 0; j < units; j++) {
                    norms[j] += (double) k[o + j] * k[o + j];
                }
            }
            float[] scale = new float[units];
            for (int j = 0; j < units; j++) {
                double norm = Math.sqrt(norms[j]);
                scale[j] = (float) (Math.min(norm, c) / (1e-7 + norm));
            }
            for (int i = 0; i < in; i++) {
                int o = i * units;
                for (int j = 0; j < units; j++) {
                    k[o + j] *= scale[j];
                }
            }
        }
    }

    /** Clears the running epoch statistics. */
    public void resetEpochStatistics() {
        lossSum = 0;
        penaltyWeightedSum = 0;
        seen = 0;
        correct[0] = 0;
    }

    /** @return the mean cross-entropy over the rows seen since the last reset. */
    public double epochCrossEntropy() {
        return lossSum / seen;
    }

    /** @return the mean penalty over the rows seen since the last reset (each batch weighted by its size). */
    public double epochPenalty() {
        return penaltyWeightedSum / seen;
    }

    /** @return the fraction of rows classified correctly during training steps since the last reset (dropout active). */
    public double epochAccuracy() {
        return (double) correct[0] / seen;
    }

    /** @return the optimiser's current learning rate. */
    public double learningRate() {
        return updater.learningRate();
    }

    /**
     * The gradient of the last step's objective with respect to every parameter tensor (kernel and bias of each
     * layer), before the optimiser update. Exposed for gradient checks.
     * @return copies of the gradients.
     */
    public float[][] lastGradients() {
        float[][] copy = new float[grads.length][];
        for (int i = 0; i < grads.length; i++) {
            copy[i] = grads[i].clone();
        }
        return copy;
    }
}
