package dev.regula.nn;

import org.jspecify.annotations.Nullable;

import java.util.SplittableRandom;

/**
 * One minibatch step of training on a {@link Network}: forward pass with inverted dropout and Gaussian noise
 * ({@link Noise}: added, then dropout, then Gaussian dropout's factor), the output head's
 * loss ({@link OutputLoss}), backward pass, penalty gradients, optimiser update and max-norm projection.
 * <p>
 * All buffers are allocated once for the largest batch. The operands of the matrix products (kernels, layer
 * outputs, gradients) live in the backend's {@link DeviceBuffer}s — native memory for OpenBLAS — and only what the
 * element-wise code touches moves between them and heap arrays: per layer and step, the pre-activations and layer
 * outputs, the back-propagated deltas, and the kernel gradient in and the updated kernel out, slice by slice in one
 * pass with the penalty gradient and the optimiser. Each layer is updated as soon as the backward pass no longer
 * needs its old kernel.
 * <p>
 * Every element-wise pass is split over the backend's {@link ThreadTeam}, the same threads that compute the
 * products: batch rows for activations, dropout and deltas; contiguous kernel ranges (and bias columns) for the
 * update. Part p of the team draws its dropout masks from its own random stream (part 0 from the given source, the
 * others from streams split off it at construction), and its Gaussian noise from a second stream of its own split
 * the same way off the noise source, so training is deterministic for a fixed seed and thread count, and adding
 * noise leaves the dropout masks unchanged. The objective minimised is Keras': {@code mean_batch(loss) + Σ_layers penalties(W, b)}.
 * <p>
 * With sparse inputs ({@link #NetworkTrainer(Network, int, Blas, Updater, OutputLoss, SplittableRandom, boolean)})
 * minibatches arrive as {@link CsrMatrix} rows and the first layer's two products run over their stored entries
 * ({@link SparseProducts}); its kernel stays on the heap and its gradient is a heap array that is zero outside the
 * rows of the columns a batch touches. Input dropout then acts on the stored entries (a zero stays zero either way).
 * When the optimiser leaves an element with a zero gradient exactly as it was ({@link Updater#skipsZeroGradients()})
 * and the first layer has neither a kernel penalty nor max-norm, only the touched kernel rows are updated: the
 * result is bit for bit the full update's. A lazy optimiser ({@link Updater#lazyOnSparseInputs()}) is also given the
 * touched rows only, unless the first layer has a kernel penalty. Otherwise (Adam, momentum, RMSProp, penalties)
 * every kernel row is updated every step, as Keras does; the untouched rows through
 * {@link Updater#updateWithoutGradient}, without reading their zero gradient.
 * Not thread-safe.
 */
public final class NetworkTrainer {
    /** Elements per slice of the fused gradient-fetch, penalty, optimiser and write-back pass (4 arrays × 16 KB). */
    private static final int UPDATE_SLICE = 4096;

    private final Network net;
    private final Blas blas;
    private final Updater updater;
    private final OutputLoss loss;
    private final ThreadTeam team;
    private final int parts;
    private final SplittableRandom[] partRng;
    /** The number of {@code nextLong} draws each part's dropout stream has made, for {@link #resume}. */
    private final long[] partDraws;
    /** Per team part, the stream of Gaussian noise; null without noise. */
    private final SplittableRandom @Nullable [] noiseRng;
    private final Noise inputNoise;
    private final double[] partPenalty;
    private final LayerSpec[] layers;
    private final float[][] act;
    private final float[][] out;
    private final float[][] mask;
    private final float[][] rowScratch;
    private final float[][][] sparseScratch;
    private final float[][] delta;
    private final float[] kernelGrad;
    private final float[][] biasGrad;
    private final int[] correct = new int[1];
    private final double[] layerPenalty;
    private final @Nullable DeviceBuffer inputDev;
    private final boolean sparseInput;
    private final @Nullable SparseColumns batchColumns;
    private final float @Nullable [] sparseGrad;
    private final DeviceBuffer[] kernelDev;
    private final DeviceBuffer[] layerDev;
    private final DeviceBuffer gradDev;

    private @Nullable MixUp mixUp;
    private @Nullable SplittableRandom mixUpRng;
    private int @Nullable [] partner;
    private float @Nullable [] mixWeight;
    private float @Nullable [] unmixed;

