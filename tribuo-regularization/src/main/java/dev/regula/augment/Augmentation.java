package dev.regula.augment;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl;
import dev.regula.data.ImageGeometry;

import java.io.Serializable;

/**
 * Random image transforms with the semantics of Keras' {@code ImageDataGenerator}: rotation, shifts, shear,
 * zoom, flips and brightness. This is a configurable specification; {@link #newAugmenter(ImageGeometry)}
 * creates the (non thread-safe) worker that draws and applies transforms.
 * <p>
 * Per image, and only for the enabled transforms, the following are drawn in this order:
 * <pre>
 *   rotation ~ U(-rotationRange, rotationRange)                degrees
 *   shiftY   ~ U(-v, v) · (v &lt; 1 ? height : 1), v = heightShiftRange   pixels along rows
 *   shiftX   ~ U(-v, v) · (v &lt; 1 ? width  : 1), v = widthShiftRange    pixels along columns
 *   shear    ~ U(-shearRange, shearRange)                      degrees
 *   zoomX, zoomY ~ U(zoomRangeLow, zoomRangeHigh), independently (inverse-map scale: &gt; 1 zooms out)
 *   flipHorizontal, flipVertical: each with probability 1/2
 *   brightness ~ U(brightnessLow, brightnessHigh)
 * </pre>
 * See {@link AffineParams} for the resulting map. Instances are immutable once configured; the builder
 * and OLCUT both validate through {@link #postConfig()}.
 */
