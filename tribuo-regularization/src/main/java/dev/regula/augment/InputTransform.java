package dev.regula.augment;

import dev.regula.data.Sha256;
import dev.regula.nn.Blas;
import org.jspecify.annotations.Nullable;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fitted input transform: a {@link Standardization} fitted on training rows, an immutable map applied
 * identically to training, validation and test rows, and a model's fixed first step
 * ({@code MLPModel.getInputTransform()}).
 * <p>
 * For a row {@code x} of length d the map is, in Keras' {@code standardize} order,
 * <pre>
 *   x ← x - mean(x)                      if samplewiseCenter   (mean over the row's d values)
 *   x ← x / (std(x) + 1e-6)              if samplewiseStd      (population std of the row)
 *   x ← (x - μ) ⊙ s                      per feature; μ = {@link #getMean()}, s = {@link #getScale()}
 *   x ← x · W                            W = {@link #getWhitening()} (d×d, row-major; ZCA, symmetric)
 * </pre>
 * Any of μ, s and W may be absent (null). Without the sample-wise steps the whole map is affine,
 * {@code x ↦ x · A + b} with {@code A = diag(s) · W} and {@code b = -(μ ⊙ s) · W}, which a model can hold as a
 * fixed first layer ({@link #getAffineBias()}).
 */
public final class InputTransform implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The constant Keras adds to the per-sample standard deviation (and to the per-feature one). */
    public static final float STD_EPSILON = 1e-6f;

    /** Number of features d the transform applies to. */
    private final int dimension;
    /** Whether each sample is centred on its own mean first. */
    private final boolean samplewiseCenter;
    /** Whether each sample is divided by its own standard deviation first. */
    private final boolean samplewiseStd;
    /** Per-feature mean μ subtracted, or null for none. */
    private final float @Nullable [] mean;
    /** Per-feature factor s (1 / std) applied after centring, or null for none. */
    private final float @Nullable [] scale;
    /** ZCA whitening matrix W (d×d, row-major), or null for none. */
    private final float @Nullable [] whitening;
    /** SHA-256 of the fitted statistics, recorded in provenance. */
    private final String hash;

    private InputTransform(int dimension, boolean samplewiseCenter, boolean samplewiseStd,
                                  float @Nullable [] mean, float @Nullable [] scale, float @Nullable [] whitening) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be positive, found " + dimension);
        }
        check("mean", mean, dimension);
        check("scale", scale, dimension);
        if (whitening != null && whitening.length != (long) dimension * dimension) {
            throw new IllegalArgumentException("whitening must have d*d = " + ((long) dimension * dimension)
                    + " elements, found " + whitening.length);
        }
        this.dimension = dimension;
        this.samplewiseCenter = samplewiseCenter || samplewiseStd;
        this.samplewiseStd = samplewiseStd;
        this.mean = mean == null ? null : mean.clone();
        this.scale = scale == null ? null : scale.clone();
        this.whitening = whitening == null ? null : whitening.clone();
        this.hash = computeHash();
    }

    private static void check(String name, float @Nullable [] v, int d) {
        if (v != null) {
            if (v.length != d) {
                throw new IllegalArgumentException(name + " must have length " + d + ", found " + v.length);
            }
            for (float f : v) {
                if (!Float.isFinite(f)) {
                    throw new IllegalArgumentException(name + " contains a non-finite value");
                }
            }
        }
    }

    /**
     * Creates fitted statistics from explicit arrays (copied). The dimension is taken from the arrays.
     * Sample-wise std normalization implies sample-wise centring, as in Keras.
     * @param samplewiseCenter subtract each row's mean.
     * @param samplewiseStd divide each row by its std + 1e-6.
     * @param mean per-feature mean μ, or null.
     * @param scale per-feature multiplier s (applied after subtracting μ), or null.
     * @param whitening d×d row-major matrix W, or null.
     * @return the fitted statistics.
     * @throws IllegalArgumentException if all three arrays are null (use {@link #of(int, boolean, boolean, float[], float[], float[])}) or their sizes disagree.
     */
    public static InputTransform of(boolean samplewiseCenter, boolean samplewiseStd, float @Nullable [] mean,
                                           float @Nullable [] scale, float @Nullable [] whitening) {
        int d;
        if (mean != null) {
            d = mean.length;
        } else if (scale != null) {
            d = scale.length;
        } else if (whitening != null) {
            d = (int) Math.round(Math.sqrt(whitening.length));
        } else {
            throw new IllegalArgumentException("Cannot infer the dimension without statistics; use of(dimension, ...)");
        }
        return new InputTransform(d, samplewiseCenter, samplewiseStd, mean, scale, whitening);
    }

    /**
     * Creates fitted statistics with an explicit dimension (needed when only sample-wise steps are used).
     * @param dimension the row length d.
     * @param samplewiseCenter subtract each row's mean.
     * @param samplewiseStd divide each row by its std + 1e-6.
     * @param mean per-feature mean μ, or null.
     * @param scale per-feature multiplier s, or null.
     * @param whitening d×d row-major matrix W, or null.
     * @return the fitted statistics.
     */
    public static InputTransform of(int dimension, boolean samplewiseCenter, boolean samplewiseStd,
                                           float @Nullable [] mean, float @Nullable [] scale,
                                           float @Nullable [] whitening) {
        return new InputTransform(dimension, samplewiseCenter, samplewiseStd, mean, scale, whitening);
    }

    /** @return the row length d. */
    public int getDimension() {
        return dimension;
    }

    /** @return whether each row is centred on its own mean. */
    public boolean isSamplewiseCenter() {
        return samplewiseCenter;
    }

    /** @return whether each row is divided by its own std + 1e-6. */
    public boolean isSamplewiseStd() {
        return samplewiseStd;
    }

    /** @return true if nothing is applied (the map is the identity). */
    public boolean isIdentity() {
        return !samplewiseCenter && !samplewiseStd && mean == null && scale == null && whitening == null;
    }

    /** @return true if the map is affine ({@code x·A + b}), i.e. has no sample-wise step. */
    public boolean isAffine() {
        return !samplewiseCenter && !samplewiseStd;
    }

    /**
     * The steps of the map, in the order {@link #apply} performs them. Code that re-expresses the map elsewhere (the
     * ONNX export) reads this list, so a step added here without a counterpart there is refused by name instead of
     * being left out silently.
     */
    public enum Step {
        /** Subtract each row's own mean. */
        SAMPLEWISE_CENTER,
        /** Divide each (centred) row by its own population std + {@link #STD_EPSILON}. */
        SAMPLEWISE_STD,
        /** Subtract the per-feature mean μ. */
        FEATURE_MEAN,
        /** Multiply by the per-feature factor s. */
        FEATURE_SCALE,
        /** Multiply the row by the d×d whitening matrix W. */
        WHITENING
    }

    /**
     * The steps this map applies, in order; empty for the identity.
     * @return the steps.
     */
    public List<Step> getSteps() {
        List<Step> steps = new ArrayList<>();
        if (samplewiseCenter) {
            steps.add(Step.SAMPLEWISE_CENTER);
        }
        if (samplewiseStd) {
            steps.add(Step.SAMPLEWISE_STD);
        }
        if (mean != null) {
            steps.add(Step.FEATURE_MEAN);
        }
        if (scale != null) {
            steps.add(Step.FEATURE_SCALE);
        }
        if (whitening != null) {
            steps.add(Step.WHITENING);
        }
        return List.copyOf(steps);
    }

    /** @return a copy of the per-feature mean μ, or null. */
    public float @Nullable [] getMean() {
        return mean == null ? null : mean.clone();
    }

    /** @return a copy of the per-feature multiplier s = 1/(std + 1e-6), or null. */
    public float @Nullable [] getScale() {
        return scale == null ? null : scale.clone();
    }

    /** @return a copy of the d×d row-major whitening matrix W, or null. */
    public float @Nullable [] getWhitening() {
        return whitening == null ? null : whitening.clone();
    }

    /**
     * The bias of the affine form {@code x·A + b}: {@code b = -(μ ⊙ s) · W} (terms absent are identities).
     * @return a new array of length d (zeros if there is no mean).
     */
    public float[] getAffineBias() {
        double[] ms = new double[dimension];
        if (mean != null) {
            for (int j = 0; j < dimension; j++) {
                ms[j] = -(double) mean[j] * (scale == null ? 1.0 : scale[j]);
            }
        }
        float[] b = new float[dimension];
        if (whitening == null) {
            for (int j = 0; j < dimension; j++) {
                b[j] = (float) ms[j];
            }
        } else {
            double[] acc = new double[dimension];
            for (int i = 0; i < dimension; i++) {
                double m = ms[i];
                if (m == 0) {
                    continue;
                }
                int ri = i * dimension;
                for (int j = 0; j < dimension; j++) {
                    acc[j] += m * whitening[ri + j];
                }
            }
            for (int j = 0; j < dimension; j++) {
                b[j] = (float) acc[j];
            }
        }
        return b;
    }

    /**
     * Applies the map to {@code rows} rows. Allocates a rows×d scratch buffer when whitening; see
     * {@link #apply(float[], float[], int, Blas, float[])} to supply one.
     * @param in input rows, row-major, row length {@link #getDimension()}.
     * @param out output rows (may be the same array as {@code in}).
     * @param rows number of rows.
     * @param blas the BLAS used for the whitening product.
     */
    public void apply(float[] in, float[] out, int rows, Blas blas) {
        apply(in, out, rows, blas, whitening == null ? new float[0] : new float[rows * dimension]);
    }

    /**
     * Applies the map to {@code rows} rows with caller-provided scratch (no allocation).
     * @param in input rows, row-major, row length {@link #getDimension()}.
     * @param out output rows (may be the same array as {@code in}).
     * @param rows number of rows.
     * @param blas the BLAS used for the whitening product (one {@code sgemm}).
     * @param scratch at least {@code rows * d} floats when whitening is present, otherwise unused; must not be
     *                {@code in} or {@code out}.
     */
    public void apply(float[] in, float[] out, int rows, Blas blas, float[] scratch) {
        int d = dimension;
        long n = (long) rows * d;
        if (rows < 0 || in.length < n || out.length < n) {
            throw new IllegalArgumentException("Arrays too short for " + rows + " rows of " + d);
        }
        if (rows == 0) {
            return;
        }
        float[] target = out;
        if (whitening != null) {
            if (scratch.length < n || scratch == in || scratch == out) {
                throw new IllegalArgumentException("scratch must be a separate array of at least " + n + " floats");
            }
            target = scratch;
        }
        elementwise(in, target, rows);
        if (whitening != null) {
            blas.sgemm(false, false, rows, d, d, 1f, scratch, d, whitening, d, 0f, out, d);
        }
    }

    /**
     * Whether the map only multiplies each feature by its own factor (no centring, no sample-wise step, no
     * whitening), so that it keeps zeros zero: the form fitted on sparse inputs.
     * @return true for a scale-only map.
     */
    public boolean isScaleOnly() {
        return !samplewiseCenter && mean == null && whitening == null;
    }

    /**
     * Applies a scale-only map ({@link #isScaleOnly()}) to the stored entries of sparse rows, in place:
     * {@code values[k] *= scale[columns[k]]} for {@code k ∈ [from, to)}. Each entry is mapped by itself, so the
     * result is the dense map's on the same cells.
     * @param values the entries' values.
     * @param columns the entries' columns, each in {@code [0, getDimension())}.
     * @param from the first entry.
     * @param to one past the last entry.
     * @throws IllegalStateException if the map is not scale-only.
     */
    public void applyToEntries(float[] values, int[] columns, int from, int to) {
        if (!isScaleOnly()) {
            throw new IllegalStateException("Only a scale-only input transform can be applied to sparse entries; this "
                    + "one has " + getSteps());
        }
        if (scale == null) {
            return;
        }
        for (int k = from; k < to; k++) {
            values[k] *= scale[columns[k]];
        }
    }

    /**
     * Applies the map to {@code rows} rows in place for a model's predictions: each row's result is a function of
     * that row alone, whatever the other rows, their number and the thread count (the whitening product goes
     * through {@link Blas#sgemmRowwise}; the other steps act on each row by itself).
     * @param x rows, row-major, row length {@link #getDimension()}; overwritten with the mapped rows.
     * @param rows number of rows.
     * @param blas the BLAS used for the whitening product.
     */
    public void applyRowwise(float[] x, int rows, Blas blas) {
        if (rows < 0 || x.length < (long) rows * dimension) {
            throw new IllegalArgumentException("Array too short for " + rows + " rows of " + dimension);
        }
        if (whitening == null) {
            elementwise(x, x, rows);
            return;
        }
        float[] scratch = new float[rows * dimension];
        elementwise(x, scratch, rows);
        blas.sgemmRowwise(rows, dimension, dimension, scratch, whitening, x);
    }

    /** The steps before the whitening product, row by row: sample-wise centring and scaling, feature mean and scale. */
    private void elementwise(float[] in, float[] target, int rows) {
        int d = dimension;
        double[] ms = {0.0, 1.0};
        for (int r = 0; r < rows; r++) {
            int base = r * d;
            if (samplewiseCenter) {
                rowStats(in, base, d, samplewiseStd, ms);
            }
            float fs = (float) ms[0];
            float fm = (float) ms[1];
            for (int j = 0; j < d; j++) {
                float v = in[base + j];
                if (samplewiseCenter) {
                    v = (v - fs) * fm;
                }
                if (mean != null) {
                    v -= mean[j];
                }
                if (scale != null) {
                    v *= scale[j];
                }
                target[base + j] = v;
            }
        }
    }

    /** Row mean and multiplier 1/(std + 1e-6) (1 when std normalization is off), in double, into out[0..1]. */
    static void rowStats(float[] x, int base, int d, boolean std, double[] out) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += x[base + j];
        }
        double mu = s / d;
        double mul = 1;
        if (std) {
            double ss = 0;
            for (int j = 0; j < d; j++) {
                double t = x[base + j] - mu;
                ss += t * t;
            }
            mul = 1.0 / (Math.sqrt(ss / d) + STD_EPSILON);
        }
        out[0] = mu;
        out[1] = mul;
    }

    /**
     * SHA-256 of the flags, the dimension and every statistic (IEEE bits, big-endian), as lower-case hex.
     * Equal statistics give equal hashes on every platform.
     * @return the hash.
     */
    public String sha256() {
        return hash;
    }

    private String computeHash() {
        MessageDigest md = Sha256.newDigest();
        md.update("regula-standardization-v1".getBytes(StandardCharsets.UTF_8));
        md.update(ByteBuffer.allocate(6).putInt(dimension).put((byte) (samplewiseCenter ? 1 : 0))
                .put((byte) (samplewiseStd ? 1 : 0)).array());
        for (float @Nullable [] a : Arrays.asList(mean, scale, whitening)) {
            if (a == null) {
                md.update((byte) 0);
            } else {
                md.update((byte) 1);
                ByteBuffer bb = ByteBuffer.allocate(4 * Math.min(a.length, 1 << 16));
                for (int i = 0; i < a.length; i++) {
                    if (!bb.hasRemaining()) {
                        md.update(bb.array(), 0, bb.position());
                        bb.clear();
                    }
                    bb.putInt(Float.floatToIntBits(a[i]));
                }
                md.update(bb.array(), 0, bb.position());
            }
        }
        return Sha256.hex(md.digest());
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof InputTransform)) {
            return false;
        }
        InputTransform f = (InputTransform) o;
        return dimension == f.dimension && samplewiseCenter == f.samplewiseCenter && samplewiseStd == f.samplewiseStd
                && Arrays.equals(mean, f.mean) && Arrays.equals(scale, f.scale) && Arrays.equals(whitening, f.whitening);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "InputTransform(d=" + dimension + ", samplewiseCenter=" + samplewiseCenter + ", samplewiseStd="
                + samplewiseStd + ", mean=" + (mean != null) + ", scale=" + (scale != null) + ", whitening="
                + (whitening != null) + ", sha256=" + hash + ")";
    }
}
