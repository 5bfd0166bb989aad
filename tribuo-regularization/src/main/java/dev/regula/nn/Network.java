package dev.regula.nn;

import org.jspecify.annotations.Nullable;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A feed-forward network's parameters and its inference pass: dense layers {@code a_l = f_l(a_{l−1}·W_l + b_l)}
 * followed by the output head's activation ({@link OutputLoss#activate}, a softmax for classification).
 * <p>
 * Kernels are stored row-major as {@code inputs × units} (Keras' kernel layout), so a batch of row vectors is
 * multiplied as {@code A·W}. Dropout is training-only (inverted dropout), so inference is deterministic.
 * Instances are mutable only through {@link NetworkTrainer}; prediction methods are thread-safe.
 */
public final class Network implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int PREDICT_BATCH = 1024;
    /** Chunks of fewer rows are densified and activated on the calling thread (the products still use the team). */
    private static final int SERIAL_ROWS = 8;

    /** Dropout rate on the inputs, in [0, 1). */
    private final double inputDropout;
    /** The layers, input side first. */
    private final LayerSpec[] layers;
    /** Per layer, the kernel (inputs × units, row-major). */
    final float[][] kernels;
    /** Per layer, the bias (one per unit). */
    final float[][] biases;

    private Network(double inputDropout, LayerSpec[] layers, float[][] kernels, float[][] biases) {
        this.inputDropout = inputDropout;
        this.layers = layers;
        this.kernels = kernels;
        this.biases = biases;
    }

    /**
     * Creates a network with freshly initialised kernels and zero biases.
     * @param inputDropout dropout rate on the inputs in training, in [0, 1).
     * @param layers the layers, hidden first, the (softmax) output layer last; consecutive sizes must chain.
     * @param init the kernel initialisation.
     * @param rng the random source for the kernels.
     * @return the network.
     */
    public static Network initialise(double inputDropout, List<LayerSpec> layers, WeightInit init, SplittableRandom rng) {
        LayerSpec[] specs = layers.toArray(new LayerSpec[0]);
        validate(inputDropout, specs);
        float[][] k = new float[specs.length][];
        float[][] b = new float[specs.length][];
        for (int l = 0; l < specs.length; l++) {
            k[l] = new float[specs[l].inputs() * specs[l].units()];
            init.fill(k[l], specs[l].inputs(), specs[l].units(), rng);
            b[l] = new float[specs[l].units()];
        }
        return new Network(inputDropout, specs, k, b);
    }

    /**
     * Creates a network from existing parameters (deserialization); the arrays are copied.
     * @param inputDropout dropout rate on the inputs in training.
     * @param layers the layer specs.
     * @param kernels the kernels, one per layer, {@code inputs × units} row-major.
     * @param biases the biases, one per layer.
     * @return the network.
     */
    public static Network of(double inputDropout, List<LayerSpec> layers, List<float[]> kernels, List<float[]> biases) {
        LayerSpec[] specs = layers.toArray(new LayerSpec[0]);
        validate(inputDropout, specs);
        if (kernels.size() != specs.length || biases.size() != specs.length) {
            throw new IllegalArgumentException("Expected " + specs.length + " kernels and biases, found "
                    + kernels.size() + " and " + biases.size());
        }
        float[][] k = new float[specs.length][];
        float[][] b = new float[specs.length][];
        for (int l = 0; l < specs.length; l++) {
            if (kernels.get(l).length != specs[l].inputs() * specs[l].units() || biases.get(l).length != specs[l].units()) {
                throw new IllegalArgumentException("Layer " + l + " parameters do not match its " + specs[l].inputs()
                        + "x" + specs[l].units() + " shape");
            }
            k[l] = kernels.get(l).clone();
            b[l] = biases.get(l).clone();
        }
        return new Network(inputDropout, specs, k, b);
    }

    private static void validate(double inputDropout, LayerSpec[] specs) {
        if (specs.length == 0) {
            throw new IllegalArgumentException("A network needs at least one layer");
        }
        Ranges.require(Ranges.rate("inputDropout", inputDropout));
        for (int l = 1; l < specs.length; l++) {
            if (specs[l].inputs() != specs[l - 1].units()) {
                throw new IllegalArgumentException("Layer " + l + " expects " + specs[l].inputs()
                        + " inputs but layer " + (l - 1) + " has " + specs[l - 1].units() + " units");
            }
        }
        if (specs[specs.length - 1].dropout() != 0) {
            throw new IllegalArgumentException("The output layer cannot have dropout");
        }
        if (specs[specs.length - 1].noise().isActive()) {
            throw new IllegalArgumentException("The output layer cannot have Gaussian noise");
        }
    }

    /**
     * A deep copy.
     * @return a copy sharing no mutable state.
     */
    public Network copy() {
        float[][] k = new float[kernels.length][];
        float[][] b = new float[biases.length][];
        for (int l = 0; l < kernels.length; l++) {
            k[l] = kernels[l].clone();
            b[l] = biases[l].clone();
        }
        return new Network(inputDropout, layers.clone(), k, b);
    }

    /**
     * Overwrites this network's parameters with another's of the same shape (e.g. an earlier snapshot taken
     * with {@link #copy()}, when restoring the best weights).
     * @param other the source.
     */
    public void restoreFrom(Network other) {
        if (!Arrays.equals(layers, other.layers)) {
            throw new IllegalArgumentException("Cannot restore from a network of a different shape");
        }
        for (int l = 0; l < kernels.length; l++) {
            System.arraycopy(other.kernels[l], 0, kernels[l], 0, kernels[l].length);
            System.arraycopy(other.biases[l], 0, biases[l], 0, biases[l].length);
        }
    }

    /** @return the input dropout rate. */
    public double getInputDropout() {
        return inputDropout;
    }

    /** @return the layer specs, output layer last. */
    public List<LayerSpec> getLayers() {
        return List.of(layers);
    }

    /** @return the number of inputs. */
    public int numInputs() {
        return layers[0].inputs();
    }

    /** @return the number of outputs (classes). */
    public int numOutputs() {
        return layers[layers.length - 1].units();
    }

    /** @return the number of trainable parameters. */
    public long parameterCount() {
        long n = 0;
        for (int l = 0; l < layers.length; l++) {
            n += kernels[l].length + biases[l].length;
        }
        return n;
    }

    /**
     * A copy of a layer's kernel.
     * @param layer the layer index.
     * @return the kernel, {@code inputs × units} row-major.
     */
    public float[] getKernel(int layer) {
        return kernels[layer].clone();
    }

    /**
     * A copy of a layer's bias.
     * @param layer the layer index.
     * @return the bias.
     */
    public float[] getBias(int layer) {
        return biases[layer].clone();
    }

    /**
     * Training-time inference on a batch of rows (no dropout): the layers, then the head's activation (softmax
     * probabilities for {@link SoftmaxCrossEntropy}). Each chunk of up to {@value #PREDICT_BATCH} rows goes through
     * one product per layer split over the team, the fastest way through many rows and the arithmetic of the
     * validation scores in a training history. A row's last bits may therefore depend on the size of its chunk; a
     * model's predictions go through {@link #prepare} instead, whose rows are independent of each other.
     * @param x inputs, rows × {@link #numInputs()} row-major.
     * @param rows the number of rows.
     * @param out output, rows × {@link #numOutputs()}, overwritten with the activated outputs.
     * @param blas the BLAS backend.
     * @param head the output head whose activation is applied.
     */
    public void predict(float[] x, int rows, float[] out, Blas blas, OutputLoss head) {
        prepare(blas).forward(x, rows, out, head, false);
    }

    /**
     * {@link #predict(float[], int, float[], Blas, OutputLoss)} on sparse rows: the first layer's product over the
     * stored entries ({@link SparseProducts#multiply}), the other layers as for dense rows.
     * @param x the inputs, {@code rows × numInputs()}.
     * @param out output, rows × {@link #numOutputs()}, overwritten with the activated outputs.
     * @param blas the BLAS backend.
     * @param head the output head whose activation is applied.
     */
    public void predict(CsrMatrix x, float[] out, Blas blas, OutputLoss head) {
        prepare(blas).forward(x, out, head, false);
    }

    /**
     * Prepares this network for repeated inference on a backend: the kernels are copied to the backend's buffers now,
     * once, instead of on every call (5.3 MB for the reference network, which dominates the time of a one-example
     * prediction).
     * @param blas the backend.
     * @return the prepared network: a snapshot of the current parameters.
     */
    public Inference prepare(Blas blas) {
        return new Inference(blas);
    }

    /**
     * This network's inference pass on one backend with its kernels already on the backend ({@link #prepare}), and
     * its scratch buffers kept between calls: the prediction path of the models. It is a snapshot: later changes to
     * the network (training) are not seen. Not thread-safe — one call at a time per instance; concurrent callers
     * each need their own (the models keep a pool).
     */
    public final class Inference {
        private final Blas blas;
        private final DeviceBuffer[] kernelDev;
        private final float[] firstKernel;
        private final float[][] bias;
        private final int width;
        private int capacity;
        private @Nullable DeviceBuffer inDev;
        private int inCapacity;
        private DeviceBuffer[] bufDev;
        private float[] act;
        private float[] sparseOut = new float[0];
        private final float[][] rowScratch;
        private final float[][][] sparseScratch;

        private Inference(Blas blas) {
            this.blas = blas;
            int w = 0;
            for (LayerSpec s : layers) {
                w = Math.max(w, s.units());
            }
            this.width = w;
            this.kernelDev = new DeviceBuffer[layers.length];
            this.bias = new float[layers.length][];
            // The first kernel is kept on the heap (the sparse first layer reads it there) and copied to the backend
            // on the first dense call: a sparse model's kernel of 200,000 inputs never takes backend memory.
            this.firstKernel = kernels[0].clone();
            for (int l = 0; l < layers.length; l++) {
                if (l > 0) {
                    kernelDev[l] = blas.allocate(kernels[l].length);
                    kernelDev[l].write(0, kernels[l], 0, kernels[l].length);
                }
                bias[l] = biases[l].clone();
            }
            this.rowScratch = new float[blas.team().size()][w];
            this.sparseScratch = new float[blas.team().size()][][];
            for (int p = 0; p < sparseScratch.length; p++) {
                sparseScratch[p] = SparseProducts.scratch(w);
            }
            allocate(Blas.rowwisePadded(1));
        }

        /** @return the backend this instance runs on. */
        public Blas blas() {
            return blas;
        }

        private void allocate(int rows) {
            bufDev = new DeviceBuffer[]{blas.allocate(rows * width), blas.allocate(rows * width)};
            act = new float[rows * numOutputs()];
            capacity = rows;
        }

        /**
         * Inference on a batch of rows (no dropout): the layers, then the head's activation. Each row's outputs are a
         * function of that row alone — the same bits whatever the other rows, their number and order, and the thread
         * count — because every product is {@link Blas#sgemmRowwise}, and the bias, activation and head act on
         * each row by itself.
         * @param x inputs, rows × {@link #numInputs()} row-major.
         * @param rows the number of rows.
         * @param out output, rows × {@link #numOutputs()}, overwritten with the activated outputs.
         * @param head the output head whose activation is applied.
         */
        public void predict(float[] x, int rows, float[] out, OutputLoss head) {
            forward(x, rows, out, head, true);
        }

        /**
         * {@link #predict(float[], int, float[], OutputLoss)} on sparse rows, with the same row independence: the
         * first layer's product sums each row's stored entries in column order, whatever the batch.
         * @param x inputs, {@code rows × numInputs()}.
         * @param out output, rows × {@link #numOutputs()}, overwritten with the activated outputs.
         * @param head the output head whose activation is applied.
         */
        public void predict(CsrMatrix x, float[] out, OutputLoss head) {
            forward(x, out, head, true);
        }

        /** The sparse pass: the first layer's product chunk by chunk into the device buffer, then the others. */
        private void forward(CsrMatrix x, float[] out, OutputLoss head, boolean rowwise) {
            if (x.cols() != numInputs()) {
                throw new IllegalArgumentException("Sparse rows of " + x.cols() + " columns for a network of "
                        + numInputs() + " inputs");
            }
            int rows = x.rows();
            int c = numOutputs();
            int units = layers[0].units();
            int chunk = Math.min(PREDICT_BATCH, Math.max(rows, 1));
            if (Blas.rowwisePadded(chunk) > capacity) {
                allocate(Blas.rowwisePadded(chunk));
            }
            if (sparseOut.length < Blas.rowwisePadded(chunk) * units) {
                sparseOut = new float[Blas.rowwisePadded(chunk) * units];
            }
            float[] z = sparseOut;
            for (int start = 0; start < rows; start += chunk) {
                int r = Math.min(chunk, rows - start);
                int first = start;
                boolean serial = r < SERIAL_ROWS;
                if (serial) {
                    SparseProducts.multiply(x, first, first + r, firstKernel, units, z, 0, sparseScratch[0]);
                } else {
                    int parts = blas.team().size();
                    blas.team().run(p -> {
                        int r0 = ThreadTeam.start(p, parts, r, 1);
                        int r1 = ThreadTeam.start(p + 1, parts, r, 1);
                        SparseProducts.multiply(x, first + r0, first + r1, firstKernel, units, z, r0, sparseScratch[p]);
                    });
                }
                int padded = Blas.rowwisePadded(r);
                java.util.Arrays.fill(z, r * units, padded * units, 0f); // finite padding rows for the next products
                bufDev[0].write(0, z, 0, padded * units);
                layers(0, bufDev[0], r, serial, rowwise, false);
                head.activate(act, r, c);
                System.arraycopy(act, 0, out, start * c, r * c);
            }
        }

        /** The pass, with row-independent products ({@code rowwise}) or one team-split product per chunk and layer. */
        private void forward(float[] x, int rows, float[] out, OutputLoss head, boolean rowwise) {
            int d = numInputs();
            int c = numOutputs();
            int chunk = Math.min(PREDICT_BATCH, Math.max(rows, 1));
            if (Blas.rowwisePadded(chunk) > capacity) {
                allocate(Blas.rowwisePadded(chunk));
            }
            if (kernelDev[0] == null) {
                kernelDev[0] = blas.allocate(firstKernel.length);
                kernelDev[0].write(0, firstKernel, 0, firstKernel.length);
            }
            if (inDev == null || inCapacity < capacity) { // dense inputs only: the sparse pass never needs them
                inDev = blas.allocate(capacity * numInputs());
                inCapacity = capacity;
            }
            DeviceBuffer input = inDev;
            for (int start = 0; start < rows; start += chunk) {
                int r = Math.min(chunk, rows - start);
                int first = start;
                // A few rows are copied and activated on the calling thread: a team wake-up costs more than that.
                boolean serial = r < SERIAL_ROWS;
                if (serial) {
                    input.write(0, x, first * d, r * d);
                } else {
                    int parts = blas.team().size();
                    blas.team().run(p -> {
                        int r0 = ThreadTeam.start(p, parts, r, 1);
                        int r1 = ThreadTeam.start(p + 1, parts, r, 1);
                        input.write(r0 * d, x, (first + r0) * d, (r1 - r0) * d);
                    });
                }
                int padded = Blas.rowwisePadded(r);
                if (rowwise && padded > r) {
                    input.write(r * d, new float[(padded - r) * d], 0, (padded - r) * d);
                }
                layers(0, input, r, serial, rowwise, true);
                head.activate(act, r, c);
                System.arraycopy(act, 0, out, start * c, r * c);
            }
        }

        /**
         * Runs layers {@code first ..} on a chunk of r rows whose input is in {@code cur}; layer l's output goes to
         * {@code bufDev[l % 2]}, the last layer's to {@code act}. With {@code multiplyFirst} false, {@code cur}
         * (which must be {@code bufDev[first % 2]}) already holds the first layer's pre-activations (the sparse
         * product), which are activated in place.
         */
        private void layers(int first, DeviceBuffer cur, int r, boolean serial, boolean rowwise, boolean multiplyFirst) {
            for (int l = first; l < layers.length; l++) {
                LayerSpec s = layers[l];
                DeviceBuffer next = bufDev[l % 2];
                if (l > first || multiplyFirst) {
                    if (rowwise) {
                        blas.sgemmRowwise(r, s.units(), s.inputs(), cur, kernelDev[l], next);
                    } else {
                        blas.sgemm(false, false, r, s.units(), s.inputs(), 1f, cur, s.inputs(), kernelDev[l], s.units(), 0f, next, s.units());
                    }
                }
                boolean writeBack = l < layers.length - 1;
                if (serial) {
                    s.activation().forwardRows(next, bias[l], 0, r, s.units(), rowScratch[0], writeBack ? null : act, writeBack);
                } else {
                    activate(blas.team(), next, act, rowScratch, r, l, bias[l], writeBack);
                }
                cur = next;
            }
        }
    }

    /**
     * Bias + activation of layer l on the team: each part moves its rows one by one through its scratch row (see
     * {@link Activation#forwardRow}) and returns them to the device, or, for the last layer, to {@code act}.
     */
    private void activate(ThreadTeam team, DeviceBuffer buffer, float[] act, float[][] rowScratch, int rows, int l,
                          float[] bias, boolean writeBack) {
        int units = layers[l].units();
        int parts = team.size();
        team.run(part -> layers[l].activation().forwardRows(buffer, bias, ThreadTeam.start(part, parts, rows, 1),
                ThreadTeam.start(part + 1, parts, rows, 1), units, rowScratch[part], writeBack ? null : act, writeBack));
    }

    /**
     * Whether every parameter is finite.
     * @return true if no parameter is NaN or infinite.
     */
    public boolean isFinite() {
        for (int l = 0; l < layers.length; l++) {
            for (float v : kernels[l]) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
            for (float v : biases[l]) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Bitwise equality of structure and parameters. The layers' Gaussian {@link Noise}, which acts in training only
     * and is not serialized with a model (its trainer provenance records it), is not compared.
     * @param other another network.
     * @return true if both have identical specs (but for the noise) and bit-identical parameters.
     */
    public boolean sameParameters(Network other) {
        return Arrays.equals(withoutNoise(layers), withoutNoise(other.layers)) && Arrays.deepEquals(kernels, other.kernels)
                && Arrays.deepEquals(biases, other.biases) && inputDropout == other.inputDropout;
    }

    private static LayerSpec[] withoutNoise(LayerSpec[] specs) {
        LayerSpec[] out = new LayerSpec[specs.length];
        for (int l = 0; l < specs.length; l++) {
            out[l] = specs[l].withNoise(Noise.NONE);
        }
        return out;
    }
}
