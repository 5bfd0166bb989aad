package dev.regula.mlp;

import dev.regula.nn.Blas;
import dev.regula.nn.Network;
import dev.regula.nn.NetworkTrainer;
import org.jspecify.annotations.Nullable;
import org.tribuo.Output;

/**
 * Computes an epoch's record: the training statistics the steps accumulated, the validation loss and accuracy of
 * the end-of-epoch weights, and the value of the early-stopping monitor — every monitored value in one place.
 *
 * @param <T> the output type.
 */
final class EpochEvaluator<T extends Output<T>> {
    private final OutputHead<T> head;
    private final Network net;
    private final NetworkTrainer steps;
    private final TrainingSplit.@Nullable Validation<T> validation;
    private final @Nullable Monitor monitor;
    private final @Nullable Monitor plateauMonitor;
    private final Blas blas;
    private double plateauValue = Double.NaN;

    EpochEvaluator(OutputHead<T> head, Network net, NetworkTrainer steps, TrainingSplit.@Nullable Validation<T> validation,
                   @Nullable Monitor monitor, Blas blas) {
        this(head, net, steps, validation, monitor, null, blas);
    }

    /**
     * @param monitor early stopping's monitor (the record's {@code monitorValue}), or null.
     * @param plateauMonitor ReduceLROnPlateau's monitor (read with {@link #plateauValue()}), or null.
     */
    EpochEvaluator(OutputHead<T> head, Network net, NetworkTrainer steps, TrainingSplit.@Nullable Validation<T> validation,
                   @Nullable Monitor monitor, @Nullable Monitor plateauMonitor, Blas blas) {
        this.head = head;
        this.net = net;
        this.steps = steps;
        this.validation = validation;
        this.monitor = monitor;
        this.plateauMonitor = plateauMonitor;
        this.blas = blas;
    }

    /** @return the last evaluated epoch's value of ReduceLROnPlateau's monitor (NaN without one). */
    double plateauValue() {
        return plateauValue;
    }

    /** @return whether there is validation data (and so a validation loss). */
    boolean validates() {
        return validation != null;
    }

    /**
     * Evaluates the network at the end of an epoch.
     * @param epoch the epoch number.
     * @param trainSeconds the seconds the epoch's steps took.
     * @return the record.
     */
    EpochRecord evaluate(int epoch, double trainSeconds) {
        long start = System.nanoTime();
        double loss = steps.epochLoss() + steps.epochPenalty();
        double accuracy = head.hasAccuracy() ? steps.epochAccuracy() : Double.NaN;
        double valLoss = Double.NaN;
        double valAccuracy = Double.NaN;
        double tribuoMetric = Double.NaN;
        double plateauMetric = Double.NaN;
        if (validation != null) {
            int rows = validation.rows().rows();
            int units = head.units();
            float[] predictions = new float[rows * units];
            validation.rows().predict(net, predictions, blas, head.loss());
            float[] targets = validation.targets().values;
            valLoss = head.loss().meanLoss(predictions, targets, validation.targets().weights, rows, units) + steps.penalty();
            valAccuracy = head.accuracy(predictions, targets, rows);
            if (monitor != null && monitor.isTribuoMetric()) {
                tribuoMetric = head.metric(monitor, head.predictions(predictions, validation.examples(),
                        validation.activeCounts()));
            }
            if (plateauMonitor != null && plateauMonitor.isTribuoMetric()) {
                plateauMetric = plateauMonitor == monitor ? tribuoMetric : head.metric(plateauMonitor,
                        head.predictions(predictions, validation.examples(), validation.activeCounts()));
            }
        }
        double monitorValue = valueOf(monitor, loss, accuracy, valLoss, valAccuracy, tribuoMetric);
        plateauValue = valueOf(plateauMonitor, loss, accuracy, valLoss, valAccuracy, plateauMetric);
        double seconds = trainSeconds + (System.nanoTime() - start) / 1e9;
        return new EpochRecord(epoch, loss, steps.epochPenalty(), accuracy, valLoss, valAccuracy, monitorValue,
                steps.learningRate(), seconds);
    }

    /** A monitor's value among the epoch's figures ({@code metric}: its Tribuo metric, if it is one); NaN for none. */
    private static double valueOf(@Nullable Monitor m, double loss, double accuracy, double valLoss, double valAccuracy,
                                  double metric) {
        return m == null ? Double.NaN : switch (m) {
            case LOSS -> loss;
            case ACCURACY -> accuracy;
            case VAL_LOSS -> valLoss;
            case VAL_ACCURACY -> valAccuracy;
            default -> metric;
        };
    }
}
