package dev.regula.augment;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.regula.nn.Blas;
import dev.regula.nn.CsrMatrix;
import org.jspecify.annotations.Nullable;
import dev.regula.nn.SymmetricEigen;

import java.io.Serializable;
import java.util.logging.Logger;

/**
 * What to fit for input normalization: sample-wise centring/scaling, feature-wise centring/scaling and ZCA
 * whitening, with Keras' {@code ImageDataGenerator} order and flag interactions.
 * <p>
 * Flag interactions (as in Keras, each logged once at configuration): sample-wise std normalization implies
 * sample-wise centring; feature-wise std normalization implies feature-wise centring; ZCA implies feature-wise
 * centring and <em>disables</em> feature-wise std normalization.
 * <p>
 * Deliberate differences from Keras: feature-wise statistics are per feature (per pixel and channel), not per
 * channel, because ZCA is only a whitening of data that is centred per feature; and they are fitted on the data
 * <em>after</em> the sample-wise steps (Keras fits them on the raw data but applies them after the sample-wise
 * steps). The ZCA matrix is {@code W = U diag(1/√(λ+ε)) Uᵀ} from the eigendecomposition of the covariance.
 */
public final class Standardization implements Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger logger = Logger.getLogger(Standardization.class.getName());

    /** Rows per block when accumulating the covariance. */
    private static final int BLOCK_ROWS = 1024;

    /** Largest number of entries of the d×d ZCA matrices (one Java array). */
    static final long MAX_ZCA_ENTRIES = Integer.MAX_VALUE - 8;

    /** Largest feature count d whose d×d ZCA matrices fit in one Java array. */
    static final int MAX_ZCA_DIMENSION = (int) Math.sqrt((double) MAX_ZCA_ENTRIES);

    /** Subtract each sample's mean (over all its pixels and channels). */
    @Config(description = "Subtract each sample's mean (over all its pixels and channels).")
    private boolean samplewiseCenter = false;

    /** Divide each sample by its standard deviation + 1e-6 (implies samplewiseCenter). */
    @Config(description = "Divide each sample by its standard deviation + 1e-6 (implies samplewiseCenter).")
    private boolean samplewiseStdNormalization = false;

    /** Subtract the per-feature mean of the fit data. */
    @Config(description = "Subtract the per-feature mean of the fit data.")
    private boolean featurewiseCenter = false;

    /** Divide by the per-feature standard deviation + 1e-6 (implies featurewiseCenter; ignored with zcaWhitening). */
    @Config(description = "Divide by the per-feature standard deviation + 1e-6 (implies featurewiseCenter; ignored with zcaWhitening).")
    private boolean featurewiseStdNormalization = false;

    /** Apply ZCA whitening W = U diag(1/sqrt(lambda + zcaEpsilon)) U^T (implies featurewiseCenter). */
    @Config(description = "Apply ZCA whitening W = U diag(1/sqrt(lambda + zcaEpsilon)) U^T (implies featurewiseCenter).")
    private boolean zcaWhitening = false;

    /** Added to the covariance eigenvalues before the inverse square root. Positive. */
    @Config(description = "Added to the covariance eigenvalues before the inverse square root. Positive.")
    private double zcaEpsilon = 1e-6;

    /** For OLCUT. */
    private Standardization() {}

    /**
     * Validates the configuration and logs the implied flag changes.
     * @throws PropertyException naming the offending field.
     */
    @Override
    public void postConfig() {
        if (!(zcaEpsilon >= Float.MIN_NORMAL) || Double.isInfinite(zcaEpsilon)) {
            // W holds 1/sqrt(lambda + eps) in float32: below this, directions with lambda = 0 overflow to infinity.
            throw new PropertyException("", "zcaEpsilon", "zcaEpsilon must be finite and > 0, at least " + Float.MIN_NORMAL
                    + " (the whitening matrix is float32), found " + zcaEpsilon);
        }
        if (samplewiseStdNormalization && !samplewiseCenter) {
            logger.warning("samplewiseStdNormalization implies samplewiseCenter; centring each sample as well.");
        }
        if (zcaWhitening && featurewiseStdNormalization) {
            logger.warning("zcaWhitening overrides featurewiseStdNormalization (as in Keras); not dividing by the std.");
        } else if (featurewiseStdNormalization && !featurewiseCenter) {
            logger.warning("featurewiseStdNormalization implies featurewiseCenter; centring each feature as well.");
        }
    }

    /**
     * A builder; {@link Builder#build()} validates exactly as OLCUT configuration does.
     * @return a new builder with everything disabled.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return true when nothing is enabled (the fitted map is the identity). */
    public boolean isIdentity() {
        return !samplewiseCenter && !samplewiseStdNormalization && !featurewiseCenter
                && !featurewiseStdNormalization && !zcaWhitening;
    }

    /** @return whether each sample is centred (configured or implied). */
    public boolean effectiveSamplewiseCenter() {
        return samplewiseCenter || samplewiseStdNormalization;
    }

    /** @return whether each feature is centred (configured or implied). */
    public boolean effectiveFeaturewiseCenter() {
        return featurewiseCenter || featurewiseStdNormalization || zcaWhitening;
    }

    /** @return whether features are divided by their std (configured and not overridden by ZCA). */
    public boolean effectiveFeaturewiseStd() {
        return featurewiseStdNormalization && !zcaWhitening;
    }

    /** @return the configured samplewiseCenter flag. */
    public boolean getSamplewiseCenter() {
        return samplewiseCenter;
    }

    /** @return the configured samplewiseStdNormalization flag. */
    public boolean getSamplewiseStdNormalization() {
        return samplewiseStdNormalization;
    }

    /** @return the configured featurewiseCenter flag. */
    public boolean getFeaturewiseCenter() {
        return featurewiseCenter;
    }

    /** @return the configured featurewiseStdNormalization flag. */
    public boolean getFeaturewiseStdNormalization() {
        return featurewiseStdNormalization;
    }

    /** @return whether ZCA whitening is enabled. */
    public boolean getZcaWhitening() {
        return zcaWhitening;
    }

    /** @return the ε added to the eigenvalues. */
    public double getZcaEpsilon() {
        return zcaEpsilon;
    }

    /**
     * Fits the statistics on training rows.
     * <p>
     * Cost with ZCA: the covariance {@code XcᵀXc/n} (n·d² multiply-adds, double precision, one {@code dgemm}
     * per block of 1024 rows) plus an O(d³) eigendecomposition; memory about 3·d² doubles
     * (d = 784: 15 MB; d = 3072: 226 MB).
     * @param x rows {@code x[0 .. rows*cols)}, row-major; not modified.
     * @param rows number of rows, at least 1.
     * @param cols row length d.
     * @param blas the BLAS for the covariance product.
     * @return the fitted statistics.
     */
    public InputTransform fit(float[] x, int rows, int cols, Blas blas) {
        if (rows < 1 || cols < 1 || x.length < (long) rows * cols) {
            throw new IllegalArgumentException("Need at least one row of " + cols + " values; found rows=" + rows
                    + ", array length " + x.length);
        }
        if (zcaWhitening && (long) cols * cols > MAX_ZCA_ENTRIES) {
            throw new IllegalArgumentException("zcaWhitening needs a d x d covariance and whitening matrix, and d = " + cols
                    + " features gives " + ((long) cols * cols) + " entries, more than the " + MAX_ZCA_ENTRIES
                    + " one Java array holds (largest supported d: " + MAX_ZCA_DIMENSION + "); use featurewise "
                    + "normalization, smaller images or patch-wise whitening instead");
        }
        // Covariance, eigenvectors, scaled eigenvectors and W in double live at once, plus row copies for the product.
        long zcaBytes = 5L * cols * cols * Double.BYTES;
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (zcaWhitening && zcaBytes > available) {
            throw new IllegalArgumentException("zcaWhitening on d = " + cols + " features needs about "
                    + (zcaBytes >> 20) + " MiB for its d x d matrices, more than the " + (available >> 20)
                    + " MiB left of the JVM's maximum heap (" + (rt.maxMemory() >> 20)
                    + " MiB); raise -Xmx or use featurewise normalization");
        }
        boolean sc = effectiveSamplewiseCenter();
        boolean ss = samplewiseStdNormalization;
        boolean fc = effectiveFeaturewiseCenter();
        boolean fs = effectiveFeaturewiseStd();
        if (!fc) {
            return InputTransform.of(cols, sc, ss, null, null, null);
        }
        // Per-row sample-wise shift and multiplier, so that feature statistics describe the data they are applied to.
        double[] rowShift = new double[rows];
        double[] rowMul = new double[rows];
        double[] tmp = new double[2];
        for (int r = 0; r < rows; r++) {
            if (sc) {
                InputTransform.rowStats(x, r * cols, cols, ss, tmp);
                rowShift[r] = tmp[0];
                rowMul[r] = tmp[1];
            } else {
                rowMul[r] = 1.0;
            }
        }
        double[] mean = new double[cols];
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            double sh = rowShift[r];
            double mu = rowMul[r];
            for (int j = 0; j < cols; j++) {
                mean[j] += (x[base + j] - sh) * mu;
            }
        }
        for (int j = 0; j < cols; j++) {
            mean[j] /= rows;
        }
        float[] meanF = toFloat(mean);
        float[] scaleF = null;
        float[] whiteF = null;
        if (zcaWhitening) {
            double[] cov = covariance(x, rows, cols, rowShift, rowMul, mean, blas);
            whiteF = toFloat(zcaMatrix(cov, cols, zcaEpsilon, blas));
        } else if (fs) {
            double[] var = new double[cols];
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                double sh = rowShift[r];
                double mu = rowMul[r];
                for (int j = 0; j < cols; j++) {
                    double t = (x[base + j] - sh) * mu - mean[j];
                    var[j] += t * t;
                }
            }
            scaleF = new float[cols];
            for (int j = 0; j < cols; j++) {
                scaleF[j] = (float) (1.0 / (Math.sqrt(var[j] / rows) + InputTransform.STD_EPSILON));
            }
        }
        return InputTransform.of(cols, sc, ss, meanF, scaleF, whiteF);
    }

    /**
     * Fits the sparse-safe form on sparse training rows: feature-wise scaling only, never centring (scikit-learn's
     * {@code StandardScaler(with_mean=False)}), so that zeros stay zero. With feature-wise std normalization each
     * feature is divided by its standard deviation (+1e-6) over all rows, zeros included — the same factor the
     * dense fit computes — and not centred; feature-wise centring alone has nothing sparse-safe to apply and gives
     * null. The sample-wise steps and ZCA whitening need dense rows and are refused.
     * @param x the training rows.
     * @return the scale-only transform, or null if nothing applies.
     * @throws IllegalArgumentException naming the option, for sample-wise normalization or ZCA whitening.
     */
    public @Nullable InputTransform fitSparse(CsrMatrix x) {
        String dense = denseOnlyOption();
        if (dense != null) {
            throw new IllegalArgumentException(dense + " needs dense inputs: it does not keep zeros zero. Use "
                    + "inputKind DENSE (or AUTO) with it, or drop it for sparse data");
        }
        if (x.rows() < 1) {
            throw new IllegalArgumentException("Need at least one row to fit a standardization");
        }
        if (effectiveFeaturewiseCenter()) {
            logger.fine("sparse inputs: feature-wise centring is not applied (it would make every zero non-zero); "
                    + (effectiveFeaturewiseStd() ? "scaling by the standard deviation only" : "nothing else to apply"));
        }
        if (!effectiveFeaturewiseStd()) {
            return null;
        }
        int d = x.cols();
        int n = x.rows();
        double[] sum = new double[d];
        int nnz = x.nonZeros();
        float[] v = x.values();
        int[] c = x.columns();
        for (int k = 0; k < nnz; k++) {
            sum[c[k]] += v[k];
        }
        double[] mean = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = sum[j] / n;
        }
        // Σ over all rows of (x − μ)²: the stored entries' terms, plus μ² for each row where the feature is zero
        double[] sq = new double[d];
        int[] stored = new int[d];
        for (int k = 0; k < nnz; k++) {
            double t = v[k] - mean[c[k]];
            sq[c[k]] += t * t;
            stored[c[k]]++;
        }
        float[] scale = new float[d];
        for (int j = 0; j < d; j++) {
            double var = (sq[j] + (double) (n - stored[j]) * mean[j] * mean[j]) / n;
            scale[j] = (float) (1.0 / (Math.sqrt(var) + InputTransform.STD_EPSILON));
        }
        return InputTransform.of(d, false, false, null, scale, null);
    }

    /**
     * The first enabled option that needs dense rows (sample-wise centring or std normalization, ZCA whitening),
     * named as configured, or null if every enabled option is sparse-safe.
     * @return the option's name, or null.
     */
    public @Nullable String denseOnlyOption() {
        if (samplewiseCenter) {
            return "samplewiseCenter";
        }
        if (samplewiseStdNormalization) {
            return "samplewiseStdNormalization";
        }
        if (zcaWhitening) {
            return "zcaWhitening";
        }
        return null;
    }

    /** Σ = XcᵀXc / n in double, accumulated block by block, then symmetrized. */
    static double[] covariance(float[] x, int rows, int cols, double[] rowShift, double[] rowMul, double[] mean, Blas blas) {
        int block = Math.min(BLOCK_ROWS, rows);
        double[] buf = new double[block * cols];
        double[] cov = new double[cols * cols];
        boolean first = true;
        for (int start = 0; start < rows; start += block) {
            int k = Math.min(block, rows - start);
            for (int r = 0; r < k; r++) {
                int src = (start + r) * cols;
                int dst = r * cols;
                double sh = rowShift[start + r];
                double mu = rowMul[start + r];
                for (int j = 0; j < cols; j++) {
                    buf[dst + j] = (x[src + j] - sh) * mu - mean[j];
                }
            }
            blas.dgemm(true, false, cols, cols, k, 1.0, buf, cols, buf, cols, first ? 0.0 : 1.0, cov, cols);
            first = false;
        }
        double inv = 1.0 / rows;
        for (int i = 0; i < cols; i++) {
            for (int j = i; j < cols; j++) {
                double v = 0.5 * (cov[i * cols + j] + cov[j * cols + i]) * inv;
                cov[i * cols + j] = v;
                cov[j * cols + i] = v;
            }
        }
        return cov;
    }

    /**
     * The ZCA matrix {@code W = U diag(1/√(max(λ,0) + ε)) Uᵀ} of a symmetric covariance matrix.
     * @param cov the covariance, d×d row-major, symmetric.
     * @param d the dimension.
     * @param epsilon ε added to the eigenvalues.
     * @param blas the BLAS for the final product.
     * @return W, d×d row-major, in double.
     */
    public static double[] zcaMatrix(double[] cov, int d, double epsilon, Blas blas) {
        if (d < 1 || (long) d * d > MAX_ZCA_ENTRIES || cov.length < (long) d * d) {
            throw new IllegalArgumentException("Need a d x d covariance with 1 <= d <= " + MAX_ZCA_DIMENSION
                    + ", found d=" + d + ", length " + cov.length);
        }
        SymmetricEigen eig = SymmetricEigen.decompose(cov, d);
        double[] lambda = eig.eigenvalues();
        double[] ut = eig.vectorRows(); // row i = u_i
        double[] scaled = new double[d * d];
        for (int i = 0; i < d; i++) {
            double s = 1.0 / Math.sqrt(Math.max(lambda[i], 0.0) + epsilon);
            int ri = i * d;
            for (int j = 0; j < d; j++) {
                scaled[ri + j] = s * ut[ri + j];
            }
        }
        double[] w = new double[d * d];
        // W = Σ_i s_i u_i u_iᵀ = (Uᵀ)ᵀ · diag(s) Uᵀ
        blas.dgemm(true, false, d, d, d, 1.0, ut, d, scaled, d, 0.0, w, d);
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double v = 0.5 * (w[i * d + j] + w[j * d + i]);
                w[i * d + j] = v;
                w[j * d + i] = v;
            }
        }
        return w;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Standardization");
    }

    @Override
    public String toString() {
        return "Standardization(samplewiseCenter=" + samplewiseCenter + ", samplewiseStdNormalization="
                + samplewiseStdNormalization + ", featurewiseCenter=" + featurewiseCenter
                + ", featurewiseStdNormalization=" + featurewiseStdNormalization + ", zcaWhitening=" + zcaWhitening
                + ", zcaEpsilon=" + zcaEpsilon + ")";
    }

    /** Fluent builder for {@link Standardization}; everything starts disabled. */
    public static final class Builder {
        private final Standardization s = new Standardization();
        private boolean built = false;

        private Builder() {}

        /**
         * @param on subtract each sample's mean.
         * @return this builder.
         */
        public Builder samplewiseCenter(boolean on) {
            s.samplewiseCenter = on;
            return this;
        }

        /**
         * @param on divide each sample by its std + 1e-6 (implies sample-wise centring).
         * @return this builder.
         */
        public Builder samplewiseStdNormalization(boolean on) {
            s.samplewiseStdNormalization = on;
            return this;
        }

        /**
         * @param on subtract the per-feature mean.
         * @return this builder.
         */
        public Builder featurewiseCenter(boolean on) {
            s.featurewiseCenter = on;
            return this;
        }

        /**
         * @param on divide by the per-feature std + 1e-6 (implies feature-wise centring; ignored with ZCA).
         * @return this builder.
         */
        public Builder featurewiseStdNormalization(boolean on) {
            s.featurewiseStdNormalization = on;
            return this;
        }

        /**
         * @param on apply ZCA whitening (implies feature-wise centring).
         * @return this builder.
         */
        public Builder zcaWhitening(boolean on) {
            s.zcaWhitening = on;
            return this;
        }

        /**
         * @param epsilon ε added to the covariance eigenvalues, positive.
         * @return this builder.
         */
        public Builder zcaEpsilon(double epsilon) {
            s.zcaEpsilon = epsilon;
            return this;
        }

        /**
         * Validates and returns the specification. A builder can build once.
         * @return the specification.
         * @throws PropertyException if a parameter is out of range.
         */
        public Standardization build() {
            if (built) {
                throw new IllegalStateException("This builder has already built a Standardization");
            }
            s.postConfig();
            built = true;
            return s;
        }
    }
}