public final class Augmentation implements Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Upper bound of the shift ranges (pixels), the zoom and brightness factors and |cval|: far beyond any useful
     * value, and small enough that transformed pixels summed by a layer stay finite in float32.
     */
    public static final double MAX_RANGE = 1e6;

    /** Maximum rotation in degrees; the angle is drawn from U(-r, r). In [0, 360]. */
    @Config(description = "Maximum rotation in degrees; the angle is drawn from U(-r, r). In [0, 360].")
    private double rotationRange = 0.0;

    /**
     * Horizontal shift range: a value v &lt; 1 is a fraction of the width, v &gt;= 1 is pixels; the shift is drawn from
     * U(-v, v).
     */
    @Config(description = "Horizontal shift range: a value v < 1 is a fraction of the width, v >= 1 is pixels; the shift is drawn from U(-v, v).")
    private double widthShiftRange = 0.0;

    /**
     * Vertical shift range: a value v &lt; 1 is a fraction of the height, v &gt;= 1 is pixels; the shift is drawn from
     * U(-v, v).
     */
    @Config(description = "Vertical shift range: a value v < 1 is a fraction of the height, v >= 1 is pixels; the shift is drawn from U(-v, v).")
    private double heightShiftRange = 0.0;

    /** Maximum shear angle in degrees (counter-clockwise as in Keras); drawn from U(-s, s). In [0, 90). */
    @Config(description = "Maximum shear angle in degrees (counter-clockwise as in Keras); drawn from U(-s, s). In [0, 90).")
    private double shearRange = 0.0;

    /** Lower bound of the zoom factor (inverse-map scale, &gt; 1 zooms out). Positive. */
    @Config(description = "Lower bound of the zoom factor (inverse-map scale, > 1 zooms out). Positive.")
    private double zoomRangeLow = 1.0;

    /** Upper bound of the zoom factor (inverse-map scale, &gt; 1 zooms out). At least zoomRangeLow. */
    @Config(description = "Upper bound of the zoom factor (inverse-map scale, > 1 zooms out). At least zoomRangeLow.")
    private double zoomRangeHigh = 1.0;

    /** Mirror images left-right with probability 1/2. */
    @Config(description = "Mirror images left-right with probability 1/2.")
    private boolean horizontalFlip = false;

    /** Mirror images top-bottom with probability 1/2. */
    @Config(description = "Mirror images top-bottom with probability 1/2.")
    private boolean verticalFlip = false;

    /** Lower bound of the brightness factor that multiplies every transformed value. Non-negative. */
    @Config(description = "Lower bound of the brightness factor that multiplies every transformed value. Non-negative.")
    private double brightnessLow = 1.0;

    /** Upper bound of the brightness factor. At least brightnessLow. */
    @Config(description = "Upper bound of the brightness factor. At least brightnessLow.")
    private double brightnessHigh = 1.0;

    /** How points outside the image are filled: CONSTANT, NEAREST, REFLECT, WRAP or GRID_WRAP. */
    @Config(description = "How points outside the image are filled: CONSTANT, NEAREST, REFLECT, WRAP or GRID_WRAP.")
    private FillMode fillMode = FillMode.NEAREST;

    /** Fill value for fillMode CONSTANT. */
    @Config(description = "Fill value for fillMode CONSTANT.")
    private double cval = 0.0;

    /** For OLCUT. */
    private Augmentation() {}

    /**
     * Validates the configuration.
     * @throws PropertyException naming the offending field and its allowed range.
     */
    @Override
    public void postConfig() {
        if (!(rotationRange >= 0 && rotationRange <= 360)) {
            throw new PropertyException("", "rotationRange", "rotationRange must be in [0, 360] degrees, found " + rotationRange);
        }
        if (!(widthShiftRange >= 0 && widthShiftRange <= MAX_RANGE)) {
            throw new PropertyException("", "widthShiftRange", "widthShiftRange must be finite, >= 0 and <= " + MAX_RANGE + ", found " + widthShiftRange);
        }
        if (!(heightShiftRange >= 0 && heightShiftRange <= MAX_RANGE)) {
            throw new PropertyException("", "heightShiftRange", "heightShiftRange must be finite, >= 0 and <= " + MAX_RANGE + ", found " + heightShiftRange);
        }
        if (!(shearRange >= 0 && shearRange < 90)) {
            throw new PropertyException("", "shearRange", "shearRange must be in [0, 90) degrees, found " + shearRange);
        }
        if (!(zoomRangeLow > 0) || Double.isInfinite(zoomRangeLow)) {
            throw new PropertyException("", "zoomRangeLow", "zoomRangeLow must be finite and > 0, found " + zoomRangeLow);
        }
        if (!(zoomRangeHigh >= zoomRangeLow && zoomRangeHigh <= MAX_RANGE)) {
            throw new PropertyException("", "zoomRangeHigh", "zoomRangeHigh must be >= zoomRangeLow (" + zoomRangeLow
                    + ") and <= " + MAX_RANGE + ", found " + zoomRangeHigh);
        }
        if (!(brightnessLow >= 0) || Double.isInfinite(brightnessLow)) {
            throw new PropertyException("", "brightnessLow", "brightnessLow must be finite and >= 0, found " + brightnessLow);
        }
        if (!(brightnessHigh >= brightnessLow && brightnessHigh <= MAX_RANGE)) {
            throw new PropertyException("", "brightnessHigh", "brightnessHigh must be >= brightnessLow (" + brightnessLow
                    + ") and <= " + MAX_RANGE + ", found " + brightnessHigh);
        }
        if (fillMode == null) {
            throw new PropertyException("", "fillMode", "fillMode must be one of CONSTANT, NEAREST, REFLECT, WRAP, GRID_WRAP");
        }
        if (!(Math.abs(cval) <= MAX_RANGE)) {
            throw new PropertyException("", "cval", "cval must be finite and in [-" + MAX_RANGE + ", " + MAX_RANGE + "], found " + cval);
        }
    }

    /**
     * A builder; {@link Builder#build()} validates exactly as OLCUT configuration does.
     * @return a new builder with every transform disabled.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The identity augmentation, which leaves every image unchanged.
     * @return an augmentation with every transform disabled.
     */
    public static Augmentation none() {
        return new Builder().build();
    }

    /** @return true when no transform is enabled, so that every image is returned unchanged. */
    public boolean isIdentity() {
        return rotationRange == 0 && widthShiftRange == 0 && heightShiftRange == 0 && shearRange == 0
                && zoomRangeLow == 1 && zoomRangeHigh == 1 && !horizontalFlip && !verticalFlip
                && brightnessLow == 1 && brightnessHigh == 1;
    }

    /**
     * Creates an augmenter for images of the given geometry. Each thread needs its own.
     * @param geometry the image geometry.
     * @return a new augmenter.
     */
    public ImageAugmenter newAugmenter(ImageGeometry geometry) {
        return new ImageAugmenter(getTransformRanges(), geometry);
    }

    /**
     * The plain values of this configuration, as the image kernel {@link ImageAugmenter} reads them.
     * @return a new immutable {@link TransformRanges} holding every range, flip switch, fill mode and cval.
     */
    public TransformRanges getTransformRanges() {
        return new TransformRanges(rotationRange, widthShiftRange, heightShiftRange, shearRange, zoomRangeLow,
                zoomRangeHigh, horizontalFlip, verticalFlip, brightnessLow, brightnessHigh, fillMode, cval);
    }

    /** @return the rotation range in degrees. */
    public double getRotationRange() {
        return rotationRange;
    }

    /** @return the horizontal shift range (fraction of the width if below 1, else pixels). */
    public double getWidthShiftRange() {
        return widthShiftRange;
    }

    /** @return the vertical shift range (fraction of the height if below 1, else pixels). */
    public double getHeightShiftRange() {
        return heightShiftRange;
    }

    /** @return the shear range in degrees. */
    public double getShearRange() {
        return shearRange;
    }

    /** @return the lower zoom bound. */
    public double getZoomRangeLow() {
        return zoomRangeLow;
    }

    /** @return the upper zoom bound. */
    public double getZoomRangeHigh() {
        return zoomRangeHigh;
    }

    /** @return whether random left-right flips are enabled. */
    public boolean getHorizontalFlip() {
        return horizontalFlip;
    }

    /** @return whether random top-bottom flips are enabled. */
    public boolean getVerticalFlip() {
        return verticalFlip;
    }

    /** @return the lower brightness bound. */
    public double getBrightnessLow() {
        return brightnessLow;
    }

    /** @return the upper brightness bound. */
    public double getBrightnessHigh() {
        return brightnessHigh;
    }

    /** @return the fill mode. */
    public FillMode getFillMode() {
        return fillMode;
    }

    /** @return the constant fill value. */
    public double getCval() {
        return cval;
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return new ConfiguredObjectProvenanceImpl(this, "Augmentation");
    }

    @Override
    public String toString() {
        return "Augmentation(rotationRange=" + rotationRange + ", widthShiftRange=" + widthShiftRange
                + ", heightShiftRange=" + heightShiftRange + ", shearRange=" + shearRange
                + ", zoomRange=[" + zoomRangeLow + ", " + zoomRangeHigh + "], horizontalFlip=" + horizontalFlip
                + ", verticalFlip=" + verticalFlip + ", brightness=[" + brightnessLow + ", " + brightnessHigh
                + "], fillMode=" + fillMode + ", cval=" + cval + ")";
    }

    /** Fluent builder for {@link Augmentation}; every transform starts disabled. */
    public static final class Builder {
        private final Augmentation a = new Augmentation();
        private boolean built = false;

        private Builder() {}

        /**
         * Sets the rotation range.
         * @param degrees maximum absolute angle in degrees, in [0, 360].
         * @return this builder.
         */
        public Builder rotationRange(double degrees) {
            a.rotationRange = degrees;
            return this;
        }

        /**
         * Sets the horizontal shift range.
         * @param range a fraction of the width if below 1, else pixels; non-negative.
         * @return this builder.
         */
        public Builder widthShiftRange(double range) {
            a.widthShiftRange = range;
            return this;
        }

        /**
         * Sets the vertical shift range.
         * @param range a fraction of the height if below 1, else pixels; non-negative.
         * @return this builder.
         */
        public Builder heightShiftRange(double range) {
            a.heightShiftRange = range;
            return this;
        }

        /**
         * Sets the shear range.
         * @param degrees maximum absolute shear angle in degrees, in [0, 90).
         * @return this builder.
         */
        public Builder shearRange(double degrees) {
            a.shearRange = degrees;
            return this;
        }

        /**
         * Sets the zoom range to {@code [1 - z, 1 + z]}, Keras' float {@code zoom_range}.
         * @param z half-width of the range, in [0, 1).
         * @return this builder.
         */
        public Builder zoomRange(double z) {
            a.zoomRangeLow = 1 - z;
            a.zoomRangeHigh = 1 + z;
            return this;
        }

        /**
         * Sets the zoom range.
         * @param low lower bound, positive.
         * @param high upper bound, at least {@code low}.
         * @return this builder.
         */
        public Builder zoomRange(double low, double high) {
            a.zoomRangeLow = low;
            a.zoomRangeHigh = high;
            return this;
        }

        /**
         * Enables or disables random left-right flips.
         * @param flip whether to flip with probability 1/2.
         * @return this builder.
         */
        public Builder horizontalFlip(boolean flip) {
            a.horizontalFlip = flip;
            return this;
        }

        /**
         * Enables or disables random top-bottom flips.
         * @param flip whether to flip with probability 1/2.
         * @return this builder.
         */
        public Builder verticalFlip(boolean flip) {
            a.verticalFlip = flip;
            return this;
        }

        /**
         * Sets the brightness factor range.
         * @param low lower bound, non-negative.
         * @param high upper bound, at least {@code low}.
         * @return this builder.
         */
        public Builder brightnessRange(double low, double high) {
            a.brightnessLow = low;
            a.brightnessHigh = high;
            return this;
        }

        /**
         * Sets the fill mode.
         * @param mode the fill mode.
         * @return this builder.
         */
        public Builder fillMode(FillMode mode) {
            a.fillMode = mode;
            return this;
        }

        /**
         * Sets the constant fill value used by {@link FillMode#CONSTANT}.
         * @param value the fill value.
         * @return this builder.
         */
        public Builder cval(double value) {
            a.cval = value;
            return this;
        }

        /**
         * Validates and returns the augmentation. A builder can build once.
         * @return the augmentation.
         * @throws PropertyException if a parameter is out of range.
         */
        public Augmentation build() {
            if (built) {
                throw new IllegalStateException("This builder has already built an Augmentation");
            }
            a.postConfig();
            built = true;
            return a;
        }
    }
}
