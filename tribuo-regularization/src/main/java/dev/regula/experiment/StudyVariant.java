package dev.regula.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The variants of the regularization study. Each differs from {@link #BASELINE} only in the techniques named;
 * the network, optimiser, batch size, epochs, seed and validation split are shared (see {@link Study}).
 */
public enum StudyVariant {
    /** No regularization. */
    BASELINE("baseline", "no regularization"),
    /** L2 penalty on every hidden kernel. */
    L2("l2", "L2 penalty (default 1e-4) on every hidden kernel"),
    /** L1 penalty on every hidden kernel. */
    L1("l1", "L1 penalty (default 1e-4) on every hidden kernel"),
    /** Dropout after every hidden layer. */
    DROPOUT("dropout", "dropout (default 0.25) after every hidden layer"),
    /** Per-epoch image augmentation alone. */
    AUGMENTED("augmented", "per-epoch augmentation alone (rotation 10°, shifts 0.1, zoom 0.1; flips if asked for)"),
    /** ZCA whitening and dropout, the original tutorial's pair without augmentation. */
    ZCA_DROPOUT("zca_dropout", "ZCA whitening + dropout, without augmentation"),
    /** Per-epoch image augmentation, ZCA whitening and dropout. */
    AUGMENTED_ZCA("augmented_zca", "per-epoch augmentation (rotation 10°, shifts 0.1, zoom 0.1) + ZCA whitening + dropout"),
    /** Early stopping on validation accuracy with the best weights restored. */
    EARLY_STOPPING("early_stopping", "early stopping on val_accuracy (patience 2), best weights restored");

    private final String name;
    private final String description;

    StudyVariant(String name, String description) {
        this.name = name;
        this.description = description;
    }

    /** @return the variant's name as used on the command line, in files and in reports, e.g. {@code augmented_zca}. */
    public String getName() {
        return name;
    }

    /** @return a one-line description of the technique. */
    public String getDescription() {
        return description;
    }

    /** @return the names of all variants, in study order. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (StudyVariant v : values()) {
            out.add(v.name);
        }
        return out;
    }

    /**
     * Looks a variant up by name (case-insensitive; {@code -} is accepted for {@code _}).
     * @param name the name.
     * @return the variant.
     * @throws IllegalArgumentException naming the valid variants if {@code name} is unknown.
     */
    public static StudyVariant fromName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (StudyVariant v : values()) {
            if (v.name.equals(n)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + name + "'; valid variants: " + String.join(", ", names()));
    }

    @Override
    public String toString() {
        return name;
    }
}
