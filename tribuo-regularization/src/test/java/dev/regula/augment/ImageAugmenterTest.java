package dev.regula.augment;

import dev.regula.data.ImageGeometry;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exact transforms on crafted images. The reference arrays were computed with
 * {@code scipy.ndimage.affine_transform(img, M, offset, order=1, mode=...)} (SciPy 1.17) for the inverse map
 * documented in {@link AffineParams}, rewritten in (row, col) coordinates.
 */
class ImageAugmenterTest {

    /** 4 rows × 5 columns, non-square and non-symmetric so axis mix-ups show. */
    private static final float[] IMG45 = {1, 2, 4, 8, 16, 3, 5, 7, 11, 13, 0, 9, 1, 6, 2, 10, 12, 14, 15, 17};
    private static final AffineParams GENERAL = new AffineParams(25.0, 0.7, -1.3, 10.0, 1.2, 0.8, false, false, 1.0);

    private static ImageAugmenter augmenter(int w, int h, int c, FillMode mode, double cval) {
        return Augmentation.builder().fillMode(mode).cval(cval).build().newAugmenter(ImageGeometry.of(w, h, c));
    }

    private static float[] run(ImageAugmenter aug, AffineParams p, float[] src) {
        float[] dst = new float[src.length];
        aug.apply(p, src, 0, dst, 0);
        return dst;
    }

    @Test
    void generalTransformMatchesScipyInEveryFillMode() {
        float[] constant = {-2.5f, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f, 11.4569289f, -2.5f, -2.5f, -2.5f, 5.04809324f, 10.6534349f, -2.5f, -2.5f, 2.68090531f, 5.80847753f, 5.67604048f, 5.01442267f, -2.5f};
        float[] nearest = {3.39394445f, 7.13816628f, 14.9768873f, 15.5746236f, 14.0531979f, 2.47622215f, 5.30272169f, 11.4569289f, 13.6086587f, 9.65318762f, 1.77924993f, 5.04809324f, 10.6534349f, 8.02321069f, 2.44464963f, 2.68090531f, 5.80847753f, 5.67604048f, 5.01442267f, 11.2234841f};
        float[] reflect = {4.53284532f, 7.13816628f, 14.9768873f, 15.5746236f, 9.75780369f, 2.47622215f, 5.30272169f, 11.4569289f, 13.6086587f, 9.55053386f, 1.77924993f, 5.04809324f, 10.6534349f, 8.02321069f, 2.9313438f, 2.68090531f, 5.80847753f, 5.67604048f, 5.01442267f, 11.2234841f};
        float[] wrap = {4.55162861f, 6.18017343f, 11.5443204f, 2.3793396f, 6.13580052f, 8.57861913f, 11.7853817f, 11.4569289f, 3.49425643f, 5.60359435f, 11.2449214f, 5.04809324f, 10.6534349f, 1.85949261f, 7.85444921f, 2.68090531f, 5.80847753f, 5.67604048f, 5.01442267f, 9.29824145f};
        float[] gridWrap = {9.60910269f, 13.8095653f, 15.6225826f, 1.85979525f, 4.04130131f, 9.71934201f, 7.26223828f, 11.4569289f, 8.09242109f, 4.51715356f, 2.45392381f, 5.04809324f, 10.6534349f, 7.75549721f, 1.25036293f, 2.68090531f, 5.80847753f, 5.67604048f, 5.01442267f, 7.82019226f};
        assertArrayEquals(constant, run(augmenter(5, 4, 1, FillMode.CONSTANT, -2.5), GENERAL, IMG45), 1e-4f);
        assertArrayEquals(nearest, run(augmenter(5, 4, 1, FillMode.NEAREST, 0), GENERAL, IMG45), 1e-4f);
        assertArrayEquals(reflect, run(augmenter(5, 4, 1, FillMode.REFLECT, 0), GENERAL, IMG45), 1e-4f);
        assertArrayEquals(wrap, run(augmenter(5, 4, 1, FillMode.WRAP, 0), GENERAL, IMG45), 1e-4f);
        assertArrayEquals(gridWrap, run(augmenter(5, 4, 1, FillMode.GRID_WRAP, 0), GENERAL, IMG45), 1e-4f);
    }

