package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.regula.nn.OutputLoss;
import dev.regula.nn.SigmoidCrossEntropy;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.ConfusionMetrics;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.multilabel.evaluation.MultiLabelMetrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Multi-label classification: one sigmoid output unit per label, binary cross-entropy against 0/1 targets, and a
 * label predicted when its probability exceeds the threshold ({@code >}, as Tribuo's linear multi-label models
 * decide). Predictions carry every label's probability. Validation metrics are computed with Tribuo's functions
 * from per-label counts, as {@code MultiLabelEvaluator}'s confusion matrix counts them.
 */
final class MultiLabelHead extends OutputHead<MultiLabel> {
    private final double threshold;
    private final String[] names;

    MultiLabelHead(ImmutableOutputInfo<MultiLabel> outputs, double threshold) {
        super(outputs);
        this.threshold = threshold;
        this.names = new String[outputs.size()];
        for (Pair<Integer, MultiLabel> p : outputs) {
            names[p.getA()] = p.getB().getLabelString();
        }
    }

    /** @return the decision threshold. */
    double threshold() {
        return threshold;
    }

    @Override
    OutputLoss loss() {
        return SigmoidCrossEntropy.withThreshold(threshold);
    }

    @Override
    int units() {
        return names.length;
    }

    @Override
    void checkTrainable(Dataset<MultiLabel> examples) {
        if (outputs.size() == 0) {
            throw new IllegalArgumentException("The training data has no labels at all; a multi-label network needs "
                    + "at least one label on some example");
        }
    }

    /** Random validation splits: one stratum. */
    @Override
    int strata() {
        return 1;
    }

    @Override
    int stratum(Example<MultiLabel> example) {
        return 0;
    }

    @Override
    void encode(Example<MultiLabel> example, String what, int index, float[] targets, int offset) {
        for (Label l : example.getOutput().getLabelSet()) {
            int id = outputs.getID(new MultiLabel(l.getLabel()));
            if (id < 0) {
                throw new IllegalArgumentException(what + " " + index + " has label '" + l.getLabel()
                        + "', which is not among the training labels " + outputs.getDomain());
            }
            targets[offset + id] = 1f;
        }
    }

    /** Subset accuracy: the share of rows whose every label decision matches its target. */
    @Override
    double accuracy(float[] predictions, float[] targets, int rows) {
        int c = units();
        int correct = 0;
        for (int i = 0; i < rows; i++) {
            boolean all = true;
            for (int j = i * c; j < (i + 1) * c && all; j++) {
                all = (predictions[j] > threshold) == (targets[j] > 0.5f);
            }
            if (all) {
                correct++;
            }
        }
        return (double) correct / rows;
    }

    @Override
    double metric(Monitor monitor, List<Prediction<MultiLabel>> predictions) {
        if (monitor == Monitor.VAL_JACCARD) {
            return MultiLabelMetrics.jaccardScore(predictions);
        }
        int c = units();
        double[] tp = new double[c];
        double[] fp = new double[c];
        double[] fn = new double[c];
        for (Prediction<MultiLabel> p : predictions) {
            Set<Label> truth = p.getExample().getOutput().getLabelSet();
            Set<Label> predicted = p.getOutput().getLabelSet();
            for (Label l : predicted) {
                (truth.contains(l) ? tp : fp)[outputs.getID(new MultiLabel(l.getLabel()))]++;
            }
            for (Label l : truth) {
                if (!predicted.contains(l)) {
                    fn[outputs.getID(new MultiLabel(l.getLabel()))]++;
                }
            }
        }
        return switch (monitor) {
            case VAL_MACRO_F1 -> macro(tp, fp, fn, false);
            case VAL_MACRO_PRECISION -> macroOf(tp, fp, fn, 1);
            case VAL_MACRO_RECALL -> macroOf(tp, fp, fn, 2);
            case VAL_BALANCED_ERROR_RATE -> 1d - macroOf(tp, fp, fn, 2);
            case VAL_MICRO_F1 -> macro(tp, fp, fn, true);
            default -> throw new IllegalArgumentException("Monitor " + monitor.getKey() + " is not a multi-label metric");
        };
    }

    /** Macro F1 (per label, averaged in the domain's order) or micro F1 (pooled counts), as Tribuo averages. */
    private double macro(double[] tp, double[] fp, double[] fn, boolean micro) {
        if (micro) {
            double t = 0, f = 0, n = 0;
            for (MultiLabel l : outputs.getDomain()) {
                int id = outputs.getID(l);
                t += tp[id];
                f += fp[id];
                n += fn[id];
            }
            return t + n == 0 ? Double.NaN : ConfusionMetrics.f1(t, f, 0, n);
        }
        return macroOf(tp, fp, fn, 0);
    }

    /** The mean over labels (in the domain's order) of F1 (0), precision (1) or recall (2). */
    private double macroOf(double[] tp, double[] fp, double[] fn, int which) {
        double total = 0d;
        for (MultiLabel l : outputs.getDomain()) {
            int id = outputs.getID(l);
            total += switch (which) {
                case 0 -> ConfusionMetrics.f1(tp[id], fp[id], 0, fn[id]);
                case 1 -> ConfusionMetrics.precision(tp[id], fp[id], 0, fn[id]);
                default -> ConfusionMetrics.recall(tp[id], fp[id], 0, fn[id]);
            };
        }
        return total / outputs.size();
    }

    /** The labels above the threshold as the predicted set, every label's probability as its score. */
    @Override
    List<Prediction<MultiLabel>> predictions(float[] probs, List<? extends Example<MultiLabel>> examples, int[] active) {
        int c = units();
        List<Prediction<MultiLabel>> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            Map<String, MultiLabel> scores = new HashMap<>();
            Set<Label> predicted = new HashSet<>();
            for (int j = 0; j < c; j++) {
                Label score = new Label(names[j], probs[i * c + j]);
                if (probs[i * c + j] > threshold) {
                    predicted.add(score);
                }
                scores.put(names[j], new MultiLabel(score));
            }
            @SuppressWarnings("unchecked")
            Example<MultiLabel> ex = (Example<MultiLabel>) examples.get(i);
            out.add(new Prediction<>(new MultiLabel(predicted), scores, active[i], ex, true));
        }
        return out;
    }
}
