package dev.regula.experiment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SeedComparison} on runs whose outcomes are written out, against the figures worked out by hand. */
class SeedComparisonTest {

    /** The first {@code right} of {@code n} examples right, the rest wrong. */
    private static boolean[] firstRight(int right, int n) {
        boolean[] c = new boolean[n];
        for (int i = 0; i < right; i++) {
            c[i] = true;
        }
        return c;
    }

    @Test
    void oneSeedUsesThePairedPredictions() {
        boolean[] base = {true, true, true, false, false, true, true, true, true, true};    // 8 of 10
        boolean[] variant = {true, true, false, true, true, true, true, true, true, true}; // 9 of 10: b = 1, c = 2
        List<SeedComparison.Summary> s = SeedComparison.summarize(List.of(new SeedComparison.Run("baseline", 1, base),
                new SeedComparison.Run("dropout", 1, variant)), "baseline");
        assertEquals(2, s.size());
        assertNull(s.get(0).delta());
        assertTrue(Double.isNaN(s.get(0).testAccuracyStd()));
        assertEquals(Intervals.wilson(8, 10), s.get(0).testAccuracyInterval());
        SeedComparison.Summary d = s.get(1);
        assertEquals(0.9, d.testAccuracy(), 1e-15);
        assertEquals(0.1, d.delta().mean(), 1e-15);
        // 0.1 ± 1.959964 · √(3 − 0.1) / 10
        assertEquals(0.1 - 0.333770, d.delta().low(), 1e-6);
        assertEquals(SeedComparison.DeltaTest.MCNEMAR, d.deltaTest());
        assertEquals(1.0, d.deltaP(), 1e-12); // McNemar with b = 1, c = 2: 2 · (1 + 3) / 8, capped at 1
        assertFalse(d.distinguishable());
    }

    @Test
    void severalSeedsArePairedBySeed() {
        List<SeedComparison.Run> runs = new ArrayList<>();
        int[] base = {85, 85, 84};
        int[] variant = {86, 87, 85};
        for (int k = 0; k < 3; k++) {
            runs.add(new SeedComparison.Run("baseline", 10 + k, firstRight(base[k], 100)));
        }
        for (int k = 2; k >= 0; k--) { // another order: pairing is by seed, not by position
            runs.add(new SeedComparison.Run("l2", 10 + k, firstRight(variant[k], 100)));
        }
        SeedComparison.Summary l2 = SeedComparison.summarize(runs, "baseline").get(1);
        assertEquals("l2", l2.variant());
        assertEquals(3, l2.seeds());
        assertEquals(0.86, l2.testAccuracy(), 1e-12);
        assertEquals(0.01, l2.testAccuracyStd(), 1e-12);
        assertEquals(0.0133333333, l2.delta().mean(), 1e-9);
        assertEquals(-0.0010088, l2.delta().low(), 1e-6);
        assertEquals(1 - 4 / Math.sqrt(18), l2.deltaP(), 1e-9);
        assertEquals(SeedComparison.DeltaTest.PAIRED_T, l2.deltaTest());
        assertFalse(l2.distinguishable());
    }

    @Test
    void identicalDifferencesOverSeedsFallBackToTheLeastConclusiveMcNemar() {
        // Every seed: the variant gets 2 more of 100 right. A t interval over the seeds would have zero width and p = 0.
        List<SeedComparison.Run> runs = new ArrayList<>();
        int[] base = {85, 86, 84};
        for (int k = 0; k < 3; k++) {
            runs.add(new SeedComparison.Run("baseline", k, firstRight(base[k], 100)));
        }
        runs.add(new SeedComparison.Run("l1", 0, firstRight(87, 100))); // b = 0, c = 2: p = 2 · 1/4 = 0.5
        runs.add(new SeedComparison.Run("l1", 1, firstRight(88, 100)));
        boolean[] swapped = firstRight(86, 100);  // seed 2: b = 1, c = 3: p = 2 · (1 + 4)/16 = 0.625
        swapped[0] = false;
        swapped[86] = true;
        runs.add(new SeedComparison.Run("l1", 2, swapped));
        SeedComparison.Summary l1 = SeedComparison.summarize(runs, "baseline").get(1);
        assertEquals(SeedComparison.DeltaTest.MCNEMAR_IDENTICAL_SEEDS, l1.deltaTest());
        assertEquals(0.625, l1.deltaP(), 1e-12);
        assertEquals(0.02, l1.delta().mean(), 1e-12);
        assertEquals(0.02 - 1.959964 * Math.sqrt(4 - 0.04) / 100, l1.delta().low(), 1e-6);
        assertFalse(l1.distinguishable());
        assertEquals(SeedComparison.DeltaTest.PAIRED_T, SeedComparison.summarize(List.of(runs.get(0), runs.get(1),
                runs.get(3), new SeedComparison.Run("l1", 1, firstRight(89, 100))), "baseline").get(1).deltaTest());
        assertNull(SeedComparison.summarize(runs, "baseline").get(0).deltaTest());
    }

    @Test
    void inconsistentRunsAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SeedComparison.summarize(List.of(
                new SeedComparison.Run("baseline", 1, firstRight(5, 10)),
                new SeedComparison.Run("baseline", 1, firstRight(6, 10))), "baseline"))
                .getMessage().contains("two runs of variant baseline with seed 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SeedComparison.summarize(List.of(
                new SeedComparison.Run("baseline", 1, firstRight(5, 10)),
                new SeedComparison.Run("l1", 1, firstRight(6, 11))), "baseline"))
                .getMessage().contains("11 examples, others on 10"));
    }
}