    @Test
    void farShiftsWrapAroundLikeScipy() {
        AffineParams far = AffineParams.shift(7.25, -9.5);
        assertArrayEquals(new float[]{5f, 3.125f, 2f, 2.375f, 4f, 3.5f, 1.75f, 1f, 1.25f, 2.5f, 5f, 3.125f, 2f, 2.375f, 4f, 4.75f, 5.625f, 1.5f, 2.875f, 6.25f},
                run(augmenter(5, 4, 1, FillMode.REFLECT, 0), far, IMG45), 1e-5f);
        assertArrayEquals(new float[]{10.25f, 6.375f, 9.75f, 8.25f, 10.25f, 10.75f, 2.375f, 4f, 6.5f, 10.75f, 8.25f, 2.875f, 6.25f, 5.125f, 8.25f, 10.25f, 6.375f, 9.75f, 8.25f, 10.25f},
                run(augmenter(5, 4, 1, FillMode.WRAP, 0), far, IMG45), 1e-5f);
        assertArrayEquals(new float[]{8.25f, 10.25f, 8.375f, 6.375f, 9.75f, 9.625f, 12.75f, 13.75f, 5.875f, 7.5f, 6.5f, 10.75f, 11.375f, 2.375f, 4f, 5.125f, 8.25f, 6f, 2.875f, 6.25f},
                run(augmenter(5, 4, 1, FillMode.GRID_WRAP, 0), far, IMG45), 1e-5f);
    }

    @Test
    void matchesKerasApplyAffineTransformOnSquareImage() {
        // keras apply_affine_transform(x, theta=33, tx=0.6, ty=-0.4, shear=12, zx=0.9, zy=1.15, fill_mode='nearest')
        float[] img = {0f, 1f, 2.82842712f, 5.19615242f, 8f, 11.1803399f, 14.6969385f, 18.5202592f, 22.627417f, 27f, 31.6227766f, 36.4828727f, 41.5692194f, 46.8721666f, 52.3832034f, 58.0947502f, 64f, 70.0927956f, 76.3675324f, 82.8190799f, 89.4427191f, 96.2340896f, 103.189147f, 110.304125f, 117.575508f};
        float[] expected = {4.81209916f, 6.85771261f, 14.9344223f, 24.2477498f, 35.7653243f, 5.99892198f, 16.4020827f, 29.3907488f, 43.9640397f, 57.2070664f, 15.7471928f, 29.9206371f, 45.1852876f, 63.9118823f, 81.9566933f, 29.8692919f, 45.9589118f, 63.9729828f, 84.1673407f, 105.964369f, 48.4936441f, 64.136812f, 84.5372387f, 102.142521f, 107.488866f};
        AffineParams p = new AffineParams(33.0, 0.6, -0.4, 12.0, 0.9, 1.15, false, false, 1.0);
        assertArrayEquals(expected, run(augmenter(5, 5, 1, FillMode.NEAREST, 0), p, img), 1e-4f);
    }

    @Test
    void borderOfOneRowImageByHand() {
        // Row a b c d = 1 2 4 8, shiftX = -1.5: output x reads source x - 1.5 = -1.5, -0.5, 0.5, 1.5.
        float[] row = {1, 2, 4, 8};
        AffineParams p = AffineParams.shift(-1.5, 0);
        assertArrayEquals(new float[]{-10, -10, 1.5f, 3}, run(augmenter(4, 1, 1, FillMode.CONSTANT, -10), p, row));
        assertArrayEquals(new float[]{1, 1, 1.5f, 3}, run(augmenter(4, 1, 1, FillMode.NEAREST, 0), p, row));
        // reflect: ... b a | a b c d  → -1.5 is between b and a, -0.5 between a and a.
        assertArrayEquals(new float[]{1.5f, 1, 1.5f, 3}, run(augmenter(4, 1, 1, FillMode.REFLECT, 0), p, row));
        // scipy wrap: coordinate mod 3 → 1.5 (between b, c) and 2.5 (between c, d).
        assertArrayEquals(new float[]{3, 6, 1.5f, 3}, run(augmenter(4, 1, 1, FillMode.WRAP, 0), p, row));
        // periodic: ... c d | a b c d → -1.5 between c and d, -0.5 between d and a.
        assertArrayEquals(new float[]{6, 4.5f, 1.5f, 3}, run(augmenter(4, 1, 1, FillMode.GRID_WRAP, 0), p, row));
    }

