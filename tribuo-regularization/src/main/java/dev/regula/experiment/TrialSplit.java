package dev.regula.experiment;

import java.io.Serializable;
import java.util.Locale;

/**
 * Which part of a trial's data trains the model and which part scores it.
 * <ul>
 *     <li>{@link #validation()}: the whole data set trains the trainer, which holds out its own seeded validation
 *     split ({@code validationFraction}); the score is the validation accuracy of the kept epoch.</li>
 *     <li>{@link #fold(int, int, long)}: fold {@code index} of Tribuo's {@code KFoldSplitter(folds, seed)}; the model
 *     is trained on the other folds with train invocation count {@code index} (what Tribuo's
 *     {@code CrossValidation} gives, since it trains one trainer fold after fold) and scored by its accuracy on
 *     fold {@code index}. The mean over the folds is then exactly {@code CrossValidation}'s mean accuracy.</li>
 * </ul>
 * @param index the fold, in {@code [0, folds)}, or -1 for the validation split.
 * @param folds the number of folds (at least 2), or 0 for the validation split.
 * @param seed the seed of the fold assignment (0 for the validation split).
 * @serial exclude
 */
public record TrialSplit(int index, int folds, long seed) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Checks the components.
     * @param index the index (see the record).
     * @param folds the folds (see the record).
     * @param seed the seed (see the record).
     * @throws IllegalArgumentException if the fold is outside {@code [0, folds)}, there are fewer than 2 folds, or a
     *     validation split carries a fold index or seed.
     */
    public TrialSplit {
        if (folds == 0) {
            if (index != -1 || seed != 0) {
                throw new IllegalArgumentException("a validation split has index -1 and seed 0, found index " + index
                        + " and seed " + seed);
            }
        } else if (folds < 2) {
            throw new IllegalArgumentException("folds must be at least 2 (or 0 for the validation split), found " + folds);
        } else if (index < 0 || index >= folds) {
            throw new IllegalArgumentException("fold index must be in [0, " + folds + "), found " + index);
        }
    }

    /**
     * The trainer's own validation split.
     * @return the split.
     */
    public static TrialSplit validation() {
        return new TrialSplit(-1, 0, 0);
    }

    /**
     * One fold of a k-fold cross-validation.
     * @param index the fold scored, in {@code [0, folds)}.
     * @param folds the number of folds, at least 2.
     * @param seed the seed of Tribuo's {@code KFoldSplitter}.
     * @return the split.
     * @throws IllegalArgumentException if the index or the number of folds is out of range.
     */
    public static TrialSplit fold(int index, int folds, long seed) {
        return new TrialSplit(index, folds, seed);
    }

    /** @return true for a fold of a cross-validation, false for the trainer's validation split. */
    public boolean isFold() {
        return folds > 0;
    }

    /** @return a short description, {@code validation} or {@code fold 2/5 (seed 42)}. */
    public String describe() {
        return isFold() ? String.format(Locale.ROOT, "fold %d/%d (seed %d)", index + 1, folds, seed) : "validation";
    }
}