    private double lossSum;
    private double penaltyWeightedSum;
    private long seen;
    private double weightSeen;
    /** Whether a step has been taken (after which {@link #resume} is refused). */
    private boolean stepped;

    /**
     * Prepares training of a network in place.
     * @param net the network, whose parameters are updated by {@link #step}.
     * @param maxBatch the largest batch size.
     * @param blas the BLAS backend.
     * @param updater the optimiser state, created for {@link #parameterSizes(Network)}.
     * @param loss the output head's loss, applied to the last layer's linear outputs.
     * @param dropoutRng the random source of dropout masks (further streams for the other team threads are split off it).
     * @throws IllegalArgumentException if a layer has Gaussian noise, which needs a noise stream (the other
     *                                  constructor).
     */
    public NetworkTrainer(Network net, int maxBatch, Blas blas, Updater updater, OutputLoss loss,
                          SplittableRandom dropoutRng) {
        this(net, maxBatch, blas, updater, loss, dropoutRng, Noise.NONE, null, false);
    }

    /**
     * Prepares training of a network in place on dense minibatches, with Gaussian noise on the inputs or on layers'
     * outputs.
     * @param net the network, whose parameters are updated by {@link #step}.
     * @param maxBatch the largest batch size.
     * @param blas the BLAS backend.
     * @param updater the optimiser state, created for {@link #parameterSizes(Network)}.
     * @param loss the output head's loss, applied to the last layer's linear outputs.
     * @param dropoutRng the random source of dropout masks.
     * @param inputNoise the Gaussian noise applied to each training input, or {@link Noise#NONE}.
     * @param noiseSource the random source of the Gaussian noise; may be null only if there is no noise anywhere.
     * @throws IllegalArgumentException if there is noise but no noise stream.
     */
    public NetworkTrainer(Network net, int maxBatch, Blas blas, Updater updater, OutputLoss loss,
                          SplittableRandom dropoutRng, Noise inputNoise, @Nullable SplittableRandom noiseSource) {
        this(net, maxBatch, blas, updater, loss, dropoutRng, inputNoise, noiseSource, false);
    }

    /**
     * Prepares training of a network in place, on dense or on sparse minibatches, without Gaussian noise.
     * @param net the network, whose parameters are updated by {@link #step}.
     * @param maxBatch the largest batch size.
     * @param blas the BLAS backend.
     * @param updater the optimiser state, created for {@link #parameterSizes(Network)}.
     * @param loss the output head's loss, applied to the last layer's linear outputs.
     * @param dropoutRng the random source of dropout masks.
     * @param sparseInput whether minibatches are {@link CsrMatrix} rows rather than dense arrays.
     */
    public NetworkTrainer(Network net, int maxBatch, Blas blas, Updater updater, OutputLoss loss,
                          SplittableRandom dropoutRng, boolean sparseInput) {
        this(net, maxBatch, blas, updater, loss, dropoutRng, Noise.NONE, null, sparseInput);
    }