    @Test
    void flipsArePermutations() {
        ImageAugmenter aug = augmenter(5, 4, 1, FillMode.CONSTANT, -1);
        float[] h = run(aug, AffineParams.flip(true, false), IMG45);
        float[] v = run(aug, AffineParams.flip(false, true), IMG45);
        float[] hv = run(aug, AffineParams.flip(true, true), IMG45);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(IMG45[y * 5 + (4 - x)], h[y * 5 + x]);
                assertEquals(IMG45[(3 - y) * 5 + x], v[y * 5 + x]);
                assertEquals(IMG45[(3 - y) * 5 + (4 - x)], hv[y * 5 + x]);
            }
        }
    }

    @Test
    void rotationBy90IsAnIndexPermutation() {
        // Square, non-symmetric 4×4 image; with the inverse map src = R(90°)(p - c) + c the output at
        // (x, y) reads the source at (x', y') = (c - (y - c), c + (x - c)) = (3 - y, x).
        float[] img = new float[16];
        for (int i = 0; i < 16; i++) {
            img[i] = i * i + 0.5f;
        }
        for (FillMode mode : FillMode.values()) {
            float[] out = run(augmenter(4, 4, 1, mode, -7), AffineParams.rotation(90), img);
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    assertEquals(img[x * 4 + (3 - y)], out[y * 4 + x], mode + " at " + x + "," + y);
                }
            }
            float[] back = run(augmenter(4, 4, 1, mode, -7), AffineParams.rotation(-90), out);
            assertArrayEquals(img, back, mode.toString());
        }
    }

    @Test
    void integerShiftMovesContent() {
        ImageAugmenter aug = augmenter(5, 4, 1, FillMode.CONSTANT, -1);
        float[] out = run(aug, AffineParams.shift(2, -1), IMG45);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                int sx = x + 2;
                int sy = y - 1;
                float expected = (sx < 5 && sy >= 0) ? IMG45[sy * 5 + sx] : -1f;
                assertEquals(expected, out[y * 5 + x], "at " + x + "," + y);
            }
        }
    }

    @Test
    void identityAndUnitZoomReproduceInputExactly() {
        float[] img = new float[28 * 28];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) r.nextDouble();
        }
        ImageAugmenter aug = augmenter(28, 28, 1, FillMode.REFLECT, 0);
        assertArrayEquals(img, run(aug, AffineParams.identity(), img));
        assertArrayEquals(img, run(aug, new AffineParams(0, 0, 0, 0, 1.0, 1.0, false, false, 1.0), img));
        // An identity spec also copies exactly through augment().
        ImageAugmenter none = Augmentation.none().newAugmenter(ImageGeometry.of(28, 28, 1));
        float[] dst = new float[img.length + 3];
        none.augment(img, 0, dst, 3, new SplittableRandom(5));
        for (int i = 0; i < img.length; i++) {
            assertEquals(img[i], dst[i + 3]);
        }
    }

    @Test
    void zoomOutShrinksContent() {
        // zoom 2 reads the source at 2·(p - c) + c: the centre pixel stays, neighbours come from twice as far.
        float[] img = new float[25];
        for (int i = 0; i < 25; i++) {
            img[i] = i;
        }
        float[] out = run(augmenter(5, 5, 1, FillMode.CONSTANT, -1), new AffineParams(0, 0, 0, 0, 2, 2, false, false, 1), img);
        assertEquals(12f, out[12]);
        assertEquals(img[2 * 5 + 4], out[2 * 5 + 3]);
        assertEquals(img[0], out[5 + 1]);
        assertEquals(-1f, out[0]);
    }

    @Test
    void brightnessMultipliesAfterGeometry() {
        ImageAugmenter aug = augmenter(5, 4, 1, FillMode.CONSTANT, 2);
        float[] plain = run(aug, AffineParams.shift(1, 0), IMG45);
        float[] bright = run(aug, new AffineParams(0, 1, 0, 0, 1, 1, false, false, 1.5), IMG45);
        for (int i = 0; i < plain.length; i++) {
            assertEquals(plain[i] * 1.5f, bright[i], 1e-6f);
        }
    }

    @Test
    void channelsAreTransformedIdentically() {
        int w = 7;
        int h = 6;
        SplittableRandom r = new SplittableRandom(9);
        float[][] gray = new float[3][w * h];
        float[] rgb = new float[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            for (int c = 0; c < 3; c++) {
                gray[c][i] = (float) r.nextDouble();
                rgb[i * 3 + c] = gray[c][i];
            }
        }
        for (FillMode mode : FillMode.values()) {
            AffineParams p = new AffineParams(-17, 1.2, 0.4, 5, 1.1, 0.95, true, false, 0.8);
            float[] outRgb = run(augmenter(w, h, 3, mode, 0.25), p, rgb);
            for (int c = 0; c < 3; c++) {
                float[] outGray = run(augmenter(w, h, 1, mode, 0.25), p, gray[c]);
                for (int i = 0; i < w * h; i++) {
                    assertEquals(outGray[i], outRgb[i * 3 + c], mode + " channel " + c);
                }
            }
        }
    }

    @Test
    void offsetsAndAliasing() {
        ImageAugmenter aug = augmenter(5, 4, 1, FillMode.NEAREST, 0);
        float[] src = new float[40];
        System.arraycopy(IMG45, 0, src, 7, 20);
        float[] dst = new float[30];
        aug.apply(GENERAL, src, 7, dst, 10);
        float[] direct = run(aug, GENERAL, IMG45);
        for (int i = 0; i < 20; i++) {
            assertEquals(direct[i], dst[10 + i]);
        }
        assertThrows(IllegalArgumentException.class, () -> aug.apply(GENERAL, src, 0, src, 5));
    }

    @Test
    void drawnParametersFollowTheirDistributions() {
        Augmentation spec = Augmentation.builder().rotationRange(30).widthShiftRange(0.1).heightShiftRange(3)
                .shearRange(8).zoomRange(0.2).horizontalFlip(true).brightnessRange(0.5, 1.5).build();
        ImageAugmenter aug = spec.newAugmenter(ImageGeometry.of(28, 20, 1));
        SplittableRandom rng = new SplittableRandom(2024);
        int draws = 20000;
        int bins = 10;
        int[] counts = new int[bins];
        int flips = 0;
        double minZoom = Double.MAX_VALUE;
        double maxZoom = -Double.MAX_VALUE;
        double zoomCorrelation = 0;
        for (int i = 0; i < draws; i++) {
            AffineParams p = aug.drawParams(rng);
            assertTrue(Math.abs(p.getRotation()) <= 30);
            counts[(int) Math.min(bins - 1, (p.getRotation() + 30) / 60 * bins)]++;
            assertTrue(Math.abs(p.getShiftX()) <= 0.1 * 28, "width shift is a fraction of the width");
            assertTrue(Math.abs(p.getShiftY()) <= 3, "height shift >= 1 is in pixels");
            assertTrue(Math.abs(p.getShear()) <= 8);
            assertTrue(p.getZoomX() >= 0.8 && p.getZoomX() <= 1.2 && p.getZoomY() >= 0.8 && p.getZoomY() <= 1.2);
            minZoom = Math.min(minZoom, p.getZoomX());
            maxZoom = Math.max(maxZoom, p.getZoomX());
            zoomCorrelation += (p.getZoomX() - 1) * (p.getZoomY() - 1);
            assertTrue(p.getBrightness() >= 0.5 && p.getBrightness() <= 1.5);
            assertTrue(!p.isFlipVertical());
            flips += p.isFlipHorizontal() ? 1 : 0;
        }
        // Pearson chi-square against the uniform distribution, 9 degrees of freedom: 99.9% quantile is 27.88.
        double expected = (double) draws / bins;
        double chi2 = 0;
        for (int c : counts) {
            chi2 += (c - expected) * (c - expected) / expected;
        }
        assertTrue(chi2 < 27.88, "rotation angles not uniform, chi2 = " + chi2);
        // Flips: Binomial(20000, 1/2) has sd 70.7; allow 5 sd.
        assertTrue(Math.abs(flips - draws / 2.0) < 5 * 70.7, "flip count " + flips);
        assertTrue(minZoom < 0.81 && maxZoom > 1.19, "zoom covers its range");
        // zx and zy are independent: sample covariance near 0 (var of U(-.2,.2) is .0133).
        assertTrue(Math.abs(zoomCorrelation / draws) < 0.0133 * 0.05, "zoomX and zoomY look correlated");
    }

    @Test
    void sameSeedSameImages() {
        Augmentation spec = Augmentation.builder().rotationRange(20).zoomRange(0.1).widthShiftRange(0.1).build();
        ImageAugmenter a = spec.newAugmenter(ImageGeometry.of(5, 4, 1));
        ImageAugmenter b = spec.newAugmenter(ImageGeometry.of(5, 4, 1));
        float[] da = new float[20];
        float[] db = new float[20];
        a.augment(IMG45, 0, da, 0, new SplittableRandom(77));
        b.augment(IMG45, 0, db, 0, new SplittableRandom(77));
        assertArrayEquals(da, db);
        b.augment(IMG45, 0, db, 0, new SplittableRandom(78));
        assertNotEquals(da[0] + da[7] + da[19], db[0] + db[7] + db[19]);
    }
}
