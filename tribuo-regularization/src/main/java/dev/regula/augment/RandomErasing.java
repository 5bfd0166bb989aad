package dev.regula.augment;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.regula.data.ImageGeometry;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Random erasing (Zhong et al. 2020), torchvision {@code RandomErasing(p=0.5, scale=(0.02, 0.33),
 * ratio=(0.3, 3.3), value=0)}: with probability p, one rectangle of the image, in every channel, is replaced by
 * {@code value} (or, with {@code randomValue}, by independent N(0, 1) values, torchvision's {@code value="random"}).
 * For an H × W image the rectangle is drawn as torchvision draws it, up to 10 attempts:
 * <pre>
 * area = H·W·U(scaleMin, scaleMax);  r = exp(U(ln ratioMin, ln ratioMax))
 * h = round(√(area·r)),  w = round(√(area / r))      (round half to even, as Python's round)
 * if h &lt; H and w &lt; W:  top ~ U{0 … H − h}, left ~ U{0 … W − w}; erase; stop
 * </pre>
 * and if no attempt fits the image is left as it is. Erasing is applied to training images only, after the
 * random transforms of {@link Augmentation} and before the input transform (so {@code value} is a raw pixel value:
 * 0 is black for images scaled to [0, 1]); validation and test images are never erased.
 */
public final class RandomErasing implements Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {
    private static final long serialVersionUID = 1L;
    /** Attempts at a rectangle that fits, as torchvision makes. */
    private static final int ATTEMPTS = 10;

    /** Probability that an image is erased, in [0, 1] (torchvision p). */
    @Config(description = "Probability that an image is erased, in [0, 1] (torchvision p).")
    private double probability = 0.5;

    /** Smallest erased area as a fraction of the image, in (0, 1] and &lt;= scaleMax. */
    @Config(description = "Smallest erased area as a fraction of the image, in (0, 1] and <= scaleMax.")
    private double scaleMin = 0.02;

    /** Largest erased area as a fraction of the image, in (0, 1]. */
    @Config(description = "Largest erased area as a fraction of the image, in (0, 1].")
    private double scaleMax = 0.33;

    /** Smallest aspect ratio h/w of the rectangle, &gt; 0 and &lt;= ratioMax. */
    @Config(description = "Smallest aspect ratio h/w of the rectangle, > 0 and <= ratioMax.")
    private double ratioMin = 0.3;

    /** Largest aspect ratio h/w of the rectangle, finite and &gt; 0. */
    @Config(description = "Largest aspect ratio h/w of the rectangle, finite and > 0.")
    private double ratioMax = 3.3;

    /** Raw pixel value written into the rectangle (before the input transform), finite. */
    @Config(description = "Raw pixel value written into the rectangle (before the input transform), finite.")
    private double value = 0.0;

    /** Write independent N(0, 1) values instead of 'value' (torchvision value='random'). */
    @Config(description = "Write independent N(0, 1) values instead of 'value' (torchvision value='random').")
    private boolean randomValue = false;

    /** For OLCUT and the builder. */
    private RandomErasing() {}

    /**
     * Starts a configuration with torchvision's defaults (p 0.5, scale 0.02–0.33, ratio 0.3–3.3, value 0).
     * @return a builder.
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void postConfig() {
        if (!(probability >= 0 && probability <= 1)) {
            throw new PropertyException("", "probability", "probability must be in [0, 1], found " + probability);
        }
        if (!(scaleMax > 0 && scaleMax <= 1)) {
            throw new PropertyException("", "scaleMax", "scaleMax must be in (0, 1], found " + scaleMax);
        }
        if (!(scaleMin > 0 && scaleMin <= scaleMax)) {
            throw new PropertyException("", "scaleMin", "scaleMin must be in (0, scaleMax = " + scaleMax + "], found "
                    + scaleMin);
        }
        if (!(ratioMax > 0) || Double.isInfinite(ratioMax)) {
            throw new PropertyException("", "ratioMax", "ratioMax must be finite and > 0, found " + ratioMax);
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new PropertyException("", "ratioMin", "ratioMin must be in (0, ratioMax = " + ratioMax + "], found "
                    + ratioMin);
        }
        if (!Double.isFinite(value)) {
            throw new PropertyException("", "value", "value must be finite, found " + value);
        }
    }

    /**
     * Erases a random rectangle of one image in place, or nothing (with probability 1 − p, or when no attempt
     * fits). Draws, in order: the Bernoulli trial, then per attempt the area and the log-ratio, then the top and
     * left corner (and the random values) of the attempt that fits.
     * @param image the images' pixels, row-major with the channel last ({@link ImageGeometry#index}).
     * @param offset where the image starts.
     * @param geometry its geometry.
     * @param rng the random stream.
     * @return whether a rectangle was erased.
     */
    public boolean erase(float[] image, int offset, ImageGeometry geometry, SplittableRandom rng) {
        if (!(rng.nextDouble() < probability)) {
            return false;
        }
        int height = geometry.getHeight();
        int width = geometry.getWidth();
        int channels = geometry.getChannels();
        double area = (double) height * width;
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double erased = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
            double ratio = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int h = (int) Math.rint(Math.sqrt(erased * ratio));
            int w = (int) Math.rint(Math.sqrt(erased / ratio));
            if (!(h < height && w < width)) {
                continue;
            }
            int top = rng.nextInt(height - h + 1);
            int left = rng.nextInt(width - w + 1);
            float v = (float) value;
            for (int y = top; y < top + h; y++) {
                for (int x = left; x < left + w; x++) {
                    for (int c = 0; c < channels; c++) {
                        image[offset + geometry.index(x, y, c)] = randomValue ? (float) rng.nextGaussian() : v;
                    }
                }
            }
            return true;
        }
        return false;
    }

    /** @return the probability that an image is erased. */
    public double getProbability() {
        return probability;
    }

    /** @return the smallest erased area fraction. */
    public double getScaleMin() {
        return scaleMin;
    }

    /** @return the largest erased area fraction. */
    public double getScaleMax() {
        return scaleMax;
    }

    /** @return the smallest aspect ratio. */
    public double getRatioMin() {
        return ratioMin;
    }

    /** @return the largest aspect ratio. */
    public double getRatioMax() {
        return ratioMax;
    }

    /** @return the erasing value (unused with random values). */
    public double getValue() {
        return value;
    }

    /** @return whether the rectangle gets N(0, 1) values. */
    public boolean isRandomValue() {
        return randomValue;
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "RandomErasing");
    }

    @Override
    public String toString() {
        return "RandomErasing(p=" + probability + ",scale=[" + scaleMin + ", " + scaleMax + "],ratio=[" + ratioMin
                + ", " + ratioMax + "],value=" + (randomValue ? "random" : Double.toString(value)) + ")";
    }

    /** Builder of a {@link RandomErasing}; {@link #build()} validates the values. */
    public static final class Builder {
        private final RandomErasing r = new RandomErasing();

        private Builder() {}

        /**
         * Sets the probability that an image is erased (default 0.5).
         * @param p the probability in [0, 1].
         * @return this builder.
         */
        public Builder probability(double p) {
            r.probability = p;
            return this;
        }

        /**
         * Sets the range of the erased area as a fraction of the image (default 0.02–0.33).
         * @param min the smallest fraction, in (0, max].
         * @param max the largest fraction, in (0, 1].
         * @return this builder.
         */
        public Builder scale(double min, double max) {
            r.scaleMin = min;
            r.scaleMax = max;
            return this;
        }

        /**
         * Sets the range of the rectangle's aspect ratio h/w (default 0.3–3.3), drawn log-uniformly.
         * @param min the smallest ratio, in (0, max].
         * @param max the largest ratio, finite.
         * @return this builder.
         */
        public Builder ratio(double min, double max) {
            r.ratioMin = min;
            r.ratioMax = max;
            return this;
        }

        /**
         * Sets the value written into the rectangle (default 0).
         * @param value a raw pixel value, finite.
         * @return this builder.
         */
        public Builder value(double value) {
            r.value = value;
            r.randomValue = false;
            return this;
        }

        /**
         * Writes independent N(0, 1) values into the rectangle (torchvision {@code value="random"}).
         * @return this builder.
         */
        public Builder randomValue() {
            r.randomValue = true;
            return this;
        }

        /**
         * Validates and returns the configuration.
         * @return the configuration.
         * @throws PropertyException naming an invalid field.
         */
        public RandomErasing build() {
            r.postConfig();
            RandomErasing out = new RandomErasing();
            out.probability = r.probability;
            out.scaleMin = r.scaleMin;
            out.scaleMax = r.scaleMax;
            out.ratioMin = r.ratioMin;
            out.ratioMax = r.ratioMax;
            out.value = r.value;
            out.randomValue = r.randomValue;
            return out;
        }
    }
}
