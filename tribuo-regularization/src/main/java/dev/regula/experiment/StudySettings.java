package dev.regula.experiment;

import dev.regula.data.ImageGeometry;
import dev.regula.mlp.MLPTrainer;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The settings shared by every variant of the regularization study, and the strength of each technique.
 * Defaults reproduce the reference study: 5 hidden ReLU layers of 500 units, Adam with Keras defaults
 * (learning rate 0.001), batch 128, 10 epochs, 30 % validation, seed 42, L2/L1 = 1e-4, dropout 0.25,
 * early-stopping patience 2, ZCA epsilon 0.1 (see {@link Builder#zcaEpsilon}). Create with {@link #builder()}.
 */
public final class StudySettings {
    private final List<Integer> hiddenUnits;
    private final int epochs;
    private final long seed;
    private final int threads;
    private final int minibatchSize;
    private final double validationFraction;
    private final double learningRate;
    private final double l2;
    private final double l1;
    private final double dropout;
    private final int patience;
    private final double zcaEpsilon;
    private final boolean horizontalFlip;
    private final @Nullable ImageGeometry geometry;

    private StudySettings(Builder b) {
        this.hiddenUnits = Collections.unmodifiableList(new ArrayList<>(b.hiddenUnits));
        this.epochs = b.epochs;
        this.seed = b.seed;
        this.threads = b.threads;
        this.minibatchSize = b.minibatchSize;
        this.validationFraction = b.validationFraction;
        this.learningRate = b.learningRate;
        this.l2 = b.l2;
        this.l1 = b.l1;
        this.dropout = b.dropout;
        this.patience = b.patience;
        this.zcaEpsilon = b.zcaEpsilon;
        this.horizontalFlip = b.horizontalFlip;
        this.geometry = b.geometry;
    }

    /** @return a builder holding the reference defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the units of each hidden layer, input side first. */
    public List<Integer> getHiddenUnits() {
        return hiddenUnits;
    }

    /** @return the number of epochs (the maximum for early stopping). */
    public int getEpochs() {
        return epochs;
    }

    /** @return the trainer seed. */
    public long getSeed() {
        return seed;
    }

    /** @return the BLAS thread count (0 = every processor). */
    public int getThreads() {
        return threads;
    }

    /** @return the minibatch size. */
    public int getMinibatchSize() {
        return minibatchSize;
    }

    /** @return the fraction of the training data held out for validation. */
    public double getValidationFraction() {
        return validationFraction;
    }

    /** @return Adam's learning rate. */
    public double getLearningRate() {
        return learningRate;
    }

    /** @return the L2 factor of the {@code l2} variant. */
    public double getL2() {
        return l2;
    }

    /** @return the L1 factor of the {@code l1} variant. */
    public double getL1() {
        return l1;
    }

    /** @return the dropout rate of the {@code dropout} and {@code augmented_zca} variants. */
    public double getDropout() {
        return dropout;
    }

    /** @return the early-stopping patience in epochs. */
    public int getPatience() {
        return patience;
    }

    /** @return the ZCA epsilon of {@code augmented_zca} (Keras' {@code zca_epsilon}). */
    public double getZcaEpsilon() {
        return zcaEpsilon;
    }

    /**
     * @return whether the augmenting variants also flip images horizontally (label-preserving for clothing, not for
     * digits or text).
     */
    public boolean isHorizontalFlip() {
        return horizontalFlip;
    }

    /** @return the image geometry (needed by {@code augmented_zca}), or null if unknown. */
    public @Nullable ImageGeometry getGeometry() {
        return geometry;
    }

    @Override
    public String toString() {
        return "StudySettings(hidden=" + hiddenUnits + ", epochs=" + epochs + ", seed=" + seed + ", threads=" + threads
                + ", minibatchSize=" + minibatchSize + ", validationFraction=" + validationFraction
                + ", learningRate=" + learningRate + ", l2=" + l2 + ", l1=" + l1 + ", dropout=" + dropout
                 + ", patience=" + patience + ", zcaEpsilon=" + zcaEpsilon + ", horizontalFlip=" + horizontalFlip
                + ", geometry=" + geometry + ")";
    }

    /** Builder of {@link StudySettings}; {@link #build()} checks every value. */
    public static final class Builder {
        private List<Integer> hiddenUnits = List.of(500, 500, 500, 500, 500);
        private int epochs = 10;
        private long seed = 42;
        private int threads = 0;
        private int minibatchSize = 128;
        private double validationFraction = 0.3;
        private double learningRate = 0.001;
        private double l2 = 1e-4;
        private double l1 = 1e-4;
        private double dropout = 0.25;
        private int patience = 2;
        private double zcaEpsilon = 0.1;
        private boolean horizontalFlip = false;
        private @Nullable ImageGeometry geometry = ImageGeometry.of(28, 28, 1);

        private Builder() {}

        /**
         * Sets the hidden layer widths.
         * @param units the widths, input side first; at least one, each &gt;= 1.
         * @return this builder.
         */
        public Builder hiddenUnits(List<Integer> units) {
            this.hiddenUnits = new ArrayList<>(units);
            return this;
        }

        /**
         * Sets the number of epochs.
         * @param epochs the epochs, &gt;= 1.
         * @return this builder.
         */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the trainer seed.
         * @param seed the seed.
         * @return this builder.
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the BLAS thread count.
         * @param threads the count, 0 for every processor.
         * @return this builder.
         */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * Sets the minibatch size.
         * @param size the size, &gt;= 1.
         * @return this builder.
         */
        public Builder minibatchSize(int size) {
            this.minibatchSize = size;
            return this;
        }

        /**
         * Sets the validation fraction.
         * @param fraction the fraction in (0, 1).
         * @return this builder.
         */
        public Builder validationFraction(double fraction) {
            this.validationFraction = fraction;
            return this;
        }

        /**
         * Sets Adam's learning rate.
         * @param rate the rate, &gt; 0.
         * @return this builder.
         */
        public Builder learningRate(double rate) {
            this.learningRate = rate;
            return this;
        }

        /**
         * Sets the L2 factor of the {@code l2} variant.
         * @param lambda the factor, &gt; 0.
         * @return this builder.
         */
        public Builder l2(double lambda) {
            this.l2 = lambda;
            return this;
        }

        /**
         * Sets the L1 factor of the {@code l1} variant.
         * @param lambda the factor, &gt; 0.
         * @return this builder.
         */
        public Builder l1(double lambda) {
            this.l1 = lambda;
            return this;
        }

        /**
         * Sets the dropout rate.
         * @param rate the rate in (0, 1).
         * @return this builder.
         */
        public Builder dropout(double rate) {
            this.dropout = rate;
            return this;
        }

        /**
         * Sets the early-stopping patience.
         * @param epochs the patience, &gt;= 0.
         * @return this builder.
         */
        public Builder patience(int epochs) {
            this.patience = epochs;
            return this;
        }

        /**
         * Sets the epsilon added to the covariance eigenvalues by ZCA whitening in {@code augmented_zca}.
         * @param epsilon the epsilon, &gt; 0. The default 0.1 (in the range UFLDL recommends for [0, 1] pixels) differs
         *                from Keras' 1e-6, which scales the near-constant border pixels by up to 1000 — harmless on
         *                the training images, ruinous once augmentation moves content into the borders (measured
         *                in {@code docs/study.md}).
         * @return this builder.
         */
        public Builder zcaEpsilon(double epsilon) {
            this.zcaEpsilon = epsilon;
            return this;
        }

        /**
         * Adds random horizontal flips to the augmentation of {@code augmented} and {@code augmented_zca}. Off by
         * default: a mirrored shirt is a shirt, but a mirrored digit or letter is another symbol or none, so the
         * study cannot choose it for the data; say so for clothing, objects or scenes.
         * @param flip whether to flip.
         * @return this builder.
         */
        public Builder horizontalFlip(boolean flip) {
            this.horizontalFlip = flip;
            return this;
        }

        /**
         * Sets the image geometry used by augmentation.
         * @param geometry the geometry, or null if the features are not images (then {@code augmented_zca} is unavailable).
         * @return this builder.
         */
        public Builder geometry(@Nullable ImageGeometry geometry) {
            this.geometry = geometry;
            return this;
        }

        /**
         * Checks the values and creates the settings.
         * @return the settings.
         * @throws IllegalArgumentException naming the first invalid value and its allowed range.
         */
        public StudySettings build() {
            if (hiddenUnits.isEmpty()) {
                throw new IllegalArgumentException("hidden layers: need at least one hidden layer width");
            }
            for (Integer u : hiddenUnits) {
                if (u == null || u < 1) {
                    throw new IllegalArgumentException("hidden layer width must be >= 1, found " + u);
                }
            }
            check(epochs >= 1, "epochs must be >= 1, found " + epochs);
            check(threads >= 0 && threads <= MLPTrainer.MAX_THREADS, "threads must be in [0, " + MLPTrainer.MAX_THREADS
                    + "] (0 = every processor), found " + threads);
            check(minibatchSize >= 1, "minibatch size must be >= 1, found " + minibatchSize);
            check(validationFraction > 0 && validationFraction < 1,
                    "validation fraction must be in (0, 1), found " + validationFraction);
            check(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be > 0, found " + learningRate);
            check(l2 > 0 && Double.isFinite(l2), "l2 must be > 0, found " + l2);
            check(l1 > 0 && Double.isFinite(l1), "l1 must be > 0, found " + l1);
            check(dropout > 0 && dropout < 1, "dropout must be in (0, 1), found " + dropout);
            check(patience >= 0, "patience must be >= 0, found " + patience);
            check(zcaEpsilon > 0 && Double.isFinite(zcaEpsilon), "ZCA epsilon must be finite and > 0, found " + zcaEpsilon);
            return new StudySettings(this);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
