package dev.regula.nn;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Stochastic forward passes with the network's training-time dropout left on, for Monte-Carlo dropout (Gal and
 * Ghahramani, 2016): pass t of a row keeps every unit its dropout would keep in training — inverted dropout, each value
 * kept with probability 1 − rate and scaled by 1 / (1 − rate) — with masks drawn from a random source of its own,
 * seeded by {@code (seed, t, row)}. A row's pass therefore depends on the seed, the pass index and the row's position,
 * never on the other rows or the thread count, and the same call gives the same bits every time.
 * <p>
 * The products are {@link Blas#sgemmRowwise}, as in {@link Network.Inference} (or, for sparse rows, the first layer's
 * {@link SparseProducts#multiply}); what differs from a prediction is only the masks, so a pass with every rate at 0 equals the network's deterministic prediction bit for bit.
 */
public final class DropoutSampler {
    private final Network net;
    private final Blas blas;
    private final List<LayerSpec> layers;
    private final float[][] kernels;
    private final float[][] biases;

    /**
     * Prepares passes of one network on one backend.
     * @param net the network (its parameters are copied: later training is not seen).
     * @param blas the backend.
     */
    public DropoutSampler(Network net, Blas blas) {
        this.net = net;
        this.blas = blas;
        this.layers = net.getLayers();
        this.kernels = new float[layers.size()][];
        this.biases = new float[layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            kernels[l] = net.getKernel(l);
            biases[l] = net.getBias(l);
        }
    }

    /** @return whether any dropout is active in training (on the inputs or after a layer): otherwise passes are all equal. */
    public boolean hasDropout() {
        if (net.getInputDropout() > 0) {
            return true;
        }
        for (LayerSpec s : layers) {
            if (s.dropout() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * One stochastic pass over a batch of rows: input dropout, then per layer the product, bias, activation and the
     * layer's dropout (none after the output layer), then the head's activation.
     * @param x inputs, rows × {@link Network#numInputs()} row-major (not modified).
     * @param rows the number of rows.
     * @param firstRow the position of the first row among all rows sampled with this seed (it seeds the masks), at
     *                 least 0.
     * @param out output, rows × {@link Network#numOutputs()}, overwritten with the activated outputs.
     * @param head the output head whose activation is applied.
     * @param seed the seed of the masks.
     * @param pass the pass index t, at least 0.
     */
    public void sample(float[] x, int rows, int firstRow, float[] out, OutputLoss head, long seed, int pass) {
        SplittableRandom[] rng = streams(rows, firstRow, seed, pass);
        int d = net.numInputs();
        float[] a = new float[rows * d];
        System.arraycopy(x, 0, a, 0, rows * d);
        dropRows(a, rows, d, net.getInputDropout(), rng);
        LayerSpec first = layers.get(0);
        float[] z = new float[rows * first.units()];
        blas.sgemmRowwise(rows, first.units(), d, a, kernels[0], z);
        finish(z, rows, out, head, rng);
    }

    /**
     * {@link #sample(float[], int, int, float[], OutputLoss, long, int)} on sparse rows, never densified: input dropout
     * acts on the stored entries (a zero stays zero, as in training on sparse inputs, so the draws are one per pair
     * of stored entries rather than per pair of inputs), and the first layer's product runs over the stored entries
     * ({@link SparseProducts#multiply}). Memory is proportional to the stored entries, not to rows × inputs.
     * @param x the rows, {@link Network#numInputs()} columns (not modified).
     * @param firstRow the position of the first row among all rows sampled with this seed, at least 0.
     * @param out output, {@code x.rows()} × {@link Network#numOutputs()}, overwritten with the activated outputs.
     * @param head the output head whose activation is applied.
     * @param seed the seed of the masks.
     * @param pass the pass index t, at least 0.
     */
    public void sample(CsrMatrix x, int firstRow, float[] out, OutputLoss head, long seed, int pass) {
        if (x.cols() != net.numInputs()) {
            throw new IllegalArgumentException("sparse rows of " + x.cols() + " columns for a network of "
                    + net.numInputs() + " inputs");
        }
        int rows = x.rows();
        SplittableRandom[] rng = streams(rows, firstRow, seed, pass);
        double rate = net.getInputDropout();
        CsrMatrix dropped = x;
        if (rate > 0) {
            float[] values = x.values().clone();
            int[] ptr = x.rowPointers();
            for (int r = 0; r < rows; r++) {
                NetworkTrainer.dropout(rng[r], values, null, ptr[r], ptr[r + 1], rate);
            }
            dropped = new CsrMatrix(rows, x.cols(), values, x.columns(), ptr);
        }
        int units = layers.get(0).units();
        float[] z = new float[rows * units];
        SparseProducts.multiply(dropped, 0, rows, kernels[0], units, z, 0, SparseProducts.scratch(units));
        finish(z, rows, out, head, rng);
    }

    /** The random source of each row of a pass. */
    private static SplittableRandom[] streams(int rows, int firstRow, long seed, int pass) {
        if (pass < 0 || firstRow < 0) {
            throw new IllegalArgumentException("pass and firstRow must be at least 0, found " + pass + " and " + firstRow);
        }
        SplittableRandom[] rng = new SplittableRandom[rows];
        for (int r = 0; r < rows; r++) {
            rng[r] = new SplittableRandom(mix(seed, pass, firstRow + r));
        }
        return rng;
    }

    /**
     * The rest of a pass from the first layer's product z: per layer the bias and activation, the layer's dropout
     * (none after the output layer) and the next product; then the head's activation into {@code out}.
     */
    private void finish(float[] z, int rows, float[] out, OutputLoss head, SplittableRandom[] rng) {
        float[] a = z;
        int cols = layers.get(0).units();
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec s = layers.get(l);
            int units = s.units();
            if (l > 0) {
                z = new float[rows * units];
                blas.sgemmRowwise(rows, units, cols, a, kernels[l], z);
            }
            float[] row = new float[units];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(z, r * units, row, 0, units);
                s.activation().forwardRow(row, biases[l], units);
                System.arraycopy(row, 0, z, r * units, units);
            }
            if (l < layers.size() - 1) {
                dropRows(z, rows, units, s.dropout(), rng);
            }
            a = z;
            cols = units;
        }
        head.activate(a, rows, cols);
        System.arraycopy(a, 0, out, 0, rows * cols);
    }

    /** Inverted dropout of each row with that row's random source (nothing at rate 0, and no draws either). */
    private static void dropRows(float[] v, int rows, int cols, double rate, SplittableRandom[] rng) {
        if (rate == 0) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            NetworkTrainer.dropout(rng[r], v, null, r * cols, (r + 1) * cols, rate);
        }
    }

    /** A well-mixed seed of the (seed, pass, row) triple (SplitMix64's finalizer over a polynomial combination). */
    static long mix(long seed, int pass, int row) {
        long z = seed * 0x9E3779B97F4A7C15L + pass * 0xC2B2AE3D27D4EB4FL + row * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
