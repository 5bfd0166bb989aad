package dev.regula.examples.cli;

import dev.regula.mlp.EpochRecord;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Console progress of a training run: on a terminal, a batch counter rewritten in place with {@code \r}; always,
 * one line per epoch with the metrics and an estimate of the remaining time. Without a terminal (pipes, CI logs,
 * tests) only the per-epoch lines are printed, so logs contain no control characters.
 */
final class Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final String label;
    private final int epochs;
    private final int remainingAfter;
    private final long start = System.nanoTime();
    private int lastLength;

    /**
     * Creates the display for one run.
     * @param out where to print.
     * @param terminal whether {@code out} is an interactive terminal.
     * @param label the run's name, e.g. {@code [2/6] l2}.
     * @param epochs the maximum number of epochs of this run.
     * @param remainingEpochsAfter epochs of the runs still to come after this one (for the overall estimate).
     */
    Progress(PrintWriter out, boolean terminal, String label, int epochs, int remainingEpochsAfter) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.epochs = epochs;
        this.remainingAfter = remainingEpochsAfter;
    }

    /** @return true if standard output is an interactive terminal. */
    static boolean stdoutIsTerminal() {
        return System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    /**
     * Shows the batch counter (terminal only).
     * @param epoch the epoch.
     * @param batch the batch just finished.
     * @param batches batches per epoch.
     * @param loss the running loss.
     */
    void onBatch(int epoch, int batch, int batches, double loss) {
        if (!terminal) {
            return;
        }
        String s = String.format(Locale.ROOT, "%s epoch %d/%d  batch %d/%d  loss %.4f", label, epoch, epochs, batch, batches, loss);
        out.print("\r" + s + " ".repeat(Math.max(0, lastLength - s.length())));
        lastLength = s.length();
        out.flush();
    }

    /**
     * Prints the epoch's metrics and the time estimates.
     * @param r the epoch record.
     */
    void onEpoch(EpochRecord r) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        double perEpoch = elapsed / r.epoch();
        String s = String.format(Locale.ROOT,
                "%s epoch %d/%d  loss %.4f  acc %.4f  val_loss %.4f  val_acc %.4f  %.1f s  ETA %s (all: %s)",
                label, r.epoch(), epochs, r.loss(), r.accuracy(), r.valLoss(), r.valAccuracy(), r.seconds(),
                duration(perEpoch * (epochs - r.epoch())), duration(perEpoch * (epochs - r.epoch() + remainingAfter)));
        if (terminal) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            lastLength = 0;
        }
        out.println(s);
        out.flush();
    }

    /**
     * Formats seconds as {@code 1m05s} or {@code 42s}.
     * @param seconds the duration.
     * @return the text.
     */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
