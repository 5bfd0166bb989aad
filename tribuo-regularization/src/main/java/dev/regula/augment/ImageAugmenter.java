package dev.regula.augment;

import dev.regula.data.ImageGeometry;

import java.util.SplittableRandom;

/**
 * Draws random transforms within {@link TransformRanges} and applies them to flat images laid out as in
 * {@link ImageGeometry} ({@code (y * width + x) * channels + c}). A pure kernel: it reads only those plain values,
 * never the configurable {@link Augmentation} that builds them.
 * <p>
 * The affine part is an inverse map with bilinear interpolation (Keras' {@code interpolation_order=1}); the
 * border follows the {@link FillMode}. Every channel is transformed identically. The flips are folded into
 * the affine coefficients, and brightness multiplies the interpolated value, so one pass over the output
 * pixels does everything; the identity is a plain copy.
 * <p>
 * Not thread-safe: it owns scratch state. Create one per thread with {@link Augmentation#newAugmenter}.
 */
public final class ImageAugmenter {
    /** Matrix coefficients this close to zero are snapped to zero so that 90° rotations are exact. */
    private static final double SNAP = 1e-12;

    private final TransformRanges spec;
    private final ImageGeometry geometry;
    private final int width;
    private final int height;
    private final int channels;
    private final FillMode fillMode;
    private final float cval;

    // Drawn parameters of the current image (scratch, to avoid allocating per call).
    private double pRotation;
    private double pShiftX;
    private double pShiftY;
    private double pShear;
    private double pZoomX;
    private double pZoomY;
    private boolean pFlipH;
    private boolean pFlipV;
    private double pBrightness;

    /**
     * Creates an augmenter; {@link Augmentation#newAugmenter} is the public entry point, which validates the ranges.
     * @param spec the validated ranges to draw from.
     * @param geometry the image geometry.
     */
    ImageAugmenter(TransformRanges spec, ImageGeometry geometry) {
        this.spec = spec;
        this.geometry = geometry;
        this.width = geometry.getWidth();
        this.height = geometry.getHeight();
        this.channels = geometry.getChannels();
        this.fillMode = spec.fillMode();
        this.cval = (float) spec.cval();
    }

    /** @return the transform ranges this augmenter draws from. */
    public TransformRanges getRanges() {
        return spec;
    }

    /** @return the image geometry. */
    public ImageGeometry getGeometry() {
        return geometry;
    }

    /**
     * Draws one random transform from {@code rng} and writes the transformed image. Does not allocate.
     * @param src source array.
     * @param srcOffset start of the source image in {@code src}.
     * @param dst destination array (must not alias the source image).
     * @param dstOffset start of the destination image in {@code dst}.
     * @param rng the random stream; exactly the draws listed in {@link Augmentation} are consumed.
     */
    public void augment(float[] src, int srcOffset, float[] dst, int dstOffset, SplittableRandom rng) {
        draw(rng);
        transform(src, srcOffset, dst, dstOffset);
    }

    /**
     * Applies an explicit transform (for tests and previews).
     * @param params the transform.
     * @param src source array.
     * @param srcOffset start of the source image in {@code src}.
     * @param dst destination array (must not alias the source image).
     * @param dstOffset start of the destination image in {@code dst}.
     */
    public void apply(AffineParams params, float[] src, int srcOffset, float[] dst, int dstOffset) {
        pRotation = params.getRotation();
        pShiftX = params.getShiftX();
        pShiftY = params.getShiftY();
        pShear = params.getShear();
        pZoomX = params.getZoomX();
        pZoomY = params.getZoomY();
        pFlipH = params.isFlipHorizontal();
        pFlipV = params.isFlipVertical();
        pBrightness = params.getBrightness();
        transform(src, srcOffset, dst, dstOffset);
    }

    /**
     * Draws one random transform, consuming the same random numbers as {@link #augment}.
     * @param rng the random stream.
     * @return the drawn transform.
     */
    public AffineParams drawParams(SplittableRandom rng) {
        draw(rng);
        return new AffineParams(pRotation, pShiftX, pShiftY, pShear, pZoomX, pZoomY, pFlipH, pFlipV, pBrightness);
    }

    private static double uniform(SplittableRandom rng, double low, double high) {
        return low + (high - low) * rng.nextDouble();
    }

