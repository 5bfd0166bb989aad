package dev.regula.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * A copy of an {@link Updater}'s state between two steps — its step count and its slot tensors (Adam's first and
 * second moments, SGD's velocities, the squared-gradient accumulators of RMSProp and AdaGrad) — from which a
 * fresh updater of the same rule and sizes continues exactly as the original would have (a crash-safe backup,
 * Keras' optimizer variables). The arrays are copies owned by the state.
 *
 * @param step the number of steps taken (the {@code t} of Adam's bias correction; 0 for rules without one).
 * @param slots the slot tensors, in the rule's fixed order (for Adam all first moments, then all second moments).
 */
public record UpdaterState(long step, List<float[]> slots) {
    /**
     * Validates and copies the state.
     * @param step the number of steps taken, &gt;= 0.
     * @param slots the slot tensors.
     * @throws IllegalArgumentException for a negative step count.
     */
    public UpdaterState {
        if (step < 0) {
            throw new IllegalArgumentException("An optimiser's step count must be >= 0, found " + step);
        }
        List<float[]> copies = new ArrayList<>(slots.size());
        for (float[] s : slots) {
            copies.add(s.clone());
        }
        slots = List.copyOf(copies);
    }

    /**
     * Copies a rule's slot tensors into a state.
     * @param step the step count.
     * @param groups the rule's slot groups (each one array per parameter tensor), in order.
     * @return the state.
     */
    static UpdaterState of(long step, float[][]... groups) {
        List<float[]> all = new ArrayList<>();
        for (float[][] g : groups) {
            all.addAll(List.of(g));
        }
        return new UpdaterState(step, all);
    }

    /**
     * Copies this state's slots into a rule's slot tensors, checking that the shapes agree.
     * @param rule the optimiser's name, for errors.
     * @param groups the rule's slot groups, in the order {@link #of} took them.
     * @throws IllegalArgumentException if the number or the lengths of the tensors differ.
     */
    void copyInto(String rule, float[][]... groups) {
        int expected = 0;
        for (float[][] g : groups) {
            expected += g.length;
        }
        if (slots.size() != expected) {
            throw new IllegalArgumentException("The saved " + rule + " state has " + slots.size()
                    + " slot tensors, this optimiser has " + expected);
        }
        int i = 0;
        for (float[][] g : groups) {
            for (float[] target : g) {
                float[] saved = slots.get(i);
                if (saved.length != target.length) {
                    throw new IllegalArgumentException("The saved " + rule + " slot tensor " + i + " has " + saved.length
                            + " values, this optimiser's has " + target.length);
                }
                System.arraycopy(saved, 0, target, 0, target.length);
                i++;
            }
        }
    }
}
