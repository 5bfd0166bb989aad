package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.regula.nn.OutputLoss;
import org.jspecify.annotations.Nullable;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.evaluation.metrics.MetricTarget;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.evaluation.RegressionMetrics;
import org.tribuo.regression.evaluation.RegressionSufficientStatistics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Regression: one linear output unit per dimension of the {@link Regressor}s, in the output domain's id order,
 * trained on targets standardized with the training split's mean and standard deviation (when switched on) and
 * predicting in the original units. Validation metrics are Tribuo's ({@link RegressionMetrics} on
 * {@link RegressionSufficientStatistics}, as {@code RegressionEvaluator} computes them, without example weights).
 */
final class RegressionHead extends OutputHead<Regressor> {
    private final OutputLoss loss;
    private final boolean standardize;
    private final String[] names;
    private double @Nullable [] mean;
    private double @Nullable [] scale;

    /**
     * A head to train with.
     * @param outputs the output domain.
     * @param loss the loss.
     * @param standardize whether to standardize the targets on the training split.
     */
    RegressionHead(ImmutableOutputInfo<Regressor> outputs, OutputLoss loss, boolean standardize) {
        super(outputs);
        this.loss = loss;
        this.standardize = standardize;
        this.names = new String[outputs.size()];
        for (Pair<Integer, Regressor> p : outputs) {
            names[p.getA()] = p.getB().getNames()[0];
        }
    }

    /**
     * A trained model's head.
     * @param outputs the output domain.
     * @param loss the loss it was trained with.
     * @param mean the target means, or null if the targets were not standardized.
     * @param scale the target standard deviations, or null.
     */
    RegressionHead(ImmutableOutputInfo<Regressor> outputs, OutputLoss loss, double @Nullable [] mean,
                   double @Nullable [] scale) {
        this(outputs, loss, mean != null);
        this.mean = mean;
        this.scale = scale;
    }

    /** @return the fitted target means in id order, or null. */
    double @Nullable [] mean() {
        return mean == null ? null : mean.clone();
    }

    /** @return the fitted target standard deviations in id order, or null. */
    double @Nullable [] scale() {
        return scale == null ? null : scale.clone();
    }

    @Override
    OutputLoss loss() {
        return loss;
    }

    @Override
    int units() {
        return names.length;
    }

    @Override
    void checkTrainable(Dataset<Regressor> examples) {
        if (outputs.size() == 0) {
            throw new IllegalArgumentException("The training data has no regression dimension");
        }
    }

    /** The population mean and standard deviation of each dimension (a constant dimension gets scale 1). */
    @Override
    void fitTargets(List<? extends Example<Regressor>> training) {
        if (!standardize) {
            return;
        }
        int d = units();
        double[] raw = new double[d];
        double[] sum = new double[d];
        for (int i = 0; i < training.size(); i++) {
            values(training.get(i), "training example", i, raw);
            for (int j = 0; j < d; j++) {
                sum[j] += raw[j];
            }
        }
        double[] mu = new double[d];
        for (int j = 0; j < d; j++) {
            mu[j] = sum[j] / training.size();
        }
        double[] ss = new double[d];
        for (int i = 0; i < training.size(); i++) {
            values(training.get(i), "training example", i, raw);
            for (int j = 0; j < d; j++) {
                ss[j] += (raw[j] - mu[j]) * (raw[j] - mu[j]);
            }
        }
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            double s = Math.sqrt(ss[j] / training.size());
            sd[j] = s > 0 && Double.isFinite(s) ? s : 1.0;
        }
        mean = mu;
        scale = sd;
    }

    /** Random validation splits: one stratum. */
    @Override
    int strata() {
        return 1;
    }

    @Override
    int stratum(Example<Regressor> example) {
        return 0;
    }

    @Override
    void encode(Example<Regressor> example, String what, int index, float[] targets, int offset) {
        double[] v = new double[units()];
        values(example, what, index, v);
        for (int j = 0; j < v.length; j++) {
            double t = mean == null ? v[j] : (v[j] - mean[j]) / scale[j];
            if (!Float.isFinite((float) t)) {
                throw new IllegalArgumentException(what + " " + index + " has target " + v[j] + " for dimension '"
                        + names[j] + "', which overflows float32" + (mean == null ? "" : " once standardized"));
            }
            targets[offset + j] = (float) t;
        }
    }

    /** An example's target values in id order, checked: every training dimension present, all finite. */
    private void values(Example<Regressor> example, String what, int index, double[] out) {
        Regressor r = example.getOutput();
        if (r.size() != units()) {
            throw new IllegalArgumentException(what + " " + index + " has " + r.size() + " regression dimension(s) "
                    + Arrays.toString(r.getNames()) + " but the training data has " + units() + " "
                    + Arrays.toString(names) + "; every example needs the same dimensions");
        }
        for (Regressor.DimensionTuple t : r) {
            int id = outputs.getID(t);
            if (id < 0) {
                throw new IllegalArgumentException(what + " " + index + " has regression dimension '" + t.getName()
                        + "', which is not among the training dimensions " + Arrays.toString(names));
            }
            if (!Double.isFinite(t.getValue())) {
                throw new IllegalArgumentException(what + " " + index + " has non-finite target " + t.getValue()
                        + " for dimension '" + t.getName() + "'");
            }
            out[id] = t.getValue();
        }
    }

    @Override
    boolean hasAccuracy() {
        return false;
    }

    @Override
    double accuracy(float[] predictions, float[] targets, int rows) {
        return Double.NaN;
    }

    @Override
    double metric(Monitor monitor, List<Prediction<Regressor>> predictions) {
        RegressionSufficientStatistics stats = new RegressionSufficientStatistics(outputs, predictions, false);
        MetricTarget<Regressor> average = MetricTarget.macroAverageTarget();
        return switch (monitor) {
            case VAL_RMSE -> RegressionMetrics.rmse(average, stats);
            case VAL_MAE -> RegressionMetrics.mae(average, stats);
            case VAL_R2 -> RegressionMetrics.r2(average, stats);
            default -> throw new IllegalArgumentException("Monitor " + monitor.getKey() + " is not a regression metric");
        };
    }

    /** The outputs in the original units (standardization undone), one {@link Regressor} per example. */
    @Override
    List<Prediction<Regressor>> predictions(float[] out, List<? extends Example<Regressor>> examples, int[] active) {
        int d = units();
        List<Prediction<Regressor>> list = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            double[] values = new double[d];
            for (int j = 0; j < d; j++) {
                double z = out[i * d + j];
                values[j] = mean == null ? z : z * scale[j] + mean[j];
            }
            @SuppressWarnings("unchecked")
            Example<Regressor> ex = (Example<Regressor>) examples.get(i);
            list.add(new Prediction<>(new Regressor(names, values), active[i], ex));
        }
        return list;
    }
}
