package dev.regula.augment;

import dev.regula.data.ImageGeometry;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.regula.testing.ErrorAssertions.rejects;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** torchvision's RandomErasing semantics: one rectangle in every channel, of the drawn area and ratio, with probability p. */
class RandomErasingTest {
    private static final ImageGeometry G = ImageGeometry.of(28, 20, 3);

    @Test
    void erasesOneRectangleInEveryChannelWithinTheScaleAndRatioRanges() {
        RandomErasing erasing = RandomErasing.builder().probability(1).scale(0.05, 0.2).ratio(0.5, 2).value(-1).build();
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 500; trial++) {
            float[] image = new float[G.getSize()];
            Arrays.fill(image, 0.5f);
            assertTrue(erasing.erase(image, 0, G, rng), "p = 1 and rectangles this small always fit");
            int minX = Integer.MAX_VALUE, maxX = -1, minY = Integer.MAX_VALUE, maxY = -1, erased = 0;
            for (int y = 0; y < G.getHeight(); y++) {
                for (int x = 0; x < G.getWidth(); x++) {
                    float v = image[G.index(x, y, 0)];
                    for (int c = 1; c < 3; c++) {
                        assertEquals(v, image[G.index(x, y, c)], "every channel alike");
                    }
                    if (v == -1f) {
                        erased++;
                        minX = Math.min(minX, x);
                        maxX = Math.max(maxX, x);
                        minY = Math.min(minY, y);
                        maxY = Math.max(maxY, y);
                    } else {
                        assertEquals(0.5f, v);
                    }
                }
            }
            int w = maxX - minX + 1, h = maxY - minY + 1;
            assertEquals(w * h, erased, "one solid rectangle");
            // h = round(√(a·r)), w = round(√(a/r)) with a ∈ [0.05, 0.2]·560, r ∈ [0.5, 2]: h·w within rounding of a
            double a = 560.0;
            assertTrue(erased >= Math.pow(Math.sqrt(0.05 * a / 2) - 0.5, 2) && erased <= Math.pow(Math.sqrt(0.2 * a * 2) + 0.5, 2),
                    "area " + erased);
            assertTrue((h - 0.5) / (w + 0.5) <= 2 && (h + 0.5) / (w - 0.5) >= 0.5, "ratio " + h + "/" + w);
        }
    }

    @Test
    void probabilityDeterminismAndRandomValues() {
        RandomErasing half = RandomErasing.builder().build(); // torchvision defaults, p = 0.5
        SplittableRandom rng = new SplittableRandom(9);
        int erased = 0;
        for (int i = 0; i < 4000; i++) {
            erased += half.erase(new float[G.getSize()], 0, G, rng) ? 1 : 0;
        }
        assertEquals(0.5, erased / 4000.0, 0.03, "erased with probability p (a rectangle of the defaults nearly always fits)");
        float[] a = new float[G.getSize()];
        float[] b = new float[G.getSize()];
        RandomErasing random = RandomErasing.builder().probability(1).randomValue().build();
        random.erase(a, 0, G, new SplittableRandom(4));
        random.erase(b, 0, G, new SplittableRandom(4));
        assertArrayEquals(a, b, "the same seed erases the same rectangle with the same values");
        long distinct = Arrays.stream(toDouble(a)).filter(v -> v != 0).distinct().count();
        assertTrue(distinct > 10, "value=random writes N(0, 1) values: " + distinct);
        float[] c = new float[G.getSize()];
        assertFalse(RandomErasing.builder().probability(0).build().erase(c, 0, G, new SplittableRandom(1)));
        // a scale range no rectangle fits in (the whole image at ratio 1 needs h = w = image side): left alone
        float[] d = new float[16];
        Arrays.fill(d, 1f);
        assertFalse(RandomErasing.builder().probability(1).scale(1, 1).ratio(1, 1).build()
                .erase(d, 0, ImageGeometry.of(4, 4, 1), new SplittableRandom(2)), "no attempt fits: unchanged");
        for (float v : d) {
            assertEquals(1f, v);
        }
    }

    @Test
    void invalidRangesAreNamed() {
        rejects("probability", () -> RandomErasing.builder().probability(1.5).build(), "[0, 1]");
        rejects("scaleMin", () -> RandomErasing.builder().scale(0.5, 0.2).build(), "scaleMax = 0.2");
        rejects("scaleMax", () -> RandomErasing.builder().scale(0.1, 1.2).build(), "(0, 1]");
        rejects("ratioMin", () -> RandomErasing.builder().ratio(0, 2).build(), "(0, ratioMax");
        rejects("ratioMax", () -> RandomErasing.builder().ratio(1, Double.POSITIVE_INFINITY).build(), "finite");
        rejects("value", () -> RandomErasing.builder().value(Double.NaN).build(), "NaN");
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
