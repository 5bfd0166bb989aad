package dev.regula.augment;

import dev.regula.data.ImageGeometry;
import dev.regula.mlp.MLPTrainer;
import dev.regula.nn.Backends;
import dev.regula.nn.Blas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.regula.testing.ErrorAssertions.failsClearly;
import static dev.regula.testing.ErrorAssertions.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Limits of augmentation and standardization that the "bad input" audit found unchecked: ZCA on more features than
 * a d×d Java array can hold, factors that overflow or vanish in float32, and shift/zoom ranges so large that the
 * bilinear sampler extrapolated garbage. None of these tests allocates a d×d matrix.
 */
class AugmentationLimitsTest {
    private static final Blas BLAS = Backends.get(1);
    private static final String FLOAT_MIN = String.valueOf(Float.MIN_NORMAL);

    /** 4 rows × 5 columns, values in [0, 17], non-symmetric. */
    private static final float[] IMG = {1, 2, 4, 8, 16, 3, 5, 7, 11, 13, 0, 9, 1, 6, 2, 10, 12, 14, 15, 17};

    @BeforeAll
    static void quiet() {
        Logger.getLogger(MLPTrainer.class.getName()).setLevel(Level.WARNING);
    }

    private static Standardization zca() {
        return Standardization.builder().zcaWhitening(true).build();
    }

    // ---- fix-1: ZCA on d >= 46,341 features is a clear error, not int overflow (NegativeArraySizeException, SIGSEGV) ----

    @Test
    void zcaOnMoreFeaturesThanAnArrayHoldsNamesTheLimit() {
        int d = 46_341; // d² = 2,147,488,281 > Integer.MAX_VALUE
        float[] x = new float[d];
        for (int j = 0; j < d; j++) {
            x[j] = j % 7;
        }
        failsClearly(() -> zca().fit(x, 1, d, BLAS), "d = 46341", "2147488281 entries", "largest supported d: 46340",
                "featurewise");
        // 256x256 gray images (d² = 2^32 wraps to 0; before the fix OpenBLAS wrote into a 0-length buffer)
        failsClearly(() -> zca().fit(new float[65_536], 1, 65_536, BLAS), "d = 65536", "4294967296 entries", "46340");
        // the suggested alternative works on the same data
        assertEquals(d, Standardization.builder().featurewiseStdNormalization(true).build().fit(x, 1, d, BLAS).getDimension());
        // the public helper has the same guard
        failsClearly(() -> Standardization.zcaMatrix(new double[1], d, 1e-6, BLAS), "46340", "d=46341");
    }

