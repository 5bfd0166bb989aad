package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.regula.nn.OutputLoss;
import dev.regula.nn.SmoothedSoftmaxCrossEntropy;
import dev.regula.nn.SoftmaxCrossEntropy;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.ConfusionMetrics;
import org.tribuo.classification.evaluation.LabelConfusionMatrix;
import org.tribuo.classification.evaluation.LabelMetrics;
import org.tribuo.evaluation.metrics.MetricTarget;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classification: one output unit per label, softmax cross-entropy, predictions carrying every label's
 * probability. Validation metrics are computed with Tribuo's own confusion-matrix and AUC functions, the ones its
 * {@code LabelEvaluator} uses, so they equal what a {@code LabelEvaluation} of the same predictions reports.
 */
final class LabelHead extends OutputHead<Label> {
    private final String[] names;
    private final Map<String, Float> labelWeights;
    private final OutputLoss loss;

    LabelHead(ImmutableOutputInfo<Label> outputs) {
        this(outputs, Map.of(), 0);
    }

    /**
     * @param labelSmoothing Keras' {@code label_smoothing} ε in [0, 1); 0 is plain softmax cross-entropy.
     */
    LabelHead(ImmutableOutputInfo<Label> outputs, Map<String, Float> labelWeights, double labelSmoothing) {
        super(outputs);
        this.labelWeights = labelWeights;
        this.loss = labelSmoothing == 0 ? SoftmaxCrossEntropy.INSTANCE : SmoothedSoftmaxCrossEntropy.of(labelSmoothing);
        names = new String[outputs.size()];
        for (Pair<Integer, Label> p : outputs) {
            names[p.getA()] = p.getB().getLabel();
        }
    }

    @Override
    OutputLoss loss() {
        return loss;
    }

    @Override
    int units() {
        return outputs.size();
    }

    @Override
    void checkTrainable(Dataset<Label> examples) {
        if (outputs.getUnknownCount() > 0) {
            throw new IllegalArgumentException("The training data has " + outputs.getUnknownCount()
                    + " examples with the unknown label; MLPTrainer needs every example labelled");
        }
        if (outputs.size() < 2) {
            throw new IllegalArgumentException("The training data has only " + outputs.size() + " label ("
                    + outputs.getDomain() + "); a classifier needs at least 2");
        }
        for (String label : labelWeights.keySet()) {
            if (outputs.getID(new Label(label)) < 0) {
                throw new IllegalArgumentException("A label weight is given for '" + label
                        + "', which is not among the training labels " + outputs.getDomain());
            }
        }
    }

    @Override
    float outputWeight(Label output) {
        return labelWeights.getOrDefault(output.getLabel(), 1f);
    }

    /** Validation splits are stratified by label. */
    @Override
    int strata() {
        return outputs.size();
    }

    @Override
    int stratum(Example<Label> example) {
        return outputs.getID(example.getOutput());
    }

    @Override
    void encode(Example<Label> example, String what, int index, float[] targets, int offset) {
        int id = outputs.getID(example.getOutput());
        if (id < 0) {
            throw new IllegalArgumentException(what + " " + index + " has label '" + example.getOutput().getLabel()
                    + "', which is not among the training labels " + outputs.getDomain());
        }
        targets[offset] = id;
    }

    @Override
    double accuracy(float[] predictions, float[] targets, int rows) {
        int c = units();
        int correct = 0;
        for (int i = 0; i < rows; i++) {
            if (argMax(predictions, i * c, c) == (int) targets[i]) {
                correct++;
            }
        }
        return (double) correct / rows;
    }

    @Override
    double metric(Monitor monitor, List<Prediction<Label>> predictions) {
        LabelConfusionMatrix cm = new LabelConfusionMatrix(outputs, predictions);
        return switch (monitor) {
            case VAL_MACRO_F1 -> ConfusionMetrics.f1(MetricTarget.macroAverageTarget(), cm);
            case VAL_MICRO_F1 -> ConfusionMetrics.f1(MetricTarget.microAverageTarget(), cm);
            case VAL_MACRO_PRECISION -> ConfusionMetrics.precision(MetricTarget.macroAverageTarget(), cm);
            case VAL_MACRO_RECALL -> ConfusionMetrics.recall(MetricTarget.macroAverageTarget(), cm);
            case VAL_BALANCED_ERROR_RATE -> ConfusionMetrics.balancedErrorRate(cm);
            case VAL_AUC -> averageAUCROC(cm, predictions, false);
            case VAL_WEIGHTED_AUC -> averageAUCROC(cm, predictions, true);
            default -> throw new IllegalArgumentException("Monitor " + monitor.getKey() + " is not a classification metric");
        };
    }

    /** Tribuo's {@code LabelEvaluation.averageAUCROC}: one-vs-rest AUC per label, averaged (weighted by support). */
    private static double averageAUCROC(LabelConfusionMatrix cm, List<Prediction<Label>> predictions, boolean weighted) {
        double sum = 0.0;
        double weightSum = 0.0;
        for (Label l : cm.getDomain().getDomain()) {
            double weight = weighted ? cm.support(l) : 1.0;
            sum += weight * LabelMetrics.AUCROC(l, predictions);
            weightSum += weight;
        }
        return sum / weightSum;
    }

    /** Scores in label-id order, the arg-max (first of ties) as the predicted label. */
    @Override
    List<Prediction<Label>> predictions(float[] probs, List<? extends Example<Label>> examples, int[] active) {
        int c = units();
        List<Prediction<Label>> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            Map<String, Label> scores = new LinkedHashMap<>();
            for (int j = 0; j < c; j++) {
                scores.put(names[j], new Label(names[j], probs[i * c + j]));
            }
            int best = argMax(probs, i * c, c);
            @SuppressWarnings("unchecked")
            Example<Label> ex = (Example<Label>) examples.get(i);
            out.add(new Prediction<>(new Label(names[best], probs[i * c + best]), scores, active[i], ex, true));
        }
        return out;
    }

    /** The first index of the largest of {@code v[offset, offset + n)}. */
    private static int argMax(float[] v, int offset, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[offset + j] > v[offset + best]) {
                best = j;
            }
        }
        return best;
    }
}