    private void draw(SplittableRandom rng) {
        double r = spec.rotationRange();
        pRotation = r > 0 ? uniform(rng, -r, r) : 0.0;
        double hs = spec.heightShiftRange();
        pShiftY = hs > 0 ? uniform(rng, -hs, hs) * (hs < 1 ? height : 1) : 0.0;
        double ws = spec.widthShiftRange();
        pShiftX = ws > 0 ? uniform(rng, -ws, ws) * (ws < 1 ? width : 1) : 0.0;
        double s = spec.shearRange();
        pShear = s > 0 ? uniform(rng, -s, s) : 0.0;
        double zl = spec.zoomRangeLow();
        double zh = spec.zoomRangeHigh();
        if (zl == 1 && zh == 1) {
            pZoomX = 1;
            pZoomY = 1;
        } else {
            pZoomX = uniform(rng, zl, zh);
            pZoomY = uniform(rng, zl, zh);
        }
        pFlipH = spec.horizontalFlip() && rng.nextDouble() < 0.5;
        pFlipV = spec.verticalFlip() && rng.nextDouble() < 0.5;
        double bl = spec.brightnessLow();
        double bh = spec.brightnessHigh();
        pBrightness = (bl == 1 && bh == 1) ? 1.0 : uniform(rng, bl, bh);
    }

    private static double snap(double v) {
        return Math.abs(v) < SNAP ? 0.0 : v;
    }

    /** Applies the parameters held in the p* fields. */
    private void transform(float[] src, int so, float[] dst, int dOff) {
        int size = width * height * channels;
        if (src == dst && so < dOff + size && dOff < so + size) {
            throw new IllegalArgumentException("Source and destination images overlap");
        }
        float bright = (float) pBrightness;
        double th = Math.toRadians(pRotation);
        double cos = snap(Math.cos(th));
        double sin = snap(Math.sin(th));
        double sh = Math.toRadians(pShear);
        double shS = snap(Math.sin(sh));
        double shC = snap(Math.cos(sh));
        // M = R · S · Z (2x2, acting on (x, y)); translation R · t.
        double m00 = (cos * 1 + -sin * 0) * pZoomX;
        double m01 = (cos * -shS + -sin * shC) * pZoomY;
        double m10 = (sin * 1 + cos * 0) * pZoomX;
        double m11 = (sin * -shS + cos * shC) * pZoomY;
        double tx = cos * pShiftX - sin * pShiftY;
        double ty = sin * pShiftX + cos * pShiftY;
        boolean linearIdentity = m00 == 1 && m01 == 0 && m10 == 0 && m11 == 1 && tx == 0 && ty == 0;
        if (linearIdentity && !pFlipH && !pFlipV) {
            if (bright == 1f) {
                System.arraycopy(src, so, dst, dOff, size);
            } else {
                for (int i = 0; i < size; i++) {
                    dst[dOff + i] = src[so + i] * bright;
                }
            }
            return;
        }
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        // Output pixel (x, y) comes from affine-output point q = (fx(x), fy(y)), fx(x) = dx·x + ox (flip).
        double dx = pFlipH ? -1 : 1;
        double ox = pFlipH ? width - 1 : 0;
        double dy = pFlipV ? -1 : 1;
        double oy = pFlipV ? height - 1 : 0;
        // src = M · (q - c) + R t + c, q = D · (x, y) + o.
        double a00 = m00 * dx;
        double a01 = m01 * dy;
        double a10 = m10 * dx;
        double a11 = m11 * dy;
        double b0 = m00 * (ox - cx) + m01 * (oy - cy) + tx + cx;
        double b1 = m10 * (ox - cx) + m11 * (oy - cy) + ty + cy;
        int w = width;
        int h = height;
        int ch = channels;
        int rowStride = w * ch;
        for (int y = 0; y < h; y++) {
            double sx = a01 * y + b0;
            double sy = a11 * y + b1;
            int outBase = dOff + y * rowStride;
            for (int x = 0; x < w; x++, sx += a00, sy += a10) {
                int x0 = floor(sx);
                int y0 = floor(sy);
                int out = outBase + x * ch;
                if (x0 >= 0 && x0 < w - 1 && y0 >= 0 && y0 < h - 1) {
                    float fx = (float) (sx - x0);
                    float fy = (float) (sy - y0);
                    int i00 = so + (y0 * w + x0) * ch;
                    int i10 = i00 + rowStride;
                    for (int c = 0; c < ch; c++) {
                        float v00 = src[i00 + c];
                        float v01 = src[i00 + ch + c];
                        float v10 = src[i10 + c];
                        float v11 = src[i10 + ch + c];
                        float top = v00 + fx * (v01 - v00);
                        float bottom = v10 + fx * (v11 - v10);
                        dst[out + c] = (top + fy * (bottom - top)) * bright;
                    }
                } else {
                    border(src, so, dst, out, sx, sy, bright);
                }
            }
        }
    }