    @Test
    void trainerWithZcaOnHugeImagesFailsWithTheLimit() {
        int d = 46_341;
        String[] names = new String[d];
        for (int j = 0; j < d; j++) {
            names[j] = String.format("%05d", j);
        }
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("wide", factory), factory);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 2; i++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                v[j] = 0.1 + r.nextDouble();
            }
            data.add(new ArrayExample<>(new Label(i == 0 ? "a" : "b"), names.clone(), v));
        }
        MLPTrainer t = MLPTrainer.builder().standardization(zca()).epochs(1).seed(1).numThreads(1).build();
        failsClearly(() -> t.train(data), "zcaWhitening", "d = 46341", "largest supported d: 46340");
    }

    @Test
    void zcaMatricesLargerThanTheHeapAreAClearError() {
        long heap = Runtime.getRuntime().maxMemory();
        int d = (int) Math.ceil(Math.sqrt(heap / 8.0)) + 1; // even one d×d double matrix exceeds the heap
        assumeTrue(d <= 46_340, "heap of " + heap + " bytes is too large for this check");
        // Without the check the covariance allocation fails with OutOfMemoryError, which assertThrows would rethrow
        // (aborting the whole run); catch it here so that a regression is reported as this test's failure.
        Throwable thrown = null;
        try {
            zca().fit(new float[d], 1, d, BLAS);
        } catch (Throwable t) {
            thrown = t;
        }
        assertInstanceOf(IllegalArgumentException.class, thrown, "expected a clear error, found " + thrown);
        for (String f : new String[]{"zcaWhitening", "d = " + d, "MiB", "-Xmx"}) {
            assertTrue(thrown.getMessage().contains(f), "message '" + thrown.getMessage() + "' should contain '" + f + "'");
        }
    }

    // ---- brightness and cval: bounded so that transformed pixels summed by a layer stay finite in float32 ----

    @Test
    void brightnessAndCvalBeyondTheRangeCapAreRejected() {
        // 1e38 fits in float32 but multiplies pixels that a layer then sums: the model's weights became NaN
        rejects("brightnessHigh", () -> Augmentation.builder().brightnessRange(1, 1e38).build(), "1.0E38", "<= 1000000.0");
        rejects("brightnessHigh", () -> Augmentation.builder().brightnessRange(1, 1e300).build(), "1.0E300", "<= 1000000.0");
        rejects("cval", () -> Augmentation.builder().cval(1e38).build(), "1.0E38", "[-1000000.0, 1000000.0]");
        rejects("cval", () -> Augmentation.builder().cval(-1e300).build(), "-1.0E300", "[-1000000.0, 1000000.0]");
        // usual values and the bounds themselves are accepted
        Augmentation.builder().brightnessRange(0.5, 1.5).fillMode(FillMode.CONSTANT).cval(-1).build();
        Augmentation.builder().cval(255).build();
        Augmentation.builder().cval(-1e6).brightnessRange(0, 1e6).build();
    }

    @Test
    void zcaEpsilonThatVanishesInFloat32IsRejected() {
        rejects("zcaEpsilon", () -> Standardization.builder().zcaWhitening(true).zcaEpsilon(1e-300).build(), "1.0E-300",
                FLOAT_MIN, "float32");
        rejects("zcaEpsilon", () -> Standardization.builder().zcaEpsilon(1e-40).build(), "1.0E-40", FLOAT_MIN);
        // Keras' default, the study's values and the bound are accepted
        Standardization.builder().zcaWhitening(true).zcaEpsilon(1e-6).build();
        Standardization.builder().zcaWhitening(true).zcaEpsilon(0.1).build();
        Standardization.builder().zcaWhitening(true).zcaEpsilon(Float.MIN_NORMAL).build();
    }

    // ---- fix-8: huge shift/zoom ranges are rejected, and far-away coordinates never extrapolate ----

    @Test
    void hugeShiftAndZoomRangesAreRejected() {
        rejects("widthShiftRange", () -> Augmentation.builder().widthShiftRange(1e9).build(), "1.0E9", "<= 1000000.0");
        rejects("heightShiftRange", () -> Augmentation.builder().heightShiftRange(1e12).build(), "1.0E12", "<= 1000000.0");
        rejects("zoomRangeHigh", () -> Augmentation.builder().zoomRange(0.5, 1e9).build(), "1.0E9", "<= 1000000.0");
        // the largest accepted ranges sample inside the image's value range (or cval) in every fill mode
        SplittableRandom rng = new SplittableRandom(5);
        for (FillMode mode : FillMode.values()) {
            ImageAugmenter aug = Augmentation.builder().widthShiftRange(1e6).heightShiftRange(1e6).zoomRange(1e-3, 1e6)
                    .rotationRange(30).fillMode(mode).cval(-1).build().newAugmenter(ImageGeometry.of(5, 4, 1));
            float[] out = new float[IMG.length];
            for (int i = 0; i < 200; i++) {
                aug.augment(IMG, 0, out, 0, rng);
                assertInRange(out, -1, 17, mode + " draw " + i);
            }
        }
    }

    private static float[] apply(FillMode mode, AffineParams p) {
        float[] out = new float[IMG.length];
        Augmentation.builder().fillMode(mode).build().newAugmenter(ImageGeometry.of(5, 4, 1)).apply(p, IMG, 0, out, 0);
        return out;
    }

    private static void assertInRange(float[] values, float low, float high, String what) {
        for (int i = 0; i < values.length; i++) {
            assertTrue(values[i] >= low && values[i] <= high, what + ": value " + values[i] + " at " + i
                    + " is outside [" + low + ", " + high + "]");
        }
    }

    @Test
    void farOutsideCoordinatesSampleTheImageInsteadOfExtrapolating() {
        // The audit's case: shiftX = ±1e12 gave values around ±1e11 in REFLECT and GRID_WRAP.
        AffineParams[] far = {AffineParams.shift(1e12, 0), AffineParams.shift(-1e12, 0), AffineParams.shift(0, 1e12),
                AffineParams.shift(0, -1e12), AffineParams.shift(123456789012.37, -98765432109.5),
                new AffineParams(0, 0, 0, 0, 1e9, 1e12, false, false, 1)};
        for (FillMode mode : new FillMode[]{FillMode.NEAREST, FillMode.REFLECT, FillMode.GRID_WRAP}) {
            for (AffineParams p : far) {
                assertInRange(apply(mode, p), 0, 17, mode + " " + p);
            }
        }
        // Whole periods are the identity: GRID_WRAP repeats every 5 columns and 4 rows, REFLECT every 10 and 8.
        assertArrayEquals(IMG, apply(FillMode.GRID_WRAP, AffineParams.shift(5 * 0x1p35, -4 * 0x1p36)));
        assertArrayEquals(IMG, apply(FillMode.REFLECT, AffineParams.shift(-10 * 0x1p34, 8 * 0x1p35)));
        // NEAREST far to the right repeats each row's last pixel, far to the left its first, far below the last row.
        float[] right = apply(FillMode.NEAREST, AffineParams.shift(1e12, 0));
        float[] left = apply(FillMode.NEAREST, AffineParams.shift(-1e12, 0));
        float[] below = apply(FillMode.NEAREST, AffineParams.shift(0, 1e12));
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(IMG[y * 5 + 4], right[y * 5 + x], "right at " + x + "," + y);
                assertEquals(IMG[y * 5], left[y * 5 + x], "left at " + x + "," + y);
                assertEquals(IMG[3 * 5 + x], below[y * 5 + x], "below at " + x + "," + y);
            }
        }
    }

    @Test
    void wrapSamplesTheImageAtAnyDistance() {
        // Legacy 'wrap' reduces v − (n−1)·floor(v / (n−1)); far out, that difference rounds and used to land just
        // below 0 or above n−1, an index outside the image (a zoom of 1e16 threw ArrayIndexOutOfBoundsException).
        AffineParams[] far = {AffineParams.shift(1e12, 0), AffineParams.shift(-1e12, 0), AffineParams.shift(0, -1e15),
                AffineParams.shift(123456789012.37, -98765432109.5), new AffineParams(0, 0, 0, 0, 1e16, 1e16, false, false, 1),
                new AffineParams(37, 0, 0, 60, 3e15, 7e13, false, false, 1)};
        for (AffineParams p : far) {
            assertInRange(apply(FillMode.WRAP, p), 0, 17, "WRAP " + p);
        }
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            double v = (rng.nextBoolean() ? 1 : -1) * Math.scalb(1 + rng.nextDouble(), rng.nextInt(30, 62));
            int n = rng.nextInt(2, 40);
            double r = ImageAugmenter.wrapCoordinate(v, n);
            assertTrue(r >= 0 && r <= n - 1, "wrap of " + v + " into [0, " + (n - 1) + "] gave " + r);
        }
        // Near the image nothing changes: one period to the left is the identity.
        assertEquals(2.5, ImageAugmenter.wrapCoordinate(2.5 - 4, 5));
        assertEquals(4.0, ImageAugmenter.wrapCoordinate(-8, 5));
    }
}
