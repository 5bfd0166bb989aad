package dev.regula.mlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The values early stopping can monitor, with the names used in configuration (Keras-style keys) and the
 * direction in which they improve. {@code val_*} monitors need validation data; the Tribuo metrics are computed
 * on the validation set with the functions Tribuo's {@code LabelEvaluator} uses, so they mean exactly what they
 * mean in Tribuo. The values themselves are computed by the trainer's epoch evaluator.
 */
public enum Monitor {
    /** Mean training objective of the epoch (loss + penalty). */
    LOSS("loss", false, false),
    /** Training accuracy accumulated over the epoch's batches (multi-label: every label right). */
    ACCURACY("accuracy", true, false),
    /** Validation loss + penalty. */
    VAL_LOSS("val_loss", false, false),
    /** Validation accuracy (multi-label: the share of examples with every label right). */
    VAL_ACCURACY("val_accuracy", true, false),
    /** Tribuo {@code macroAveragedF1()} on the validation set. */
    VAL_MACRO_F1("val_macro_f1", true, true),
    /** Tribuo {@code microAveragedF1()} on the validation set. */
    VAL_MICRO_F1("val_micro_f1", true, true),
    /** Tribuo {@code macroAveragedPrecision()} on the validation set. */
    VAL_MACRO_PRECISION("val_macro_precision", true, true),
    /** Tribuo {@code macroAveragedRecall()} on the validation set. */
    VAL_MACRO_RECALL("val_macro_recall", true, true),
    /** Tribuo {@code balancedErrorRate()} on the validation set (lower is better). */
    VAL_BALANCED_ERROR_RATE("val_balanced_error_rate", false, true),
    /** Tribuo {@code averageAUCROC(false)} (macro-averaged one-vs-rest ROC AUC) on the validation set. */
    VAL_AUC("val_auc", true, true),
    /** Tribuo {@code averageAUCROC(true)} (AUC weighted by class frequency) on the validation set. */
    VAL_WEIGHTED_AUC("val_weighted_auc", true, true),
    /** Regression: Tribuo {@code averageRMSE()} (root mean squared error, averaged over dimensions). */
    VAL_RMSE("val_rmse", false, true),
    /** Regression: Tribuo {@code averageMAE()} (mean absolute error, averaged over dimensions). */
    VAL_MAE("val_mae", false, true),
    /** Regression: Tribuo {@code averageR2()} (coefficient of determination, averaged over dimensions). */
    VAL_R2("val_r2", true, true),
    /** Multi-label: Tribuo {@code jaccardScore()} (mean over examples of |predicted ∩ true| / |predicted ∪ true|). */
    VAL_JACCARD("val_jaccard", true, true);

    private final String key;
    private final boolean higherIsBetter;
    private final boolean tribuoMetric;

    Monitor(String key, boolean higherIsBetter, boolean tribuoMetric) {
        this.key = key;
        this.higherIsBetter = higherIsBetter;
        this.tribuoMetric = tribuoMetric;
    }

    /** @return the configuration name, e.g. {@code val_accuracy}. */
    public String getKey() {
        return key;
    }

    /** @return true if larger values are better (mode {@code max} under {@code auto}). */
    public boolean isHigherBetter() {
        return higherIsBetter;
    }

    /** @return true if the value is computed on validation data. */
    public boolean needsValidation() {
        return key.startsWith("val_");
    }

    /** @return true if the value is one of Tribuo's evaluation metrics, computed by the output head. */
    boolean isTribuoMetric() {
        return tribuoMetric;
    }

    /**
     * Every valid name.
     * @return the names, in declaration order.
     */
    public static List<String> keys() {
        List<String> out = new ArrayList<>();
        for (Monitor m : values()) {
            out.add(m.key);
        }
        return out;
    }

    /**
     * Looks a monitor up by name.
     * @param name the name, e.g. {@code val_accuracy}.
     * @return the monitor.
     * @throws IllegalArgumentException naming the valid names (with a suggestion for near misses such as
     *                                  {@code val_acc} or the non-existent {@code val_err}).
     */
    public static Monitor fromKey(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Monitor m : values()) {
            if (m.key.equals(n)) {
                return m;
            }
        }
        StringBuilder msg = new StringBuilder("Unknown early-stopping monitor '").append(name).append("'.");
        if (n.equals("val_err") || n.equals("val_error") || n.equals("err") || n.equals("error")) {
            msg.append(" There is no error metric named '").append(name)
                    .append("': monitor val_accuracy (mode max) for the classification error, val_loss (mode min) for the"
                            + " validation loss, or val_balanced_error_rate.");
        } else {
            String best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (Monitor m : values()) {
                int d = m.key.startsWith(n) ? 1 : distance(n, m.key);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = m.key;
                }
            }
            if (best != null && bestDistance <= 4) {
                msg.append(" Did you mean '").append(best).append("'?");
            }
        }
        msg.append(" Valid monitors: ").append(String.join(", ", keys())).append('.');
        throw new IllegalArgumentException(msg.toString());
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
