package dev.regula.augment;

import java.io.Serializable;
import java.util.Objects;

/**
 * One concrete random transform: the values {@link ImageAugmenter#drawParams} draws for one image, or that a
 * caller passes to {@link ImageAugmenter#apply}. Immutable.
 * <p>
 * Coordinates are {@code x} = column (to the right) and {@code y} = row (downwards), centre
 * {@code c = ((w-1)/2, (h-1)/2)}. The output pixel {@code p} (after undoing the flips) reads the source at
 * <pre>
 *   src(p) = R(rotation) · ( S(shear) · Z(zoomX, zoomY) · (p - c) + (shiftX, shiftY) ) + c
 *   R(θ) = [cos θ, -sin θ; sin θ, cos θ]   S(φ) = [1, -sin φ; 0, cos φ]   Z = diag(zoomX, zoomY)
 * </pre>
 * which is Keras' {@code apply_affine_transform} inverse map. A positive shift therefore moves the content
 * towards smaller x / y, and a zoom above 1 shrinks the content (zoom out). The flips mirror the result, and
 * every output value is then multiplied by {@code brightness}.
 */
public final class AffineParams implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final AffineParams IDENTITY = new AffineParams(0, 0, 0, 0, 1, 1, false, false, 1);

    /** Rotation angle in degrees, counter-clockwise. */
    private final double rotation;
    /** Horizontal shift in pixels (positive moves the content left). */
    private final double shiftX;
    /** Vertical shift in pixels (positive moves the content up). */
    private final double shiftY;
    /** Shear angle in degrees, counter-clockwise. */
    private final double shear;
    /** Horizontal zoom factor (above 1 shrinks the content). */
    private final double zoomX;
    /** Vertical zoom factor (above 1 shrinks the content). */
    private final double zoomY;
    /** Whether the result is mirrored left to right. */
    private final boolean flipHorizontal;
    /** Whether the result is mirrored top to bottom. */
    private final boolean flipVertical;
    /** Factor every output value is multiplied by. */
    private final double brightness;

    /**
     * Creates a transform.
     * @param rotation rotation angle in degrees.
     * @param shiftX shift along x (columns) in pixels.
     * @param shiftY shift along y (rows) in pixels.
     * @param shear shear angle in degrees, in (-90, 90).
     * @param zoomX inverse-map scale along x, positive.
     * @param zoomY inverse-map scale along y, positive.
     * @param flipHorizontal whether to mirror left-right after the affine map.
     * @param flipVertical whether to mirror top-bottom after the affine map.
     * @param brightness factor applied to every output value, non-negative.
     */
    public AffineParams(double rotation, double shiftX, double shiftY, double shear, double zoomX, double zoomY,
                        boolean flipHorizontal, boolean flipVertical, double brightness) {
        if (!Double.isFinite(rotation) || !Double.isFinite(shiftX) || !Double.isFinite(shiftY)) {
            throw new IllegalArgumentException("rotation and shifts must be finite");
        }
        if (!(Math.abs(shear) < 90)) {
            throw new IllegalArgumentException("shear must be in (-90, 90) degrees, found " + shear);
        }
        if (!(zoomX > 0) || !(zoomY > 0) || Double.isInfinite(zoomX) || Double.isInfinite(zoomY)) {
            throw new IllegalArgumentException("zoom must be positive and finite, found " + zoomX + ", " + zoomY);
        }
        if (!(brightness >= 0) || Double.isInfinite(brightness)) {
            throw new IllegalArgumentException("brightness must be non-negative and finite, found " + brightness);
        }
        this.rotation = rotation;
        this.shiftX = shiftX;
        this.shiftY = shiftY;
        this.shear = shear;
        this.zoomX = zoomX;
        this.zoomY = zoomY;
        this.flipHorizontal = flipHorizontal;
        this.flipVertical = flipVertical;
        this.brightness = brightness;
    }

    /**
     * The identity transform.
     * @return a transform that leaves every image unchanged.
     */
    public static AffineParams identity() {
        return IDENTITY;
    }

    /**
     * A pure rotation.
     * @param degrees the angle in degrees.
     * @return the transform.
     */
    public static AffineParams rotation(double degrees) {
        return new AffineParams(degrees, 0, 0, 0, 1, 1, false, false, 1);
    }

    /**
     * A pure shift.
     * @param shiftX shift along x in pixels.
     * @param shiftY shift along y in pixels.
     * @return the transform.
     */
    public static AffineParams shift(double shiftX, double shiftY) {
        return new AffineParams(0, shiftX, shiftY, 0, 1, 1, false, false, 1);
    }

    /**
     * Pure flips.
     * @param horizontal mirror left-right.
     * @param vertical mirror top-bottom.
     * @return the transform.
     */
    public static AffineParams flip(boolean horizontal, boolean vertical) {
        return new AffineParams(0, 0, 0, 0, 1, 1, horizontal, vertical, 1);
    }

    /** @return the rotation angle in degrees. */
    public double getRotation() {
        return rotation;
    }

    /** @return the shift along x (columns) in pixels. */
    public double getShiftX() {
        return shiftX;
    }

    /** @return the shift along y (rows) in pixels. */
    public double getShiftY() {
        return shiftY;
    }

    /** @return the shear angle in degrees. */
    public double getShear() {
        return shear;
    }

    /** @return the inverse-map scale along x. */
    public double getZoomX() {
        return zoomX;
    }

    /** @return the inverse-map scale along y. */
    public double getZoomY() {
        return zoomY;
    }

    /** @return whether the image is mirrored left-right. */
    public boolean isFlipHorizontal() {
        return flipHorizontal;
    }

    /** @return whether the image is mirrored top-bottom. */
    public boolean isFlipVertical() {
        return flipVertical;
    }

    /** @return the brightness factor. */
    public double getBrightness() {
        return brightness;
    }

    /** @return true if this transform leaves every image unchanged. */
    public boolean isIdentity() {
        return rotation == 0 && shiftX == 0 && shiftY == 0 && shear == 0 && zoomX == 1 && zoomY == 1
                && !flipHorizontal && !flipVertical && brightness == 1;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof AffineParams)) {
            return false;
        }
        AffineParams p = (AffineParams) o;
        return Double.compare(rotation, p.rotation) == 0 && Double.compare(shiftX, p.shiftX) == 0
                && Double.compare(shiftY, p.shiftY) == 0 && Double.compare(shear, p.shear) == 0
                && Double.compare(zoomX, p.zoomX) == 0 && Double.compare(zoomY, p.zoomY) == 0
                && flipHorizontal == p.flipHorizontal && flipVertical == p.flipVertical
                && Double.compare(brightness, p.brightness) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rotation, shiftX, shiftY, shear, zoomX, zoomY, flipHorizontal, flipVertical, brightness);
    }

    @Override
    public String toString() {
        return "AffineParams(rotation=" + rotation + ", shiftX=" + shiftX + ", shiftY=" + shiftY + ", shear=" + shear
                + ", zoomX=" + zoomX + ", zoomY=" + zoomY + ", flipHorizontal=" + flipHorizontal
                + ", flipVertical=" + flipVertical + ", brightness=" + brightness + ")";
    }
}
