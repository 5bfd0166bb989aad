package dev.regula.experiment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Intervals} against values computed by hand (and tabulated t quantiles). */
class IntervalsTest {

    @Test
    void tQuantilesMatchTheTables() {
        assertEquals(12.706204736, Intervals.tQuantile(0.975, 1), 1e-8);
        assertEquals(4.302652730, Intervals.tQuantile(0.975, 2), 1e-8);
        assertEquals(2.776445105, Intervals.tQuantile(0.975, 4), 1e-8);
        assertEquals(2.262157163, Intervals.tQuantile(0.975, 9), 1e-8);
        assertEquals(2.045229642, Intervals.tQuantile(0.975, 29), 1e-8);
        assertEquals(1.983971519, Intervals.tQuantile(0.975, 100), 1e-8);
        assertEquals(-2.262157163, Intervals.tQuantile(0.025, 9), 1e-8);
        assertEquals(0.5, Intervals.tCdf(0, 3), 1e-15);
    }

    @Test
    void tIntervalOfThreeSeeds() {
        // mean 0.85, s = 0.01, half width t(0.975, 2) · 0.01 / √3 = 0.0248414
        Intervals.Interval i = Intervals.tInterval(new double[]{0.85, 0.86, 0.84});
        assertEquals(0.85, i.mean(), 1e-12);
        assertEquals(0.82515862, i.low(), 1e-7);
        assertEquals(0.87484138, i.high(), 1e-7);
        assertEquals(0.01, Intervals.standardDeviation(new double[]{0.85, 0.86, 0.84}), 1e-12);
    }

    @Test
    void pairedDifferenceIsTakenSeedBySeed() {
        // d = 0.01, 0.02, 0.01: mean 0.013333, s = 0.0057735, half width 4.3026527 · 0.0057735 / √3 = 0.0143422
        Intervals.Interval i = Intervals.pairedDifference(new double[]{0.86, 0.87, 0.85}, new double[]{0.85, 0.85, 0.84});
        assertEquals(0.0133333333, i.mean(), 1e-9);
        assertEquals(-0.0010088, i.low(), 1e-6);
        assertEquals(0.0276755, i.high(), 1e-6);
        assertFalse(i.excludesZero());
        // The same accuracies unpaired would have wider spread; a constant shift is distinguishable however small.
        Intervals.Interval shift = Intervals.pairedDifference(new double[]{0.851, 0.861, 0.841, 0.8512},
                new double[]{0.850, 0.860, 0.840, 0.8500});
        assertTrue(shift.excludesZero(), shift.toString());
    }

    @Test
    void mcNemarExactByHand() {
        // b = 2, c = 10: P(X ≤ 2) for Binomial(12, ½) = (1 + 12 + 66) / 4096
        assertEquals(2 * 79 / 4096.0, Intervals.mcNemarExactP(2, 10), 1e-15);
        assertEquals(Intervals.mcNemarExactP(10, 2), Intervals.mcNemarExactP(2, 10), 0);
        assertEquals(1.0, Intervals.mcNemarExactP(5, 5), 0);
        assertEquals(1.0, Intervals.mcNemarExactP(0, 0), 0);
        // b = 0, c = 7: 2 / 128
        assertEquals(2 / 128.0, Intervals.mcNemarExactP(0, 7), 1e-15);
    }

    @Test
    void pairedAccuracyDifferenceByHand() {
        // b = 20, c = 40, n = 1000: d = 0.02, half width 1.959964 · √(60 − 0.4) / 1000 = 0.0151311
        Intervals.Interval i = Intervals.pairedAccuracyDifference(20, 40, 1000);
        assertEquals(0.02, i.mean(), 1e-15);
        assertEquals(0.0048689, i.low(), 1e-6);
        assertEquals(0.0351311, i.high(), 1e-6);
        assertTrue(i.excludesZero());
    }

    @Test
    void pairedTTestByHand() {
        // d = 0.01, 0.02, 0.01: t = 0.0133333 / (0.0057735 / √3) = 4.0, two-sided p at 2 degrees of freedom = 0.0571
        // (for 2 degrees of freedom the t distribution function is ½ + t / (2 √(2 + t²)), so p = 1 − 4/√18)
        double p = Intervals.pairedTTestP(new double[]{0.86, 0.87, 0.85}, new double[]{0.85, 0.85, 0.84});
        assertEquals(1 - 4 / Math.sqrt(18), p, 1e-9);
        assertEquals(1.0, Intervals.pairedTTestP(new double[]{0.8, 0.9}, new double[]{0.8, 0.9}), 0);
        assertEquals(0.0, Intervals.pairedTTestP(new double[]{0.81, 0.91}, new double[]{0.80, 0.90}), 1e-9);
    }

    @Test
    void wilsonByHand() {
        // 85 of 100: centre (0.85 + 1.920729/200) / 1.0384146 = 0.82782, half 1.959964·√(0.001275 + 0.0000960)/1.0384146
        Intervals.Interval i = Intervals.wilson(85, 100);
        assertEquals(0.85, i.mean(), 1e-15);
        assertEquals(0.76716, i.low(), 1e-5);
        assertEquals(0.90694, i.high(), 1e-5);
        Intervals.Interval all = Intervals.wilson(10, 10);
        assertEquals(1.0, all.high(), 1e-12);
        assertTrue(all.low() > 0.69 && all.low() < 0.73, all.toString());
    }

    @Test
    void badInputIsRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Intervals.tInterval(new double[]{0.8}))
                .getMessage().contains("at least 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Intervals.tInterval(new double[]{0.8, Double.NaN}))
                .getMessage().contains("value 1 is NaN"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Intervals.pairedDifference(new double[]{1, 2}, new double[]{1, 2, 3})).getMessage().contains("2 against 3"));
        assertThrows(IllegalArgumentException.class, () -> Intervals.pairedAccuracyDifference(600, 500, 1000));
        assertThrows(IllegalArgumentException.class, () -> Intervals.mcNemarExactP(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> Intervals.tQuantile(1.0, 3));
        assertThrows(IllegalArgumentException.class, () -> Intervals.tQuantile(0.9, 0));
    }

    @Test
    void aurocCountsPairsAndTies() {
        // Pairs (positive, negative): 3 > 1, 3 > 2, 2 tie 2 (½), 2 > 1, 0 < 1, 0 < 2 → 3.5 of 6.
        assertEquals(3.5 / 6, Intervals.auroc(new double[]{3, 2, 0}, new double[]{1, 2}), 1e-15);
        assertEquals(1.0, Intervals.auroc(new double[]{5, 6}, new double[]{1, 2, 3}), 0);
        assertEquals(0.0, Intervals.auroc(new double[]{0}, new double[]{1, 2, 3}), 0);
        assertEquals(0.5, Intervals.auroc(new double[]{1, 1}, new double[]{1}), 0);
        assertThrows(IllegalArgumentException.class, () -> Intervals.auroc(new double[0], new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> Intervals.auroc(new double[]{Double.NaN}, new double[]{1}));
    }
}
