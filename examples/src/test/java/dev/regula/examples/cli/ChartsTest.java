package dev.regula.examples.cli;

import dev.regula.mlp.EpochRecord;
import dev.regula.mlp.StopReason;
import dev.regula.mlp.TrainingHistory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The learning-curve statistics behind the study's panels, checked against values worked out by hand. */
class ChartsTest {
    private static TrainingHistory history(double... valAccuracy) {
        List<EpochRecord> epochs = new ArrayList<>();
        for (int i = 0; i < valAccuracy.length; i++) {
            epochs.add(new EpochRecord(i + 1, 1.0 / (i + 1), 0, 0.5, 0.4, valAccuracy[i], valAccuracy[i], 1e-3, 1));
        }
        return new TrainingHistory(epochs, null, 0, StopReason.COMPLETED, "done", false, valAccuracy.length);
    }

    /**
     * Three seeds, the third stopped early after two epochs: epochs 1–2 average three values, epoch 3 two, and a lone
     * value would have no spread.
     */
    @Test
    void meanAndSpreadUseTheSeedsThatRanEachEpoch() {
        List<TrainingHistory> seeds = List.of(history(0.80, 0.84, 0.86), history(0.82, 0.86, 0.90), history(0.78, 0.82));
        Charts.Curve c = Charts.Curve.of(seeds, EpochRecord::valAccuracy);
        assertArrayEquals(new double[] {1, 2, 3}, c.epochs());
        assertArrayEquals(new double[] {0.80, 0.84, 0.88}, c.mean(), 1e-12);
        // epoch 1: deviations −0.00, +0.02, −0.02 → s² = 0.0008 / 2; epoch 3: 0.86, 0.90 → s² = 0.0008 / 1
        assertArrayEquals(new double[] {0.02, 0.02, Math.sqrt(0.0008)}, c.std(), 1e-12);
        assertEquals(0.78, c.low(), 1e-12);
        assertEquals(0.88 + Math.sqrt(0.0008), c.high(), 1e-12);

        Charts.Curve one = Charts.Curve.of(List.of(history(0.7, 0.75)), EpochRecord::valAccuracy);
        assertArrayEquals(new double[] {0, 0}, one.std(), "one seed: a line without a band");
        assertEquals(0, Charts.Curve.of(List.of(), EpochRecord::valAccuracy).epochs().length);
    }
}