    /**
     * Prepares training of a network in place, on dense or on sparse minibatches, with Gaussian noise on the inputs
     * (dense only) or on layers' outputs.
     * @param net the network, whose parameters are updated by {@link #step}.
     * @param maxBatch the largest batch size.
     * @param blas the BLAS backend.
     * @param updater the optimiser state, created for {@link #parameterSizes(Network)}.
     * @param loss the output head's loss, applied to the last layer's linear outputs.
     * @param dropoutRng the random source of dropout masks (further streams for the other team threads are split off it).
     * @param inputNoise the Gaussian noise applied to each training input (before input dropout), or {@link Noise#NONE}.
     * @param noiseSource the random source of the Gaussian noise, apart from the dropout masks' so that adding noise
     *                 leaves the dropout masks as they were (streams for the other team threads are split off it);
     *                 may be null only if there is no noise anywhere.
     * @param sparseInput whether minibatches are {@link CsrMatrix} rows ({@link #step(CsrMatrix, float[], float[], int)})
     *                    rather than dense arrays.
     * @throws IllegalArgumentException if there is noise but no noise stream, or input noise on sparse inputs.
     */
    public NetworkTrainer(Network net, int maxBatch, Blas blas, Updater updater, OutputLoss loss,
                          SplittableRandom dropoutRng, Noise inputNoise, @Nullable SplittableRandom noiseSource,
                          boolean sparseInput) {
        if (sparseInput && inputNoise.isActive()) {
            throw new IllegalArgumentException("Gaussian noise on the inputs would fill every zero of a sparse input; "
                    + "use dense inputs or noise on a hidden layer");
        }
        for (LayerSpec spec : net.getLayers()) {
            if (maxBatch < 1 || (long) maxBatch * Math.max(spec.inputs(), spec.units()) > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("A minibatch of " + maxBatch + " rows through a layer of " + spec.inputs()
                        + " inputs and " + spec.units() + " units needs more values than one array holds; use a smaller minibatchSize");
            }
        }
        this.net = net;
        this.blas = blas;
        this.updater = updater;
        this.loss = loss;
        this.team = blas.team();
        this.parts = team.size();
        this.partRng = new SplittableRandom[parts];
        partRng[0] = dropoutRng;
        for (int p = 1; p < parts; p++) {
            partRng[p] = dropoutRng.split();
        }
        this.partDraws = new long[parts];
        this.partPenalty = new double[parts];
        this.layers = net.getLayers().toArray(new LayerSpec[0]);
        this.inputNoise = inputNoise;
        boolean noisy = inputNoise.isActive();
        for (LayerSpec spec : layers) {
            noisy |= spec.noise().isActive();
        }
        if (noisy && noiseSource == null) {
            throw new IllegalArgumentException("Gaussian noise is configured but no noise random stream was given");
        }
        this.noiseRng = noisy ? new SplittableRandom[parts] : null;
        if (noisy) {
            this.noiseRng[0] = noiseSource;
            for (int p = 1; p < parts; p++) {
                this.noiseRng[p] = noiseSource.split();
            }
        }
        int n = layers.length;
        act = new float[n][];
        out = new float[n][];
        mask = new float[n][];
        delta = new float[n][];
        biasGrad = new float[n][];
        this.sparseInput = sparseInput;
        int largestKernel = 1;
        for (int l = sparseInput ? 1 : 0; l < n; l++) { // a sparse first layer's gradient lives in sparseGrad
            largestKernel = Math.max(largestKernel, net.kernels[l].length);
        }
        // One kernel gradient, on the heap and on the device, for all layers: a layer's gradient is dead once the
        // layer is updated, before the next layer's is computed, and reusing the same memory every layer keeps it
        // in cache instead of streaming a fresh array per layer to and from DRAM (docs/performance.md).
        kernelGrad = new float[largestKernel];
        gradDev = blas.allocate(largestKernel);
        int widest = 0;
        for (LayerSpec spec : layers) {
            widest = Math.max(widest, spec.units());
        }
        rowScratch = new float[parts][widest];
        sparseScratch = new float[sparseInput ? parts : 0][][];
        for (int p = 0; p < sparseScratch.length; p++) {
            sparseScratch[p] = SparseProducts.scratch(widest);
        }
        layerPenalty = new double[n];
        inputDev = sparseInput ? null : blas.allocate(maxBatch * layers[0].inputs());
        batchColumns = sparseInput ? new SparseColumns(layers[0].inputs()) : null;
        sparseGrad = sparseInput ? new float[net.kernels[0].length] : null;
        kernelDev = new DeviceBuffer[n];
        layerDev = new DeviceBuffer[n];
        for (int l = 0; l < n; l++) {
            if (!(sparseInput && l == 0)) { // the sparse products read the heap kernel
                kernelDev[l] = blas.allocate(net.kernels[l].length);
                kernelDev[l].write(0, net.kernels[l], 0, net.kernels[l].length);
            }
            layerDev[l] = blas.allocate(maxBatch * layers[l].units());
            LayerSpec s = layers[l];
            act[l] = new float[maxBatch * s.units()];
            if (s.perturbed()) {
                out[l] = new float[maxBatch * s.units()];
                mask[l] = s.masked() ? new float[maxBatch * s.units()] : null;
            } else {
                out[l] = act[l];
            }
            if (l < n - 1) {
                delta[l] = new float[maxBatch * s.units()];
            }
            biasGrad[l] = new float[net.biases[l].length];
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
     * @param y the targets, rows × {@link OutputLoss#targetWidth(int)} row-major.
     * @param rows the batch size, at most the {@code maxBatch} given at construction.
     * @return the batch objective: mean loss plus penalty (NaN or infinite if training diverged).
     */
    public double step(float[] x, float[] y, int rows) {
        return step(x, y, null, rows);
    }

    /**
     * One training step on a minibatch whose rows carry weights: the loss is the weighted mean
     * ({@link OutputLoss#gradient}).
     * @param x the inputs, rows × inputs row-major; input dropout is applied to it in place.
     * @param y the targets.
     * @param weights the row weights, or null for all 1.
     * @param rows the batch size.
     * @return the batch objective: weighted mean loss plus penalty.
     */
    public double step(float[] x, float[] y, float @Nullable [] weights, int rows) {
        stepped = true;
        if (sparseInput) {
            throw new IllegalStateException("This trainer was created for sparse inputs: pass a CsrMatrix");
        }
        if (mixUp != null) {
            mixUp.mix(mixUpRng, x, rows, layers[0].inputs(), unmixed, partner, mixWeight);
        }
        forward(x, null, rows);
        return finishStep(y, weights, rows, null);
    }

    /**
     * One training step on a sparse minibatch whose rows may carry weights (a trainer created with
     * {@code sparseInput}).
     * @param x the inputs, {@code rows × inputs}; input dropout scales its stored values in place.
     * @param y the targets.
     * @param weights the row weights, or null for all 1.
     * @param rows the batch size, {@code x.rows()}.
     * @return the batch objective: weighted mean loss plus penalty.
     */
    public double step(CsrMatrix x, float[] y, float @Nullable [] weights, int rows) {
        if (!sparseInput) {
            throw new IllegalStateException("This trainer was created for dense inputs: pass a float[]");
        }
        if (x.rows() != rows || x.cols() != layers[0].inputs()) {
            throw new IllegalArgumentException("A sparse batch of " + x.rows() + " x " + x.cols() + " for " + rows
                    + " rows of " + layers[0].inputs() + " inputs");
        }
        if (mixUp != null) {
            throw new IllegalStateException("MixUp mixes dense inputs: it is not available with sparse inputs");
        }
        stepped = true;
        forward(null, x, rows);
        return finishStep(y, weights, rows, x);
    }

    private double finishStep(float[] y, float @Nullable [] weights, int rows, @Nullable CsrMatrix sparse) {
        int last = layers.length - 1;
        double ce = mixUp == null ? loss.gradient(act[last], y, weights, rows, layers[last].units(), correct)
                : loss.mixedGradient(act[last], y, partner, mixWeight, weights, rows, layers[last].units(), correct);
        updater.beginStep();
        if (sparse != null) {
            batchColumns.index(sparse); // after input dropout, which scaled the values
        }
        backwardAndUpdate(rows);
        double penalty = 0;
        for (double p : layerPenalty) {
            penalty += p;
        }
        double weight = weights == null ? rows : sum(weights, rows);
        lossSum += ce * weight;
        weightSeen += weight;
        penaltyWeightedSum += penalty * rows;
        seen += rows;
        return ce + penalty;
    }

    /**
     * Mixes every following training batch with MixUp before the forward pass (before input noise and dropout,
     * as Keras' MixUp preprocessing layer comes before the model); the loss gets the mixed targets through
     * {@link OutputLoss#mixedGradient}. Call before the first step.
     * @param m the MixUp.
     * @param rng its random stream (permutations and weights), apart from the dropout and noise streams.
     * @param maxBatch the largest batch size, as given at construction.
     * @throws UnsupportedOperationException at the first step if the loss has no mixed form.
     */
    public void enableMixUp(MixUp m, SplittableRandom rng, int maxBatch) {
        this.mixUp = m;
        this.mixUpRng = rng;
        this.partner = new int[maxBatch];
        this.mixWeight = new float[maxBatch];
        this.unmixed = new float[maxBatch * layers[0].inputs()];
    }

    /**
     * Forward pass: layerDev[l] ends holding layer l's output (the next layer's input), act/out its heap copies.
     * Each element-wise pass is split by rows over the team; part p draws its dropout masks from its own stream.
     */
    private void forward(float @Nullable [] x, @Nullable CsrMatrix sparse, int rows) {
        int inputs = layers[0].inputs();
        double inputDropout = net.getInputDropout();
        team.run(p -> {
            int r0 = rowStart(p, rows);
            int r1 = rowStart(p + 1, rows);
            if (sparse != null) { // first layer's product over the stored entries, through act[0] to the device
                int[] ptr = sparse.rowPointers();
                if (inputDropout > 0) {
                    partDraws[p] += dropout(partRng[p], sparse.values(), null, ptr[r0], ptr[r1], inputDropout);
                }
                int units = layers[0].units();
                SparseProducts.multiply(sparse, r0, r1, net.kernels[0], units, act[0], r0, sparseScratch[p]);
                layerDev[0].write(r0 * units, act[0], r0 * units, (r1 - r0) * units);
                return;
            }
            if (inputNoise.isActive()) {
                inputNoise.add(noiseRng[p], x, r0 * inputs, r1 * inputs);
                inputNoise.multiply(noiseRng[p], x, null, r0 * inputs, r1 * inputs);
            }
            if (inputDropout > 0) {
                partDraws[p] += dropout(partRng[p], x, null, r0 * inputs, r1 * inputs, inputDropout);
            }
            inputDev.write(r0 * inputs, x, r0 * inputs, (r1 - r0) * inputs);
        });
        DeviceBuffer cur = inputDev;
        for (int l = 0; l < layers.length; l++) {
            LayerSpec s = layers[l];
            int units = s.units();
            if (!(sparse != null && l == 0)) {
                blas.sgemm(false, false, rows, units, s.inputs(), 1f, cur, s.inputs(), kernelDev[l], units, 0f,
                        layerDev[l], units);
            }
            int layer = l;
            boolean writeBack = layer < layers.length - 1;
            team.run(p -> {
                int r0 = rowStart(p, rows);
                int r1 = rowStart(p + 1, rows);
                s.activation().forwardRows(layerDev[layer], net.biases[layer], r0, r1, units, rowScratch[p], act[layer],
                        writeBack && !s.perturbed());
                if (s.perturbed()) { // (a + σ·n) · dropout mask · Gaussian-dropout factor
                    int from = r0 * units;
                    int to = r1 * units;
                    System.arraycopy(act[layer], from, out[layer], from, to - from);
                    if (s.noise().isActive()) {
                        s.noise().add(noiseRng[p], out[layer], from, to);
                    }
                    if (s.dropout() > 0) {
                        partDraws[p] += dropout(partRng[p], out[layer], mask[layer], from, to, s.dropout());
                    } else if (mask[layer] != null) {
                        java.util.Arrays.fill(mask[layer], from, to, 1f);
                    }
                    if (s.noise().isMultiplicative()) {
                        s.noise().multiply(noiseRng[p], out[layer], mask[layer], from, to);
                    }
                    if (writeBack) {
                        layerDev[layer].write(from, out[layer], from, to - from);
                    }
                }
            });
            cur = layerDev[l];
        }
    }

    /**
     * Backward pass from the logits' gradient in act[last], updating each layer as soon as its gradients are
     * complete. Layer l's delta goes into layerDev[l] once the kernel gradient of layer l + 1, the last reader of
     * layer l's output, has been computed; layer l's kernel changes only after its input gradient, the last
     * reader of the old kernel, has been computed.
     */
    private void backwardAndUpdate(int rows) {
        int last = layers.length - 1;
        float[] dz = act[last];
        layerDev[last].write(0, dz, 0, rows * layers[last].units());
        for (int l = last; l >= 0; l--) {
            LayerSpec s = layers[l];
            if (sparseInput && l == 0) {
                float[] delta0 = dz;
                SparseColumns xt = batchColumns;
                team.run(p -> SparseProducts.transposedTimes(xt, ThreadTeam.start(p, parts, xt.size(), 1),
                        ThreadTeam.start(p + 1, parts, xt.size(), 1), delta0, s.units(), sparseGrad, sparseScratch[p]));
                update(l, dz, rows);
                continue;
            }
            DeviceBuffer input = l == 0 ? inputDev : layerDev[l - 1];
            blas.sgemm(true, false, s.inputs(), s.units(), rows, 1f, input, s.inputs(), layerDev[l], s.units(), 0f,
                    gradDev, s.units());
            if (l > 0) {
                blas.sgemm(false, true, rows, s.inputs(), s.units(), 1f, layerDev[l], s.units(), kernelDev[l], s.units(),
                        0f, layerDev[l - 1], s.inputs());
            }
            update(l, dz, rows);
            if (l > 0) {
                float[] d = delta[l - 1];
                float[] m = mask[l - 1];
                float[] a = act[l - 1];
                Activation f = layers[l - 1].activation();
                DeviceBuffer buffer = layerDev[l - 1];
                int inputs = s.inputs();
                team.run(p -> {
                    int from = rowStart(p, rows) * inputs;
                    int to = rowStart(p + 1, rows) * inputs;
                    buffer.read(from, d, from, to - from);
                    if (m != null) {
                        for (int i = from; i < to; i++) {
                            d[i] *= m[i];
                        }
                    }
                    f.backward(a, d, from, to);
                    buffer.write(from, d, from, to - from);
                });
                dz = d;
            }
        }
    }

    /**
     * Updates layer l. Each team part takes a contiguous range of the kernel and works through it slice by slice
     * — fetch the gradient slice, add the penalty gradient, apply the optimiser, copy the new kernel slice back to
     * the device — so each slice of gradient, kernel and optimiser state is read from memory once; it also sums
     * its range of bias-gradient columns from {@code dz}. Max-norm needs whole kernel columns, so with it the
     * kernel is copied back after the update. Records the layer's penalty at the weights before the update.
     */
    private void update(int l, float[] dz, int rows) {
        LayerSpec s = layers[l];
        float[] w = net.kernels[l];
        boolean sparseLayer = sparseInput && l == 0;
        float[] g = sparseLayer ? sparseGrad : kernelGrad;
        float[] b = net.biases[l];
        float[] gb = biasGrad[l];
        boolean maxNorm = s.maxNorm() > 0;
        Penalty kernelPenalty = s.kernelPenalty();
        double[] penalties = partPenalty;
        boolean touchedRowsOnly = sparseLayer && kernelPenalty == null
                && (updater.lazyOnSparseInputs() || !maxNorm && updater.skipsZeroGradients());
        team.run(p -> {
            columnSums(dz, rows, s.units(), gb, ThreadTeam.start(p, parts, s.units(), 16),
                    ThreadTeam.start(p + 1, parts, s.units(), 16), rowScratch[p]);
            if (touchedRowsOnly) { // every other row has a zero gradient, which this updater leaves (or: is lazy about)
                updateTouchedRows(w, g, s.units(), p);
                penalties[p] = 0;
                return;
            }
            if (sparseLayer && kernelPenalty == null) { // every other row has a zero gradient, not read
                updateRowsByGradient(w, g, s.units(), p);
                penalties[p] = 0;
                return;
            }
            int end = ThreadTeam.start(p + 1, parts, w.length, 16);
            double penalty = 0;
            for (int from = ThreadTeam.start(p, parts, w.length, 16); from < end; from += UPDATE_SLICE) {
                int to = Math.min(end, from + UPDATE_SLICE);
                if (!sparseLayer) {
                    gradDev.read(from, g, from, to - from);
                }
                if (kernelPenalty != null) {
                    penalty += kernelPenalty.addGradient(w, g, from, to);
                }
                updater.update(2 * l, w, g, from, to);
                if (sparseLayer) {
                    java.util.Arrays.fill(g, from, to, 0f); // the next batch's gradient starts from zero
                } else if (!maxNorm) {
                    kernelDev[l].write(from, w, from, to - from);
                }
            }
            penalties[p] = penalty;
        });
        double penalty = 0;
        for (double v : penalties) {
            penalty += v;
        }
        if (maxNorm) {
            applyMaxNorm(l);
            if (!sparseLayer) {
                kernelDev[l].write(0, w, 0, w.length);
            }
        }
        if (s.biasPenalty() != null) {
            penalty += s.biasPenalty().addGradient(b, gb, 0, b.length);
        }
        updater.update(2 * l + 1, b, gb, 0, b.length);
        layerPenalty[l] = penalty;
    }

    /**
     * Part p's share of the kernel rows of the columns the batch touched: update each run of consecutive touched
     * rows, then clear its gradient.
     */
    private void updateTouchedRows(float[] w, float[] g, int units, int p) {
        SparseColumns xt = batchColumns;
        int t1 = ThreadTeam.start(p + 1, parts, xt.size(), 1);
        for (int t = ThreadTeam.start(p, parts, xt.size(), 1); t < t1; ) {
            int run = xt.runEnd(t, t1);
            int from = xt.column(t) * units;
            int to = (xt.column(run - 1) + 1) * units;
            updater.update(0, w, g, from, to);
            java.util.Arrays.fill(g, from, to, 0f);
            t = run;
        }
    }

    /**
     * Part p's share of the kernel rows, for an updater that must visit every element. When fewer than 3/8 of the
     * part's rows are touched: each run of consecutive rows of columns the batch touched by {@link Updater#update}
     * (then its gradient is cleared), the runs between them by {@link Updater#updateWithoutGradient}, whose gradient
     * is zero and need not be read. Otherwise one contiguous {@link Updater#update} over the part reading the zeros,
     * then the touched rows' gradient cleared: short runs cost more per element than the gradient read they save
     * (Adam: 0.78 ns per element in runs of 100, 0.41 without the gradient, 0.53 in one pass). Both give the bits of
     * one full update.
     */
    private void updateRowsByGradient(float[] w, float[] g, int units, int p) {
        SparseColumns xt = batchColumns;
        int inputs = w.length / units;
        int k0 = ThreadTeam.start(p, parts, inputs, 1);
        int k1 = ThreadTeam.start(p + 1, parts, inputs, 1);
        int t0 = xt.firstAtLeast(k0);
        int t1 = xt.firstAtLeast(k1);
        if (8L * (t1 - t0) >= 3L * (k1 - k0)) { // many rows touched: one pass reading the zeros
            for (int from = k0 * units, end = k1 * units; from < end; from += UPDATE_SLICE) {
                updater.update(0, w, g, from, Math.min(end, from + UPDATE_SLICE));
            }
            for (int t = t0; t < t1; t++) {
                java.util.Arrays.fill(g, xt.column(t) * units, (xt.column(t) + 1) * units, 0f);
            }
            return;
        }
        int next = k0; // the first row not yet updated
        for (int t = t0; t < t1; ) {
            int run = xt.runEnd(t, t1);
            int first = xt.column(t);
            int end = xt.column(run - 1) + 1;
            if (first > next) {
                updater.updateWithoutGradient(0, w, g, next * units, first * units);
            }
            updater.update(0, w, g, first * units, end * units);
            java.util.Arrays.fill(g, first * units, end * units, 0f);
            next = end;
            t = run;
        }
        if (next < k1) {
            updater.updateWithoutGradient(0, w, g, next * units, k1 * units);
        }
    }

    /** The first row of part p's share of a batch. */
    private int rowStart(int p, int rows) {
        return ThreadTeam.start(p, parts, rows, 1);
    }

    /**
     * Column sums of a row-major matrix over the columns {@code [c0, c1)}. Each row segment is first copied to the
     * same columns of a scratch row, so the summing loop indexes both arrays alike and vectorizes (see
     * {@link Activation#forwardRow}).
     */
    private static void columnSums(float[] m, int rows, int cols, float[] sums, int c0, int c1, float[] row) {
        java.util.Arrays.fill(sums, c0, c1, 0f);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(m, r * cols + c0, row, c0, c1 - c0);
            for (int j = c0; j < c1; j++) {
                sums[j] += row[j];
            }
        }
    }

    /**
     * Inverted dropout in place on {@code v[from, to)}: each value is kept with probability 1 − rate and scaled by
     * 1 / (1 − rate), otherwise zeroed. A value is kept iff a uniform 32-bit integer is at least
     * {@code round(rate · 2^32)}, so rates are exact to 2^−32.
     * @return the number of {@code nextLong} draws made, one per pair of values.
     */
    static long dropout(SplittableRandom rng, float[] v, float @Nullable [] maskOut, int from, int to, double rate) {
        long threshold = Math.round(rate * 4294967296.0);
        float scale = (float) (1.0 / (1.0 - rate));
        for (int i = from; i < to; i += 2) {
            long bits = rng.nextLong();
            float m0 = (bits & 0xFFFFFFFFL) >= threshold ? scale : 0f;
            v[i] *= m0;
            if (maskOut != null) {
                maskOut[i] = m0;
            }
            if (i + 1 < to) {
                float m1 = (bits >>> 32) >= threshold ? scale : 0f;
                v[i + 1] *= m1;
                if (maskOut != null) {
                    maskOut[i + 1] = m1;
                }
            }
        }
        return (to - from + 1L) / 2;
    }

    /**
     * The current penalty: the sum of every layer's kernel and bias penalties.
     * @return the penalty of the current weights.
     */
    public double penalty() {
        double total = 0;
        for (int l = 0; l < layers.length; l++) {
            LayerSpec s = layers[l];
            float[] k = net.kernels[l];
            float[] b = net.biases[l];
            total += s.kernelPenalty() == null ? 0 : s.kernelPenalty().value(k, 0, k.length);
            total += s.biasPenalty() == null ? 0 : s.biasPenalty().value(b, 0, b.length);
        }
        return total;
    }

    /** Keras MaxNorm(c, axis=0) on layer l: each unit's incoming weights w ← w · clip(‖w‖, 0, c) / (ε + ‖w‖), ε = 1e-7. */
    private void applyMaxNorm(int l) {
        double c = layers[l].maxNorm();
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

    private static double sum(float[] w, int rows) {
        double s = 0;
        for (int r = 0; r < rows; r++) {
            s += w[r];
        }
        return s;
    }

    /** Clears the running epoch statistics. */
    public void resetEpochStatistics() {
        lossSum = 0;
        weightSeen = 0;
        penaltyWeightedSum = 0;
        seen = 0;
        correct[0] = 0;
    }

    /** @return the (weighted) mean loss, without the penalty, over the rows seen since the last reset. */
    public double epochLoss() {
        return weightSeen == 0 ? 0 : lossSum / weightSeen;
    }

    /** @return the mean penalty over the rows seen since the last reset (each batch weighted by its size). */
    public double epochPenalty() {
        return penaltyWeightedSum / seen;
    }

    /** @return the fraction of rows classified correctly during training steps since the last reset (dropout active). */
    public double epochAccuracy() {
        return (double) correct[0] / seen;
    }

    /** @return the optimiser's current learning rate (the last step's). */
    public double learningRate() {
        return updater.learningRate();
    }

    /**
     * A copy of the optimiser's state, for a backup.
     * @return the state.
     */
    public UpdaterState updaterState() {
        return updater.saveState();
    }

    /**
     * How far each team part's dropout stream has advanced, for a backup.
     * @return the number of {@code nextLong} draws of each part's stream, part 0 first.
     */
    public long[] dropoutDraws() {
        return partDraws.clone();
    }

    /**
     * Continues a training run from a backup: the network's parameters (already restored in place) are copied to
     * the device, the optimiser takes the saved state, and each part's dropout stream is advanced by the draws
     * the saved run had made, so that the next step is bit for bit the one the saved run would have taken.
     * Call it on a trainer that has taken no step yet, created like the saved one (same network shape, seed
     * streams and thread count).
     * @param state the saved optimiser state.
     * @param dropoutDraws the saved {@link #dropoutDraws()}.
     * @throws IllegalArgumentException if the state or the draws do not fit this trainer (another optimiser,
     *     shape or thread count).
     * @throws IllegalStateException if this trainer has already taken a step.
     */
    public void resume(UpdaterState state, long[] dropoutDraws) {
        if (stepped) {
            throw new IllegalStateException("resume must come before the first training step");
        }
        if (dropoutDraws.length != parts) {
            throw new IllegalArgumentException("The backup's dropout streams are for " + dropoutDraws.length
                    + " BLAS thread(s), this run has " + parts + "; resume with the same numThreads");
        }
        updater.restoreState(state);
        for (int l = 0; l < layers.length; l++) {
            if (kernelDev[l] != null) { // a sparse first layer reads the heap kernel, restored in place
                kernelDev[l].write(0, net.kernels[l], 0, net.kernels[l].length);
            }
        }
        for (int p = 0; p < parts; p++) {
            if (dropoutDraws[p] < 0) {
                throw new IllegalArgumentException("A dropout draw count must be >= 0, found " + dropoutDraws[p]);
            }
            for (long i = 0; i < dropoutDraws[p]; i++) {
                partRng[p].nextLong();
            }
            partDraws[p] = dropoutDraws[p];
        }
    }

    /**
     * Changes the optimiser's learning rate from the next step on, keeping its state (ReduceLROnPlateau).
     * @param rate the new rate, finite and &gt;= 0.
     * @throws IllegalArgumentException if the rate is out of range.
     * @throws UnsupportedOperationException if the optimiser follows a schedule.
     */
    public void setLearningRate(double rate) {
        updater.setLearningRate(rate);
    }

}