    /** Floor for coordinates well inside the int range (faster than Math.floor plus a cast). */
    private static int floor(double v) {
        int i = (int) v;
        return v < i ? i - 1 : i;
    }

    /** The slow path: at least one of the four neighbours is outside the image. */
    private void border(float[] src, int so, float[] dst, int out, double sx, double sy, float bright) {
        int w = width;
        int h = height;
        int ch = channels;
        int xa;
        int xb;
        int ya;
        int yb;
        float fx;
        float fy;
        switch (fillMode) {
            case CONSTANT: {
                if (!(sx >= 0 && sx <= w - 1 && sy >= 0 && sy <= h - 1)) {
                    for (int c = 0; c < ch; c++) {
                        dst[out + c] = cval * bright;
                    }
                    return;
                }
                xa = (int) Math.floor(sx);
                ya = (int) Math.floor(sy);
                fx = (float) (sx - xa);
                fy = (float) (sy - ya);
                xb = Math.min(xa + 1, w - 1);
                yb = Math.min(ya + 1, h - 1);
                break;
            }
            case WRAP: {
                double wx = wrapCoordinate(sx, w);
                double wy = wrapCoordinate(sy, h);
                xa = (int) Math.floor(wx);
                ya = (int) Math.floor(wy);
                fx = (float) (wx - xa);
                fy = (float) (wy - ya);
                xb = Math.min(xa + 1, w - 1);
                yb = Math.min(ya + 1, h - 1);
                break;
            }
            default: {
                double rx = reduce(sx, w);
                double ry = reduce(sy, h);
                int x0 = (int) Math.floor(rx);
                int y0 = (int) Math.floor(ry);
                fx = (float) (rx - x0);
                fy = (float) (ry - y0);
                xa = mapIndex(x0, w);
                xb = mapIndex(x0 + 1, w);
                ya = mapIndex(y0, h);
                yb = mapIndex(y0 + 1, h);
                break;
            }
        }
        int r0 = so + ya * w * ch;
        int r1 = so + yb * w * ch;
        for (int c = 0; c < ch; c++) {
            float v00 = src[r0 + xa * ch + c];
            float v01 = src[r0 + xb * ch + c];
            float v10 = src[r1 + xa * ch + c];
            float v11 = src[r1 + xb * ch + c];
            float top = v00 + fx * (v01 - v00);
            float bottom = v10 + fx * (v11 - v10);
            dst[out + c] = (top + fy * (bottom - top)) * bright;
        }
    }

    /**
     * scipy's legacy 'wrap': the coordinate is reduced into [0, n-1] with period n-1. For coordinates so far out
     * that the reduction itself rounds (|v| beyond about 2^40 for small images) the remainder can land a rounding
     * error outside the range; it is clamped back, so the sample is always a pixel of the image.
     */
    static double wrapCoordinate(double v, int n) {
        if (n == 1) {
            return 0.0;
        }
        if (v >= 0 && v <= n - 1) {
            return v;
        }
        int period = n - 1;
        double r = v - period * Math.floor(v / period);
        // r in [0, period); scipy maps exact negative multiples of the period to the far edge n-1.
        if (r == 0 && v < 0) {
            return period;
        }
        return Math.min(Math.max(r, 0.0), period);
    }

    /**
     * Brings a coordinate far outside the image back into int range without changing the sample it selects, so
     * that the integer cast in {@link #border} cannot saturate (which made the interpolation weight huge).
     * Coordinates within ±2^30 are returned unchanged.
     */
    private double reduce(double v, int n) {
        if (Math.abs(v) < (1 << 30)) {
            return v;
        }
        switch (fillMode) {
            case NEAREST:
                return v < 0 ? -1 : n;
            case REFLECT:
                return v - 2.0 * n * Math.floor(v / (2.0 * n));
            case GRID_WRAP:
                return v - (double) n * Math.floor(v / n);
            default:
                throw new IllegalStateException("Unexpected fill mode " + fillMode);
        }
    }

    /** Maps an integer index outside [0, n) for NEAREST, REFLECT and GRID_WRAP. */
    private int mapIndex(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        switch (fillMode) {
            case NEAREST:
                return i < 0 ? 0 : n - 1;
            case REFLECT: {
                int period = 2 * n;
                int m = Math.floorMod(i, period);
                return m < n ? m : period - 1 - m;
            }
            case GRID_WRAP:
                return Math.floorMod(i, n);
            default:
                throw new IllegalStateException("Unexpected fill mode " + fillMode);
        }
    }
}
