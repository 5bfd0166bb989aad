package dev.regula.mlp;

/**
 * Why training ended.
 */
public enum StopReason {
    /** All configured epochs ran. */
    COMPLETED,
    /** Early stopping ended training: the monitored value stopped improving for {@code patience} epochs. */
    EARLY_STOPPED,
    /** The loss became NaN or infinite; the model holds the best weights seen before it. */
    DIVERGED
}
