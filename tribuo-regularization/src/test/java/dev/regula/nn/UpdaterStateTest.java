package dev.regula.nn;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An optimiser's saved state ({@link Updater#saveState()}) continues, in a fresh updater, exactly as the original
 * would have; a state of another shape is refused naming the rule.
 */
class UpdaterStateTest {
    private static final int[] SIZES = {12, 3, 5};

    private static List<Supplier<Updater>> rules() {
        return List.of(() -> Updaters.adam(SIZES, 0.01, 0.9, 0.999, 1e-7, 0),
                () -> Updaters.adam(SIZES, 0.01, 0.9, 0.999, 1e-7, 0.01),
                () -> Updaters.sgd(SIZES, 0.05, 0.9, true),
                () -> Updaters.sgd(SIZES, 0.05, 0.9, false),
                () -> Updaters.sgd(SIZES, 0.05, 0, false),
                () -> Updaters.rmsprop(SIZES, 0.01, 0.9, 1e-7),
                () -> Updaters.adagrad(SIZES, 0.05, 0.1, 1e-7));
    }

    /** Steps every tensor with gradients drawn from the stream. */
    private static void steps(Updater u, float[][] params, SplittableRandom rng, int count) {
        for (int s = 0; s < count; s++) {
            u.beginStep();
            for (int t = 0; t < params.length; t++) {
                float[] g = new float[params[t].length];
                for (int j = 0; j < g.length; j++) {
                    g[j] = (float) rng.nextGaussian();
                }
                u.update(t, params[t], g, 0, g.length);
            }
        }
    }

    private static float[][] params() {
        float[][] p = new float[SIZES.length][];
        for (int t = 0; t < SIZES.length; t++) {
            p[t] = new float[SIZES[t]];
            java.util.Arrays.fill(p[t], 0.5f);
        }
        return p;
    }

    @Test
    void restoredStateContinuesBitForBit() {
        for (Supplier<Updater> rule : rules()) {
            Updater original = rule.get();
            float[][] a = params();
            steps(original, a, new SplittableRandom(1), 4);
            UpdaterState saved = original.saveState();
            float[][] b = new float[a.length][];
            for (int t = 0; t < a.length; t++) {
                b[t] = a[t].clone();
            }
            steps(original, a, new SplittableRandom(2), 3);

            Updater fresh = rule.get();
            fresh.restoreState(saved);
            steps(fresh, b, new SplittableRandom(2), 3);
            for (int t = 0; t < a.length; t++) {
                assertArrayEquals(a[t], b[t], 0f, "tensor " + t);
            }
            // and a fresh updater without the state would not have (the test can fail)
            float[][] c = params();
            steps(rule.get(), c, new SplittableRandom(1), 4);
            steps(rule.get(), c, new SplittableRandom(2), 3); // the weights of step 4, a fresh optimiser
            boolean stateless = saved.slots().isEmpty() && saved.step() == 0;
            if (!stateless) {
                assertNotEquals(a[0][0], c[0][0]);
            }
        }
    }

    @Test
    void savedStateIsACopy() {
        Updater u = Updaters.adam(SIZES, 0.01, 0.9, 0.999, 1e-7, 0);
        float[][] p = params();
        steps(u, p, new SplittableRandom(1), 2);
        UpdaterState saved = u.saveState();
        float before = saved.slots().get(0)[0];
        steps(u, p, new SplittableRandom(3), 2);
        assertEquals(before, saved.slots().get(0)[0]);
        assertEquals(2, saved.step());
        assertEquals(2 * SIZES.length, saved.slots().size(), "first and second moments of every tensor");
    }

    @Test
    void stateOfAnotherShapeIsRefused() {
        UpdaterState adam = Updaters.adam(SIZES, 0.01, 0.9, 0.999, 1e-7, 0).saveState();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Updaters.rmsprop(SIZES, 0.01, 0.9, 1e-7).restoreState(adam));
        assertTrue(e.getMessage().contains("RMSProp state has 6 slot tensors, this optimiser has 3"), e.getMessage());
        UpdaterState other = Updaters.adam(new int[]{12, 3, 6}, 0.01, 0.9, 0.999, 1e-7, 0).saveState();
        e = assertThrows(IllegalArgumentException.class,
                () -> Updaters.adam(SIZES, 0.01, 0.9, 0.999, 1e-7, 0).restoreState(other));
        assertTrue(e.getMessage().contains("Adam slot tensor 2 has 6 values, this optimiser's has 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new UpdaterState(-1, List.of()));
    }
}
