package dev.regula.mlp;

import dev.regula.augment.Augmentation;
import dev.regula.augment.FittedStandardization;
import dev.regula.augment.ImageAugmenter;
import dev.regula.augment.Standardization;
import dev.regula.data.ImageGeometry;
import dev.regula.nn.Blas;
import dev.regula.nn.Network;
import dev.regula.nn.NetworkTrainer;
import org.jspecify.annotations.Nullable;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.provenance.ModelProvenance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The dense training and validation matrices of one training run, how minibatches are filled from them, and the
 * end-of-epoch evaluation.
 */
final class TrainingData {
    final DenseData train;
    final @Nullable DenseData validation;
    private final @Nullable List<Example<Label>> validationExamples;
    private @Nullable FittedStandardization batchTransform;
    private @Nullable ImageAugmenter augmenter;
    private @Nullable SplittableRandom augmentRng;
    private int[] pixelOf = new int[0];
    private float[] imageIn = new float[0];
    private float[] imageOut = new float[0];
    private float[] scratch = new float[0];
    private @Nullable Blas blas;

    private TrainingData(DenseData train, @Nullable DenseData validation, @Nullable List<Example<Label>> validationExamples) {
        this.train = train;
        this.validation = validation;
        this.validationExamples = validationExamples;
    }

    /**
     * Converts the data and splits off validation rows.
     * @param examples the training dataset.
     * @param explicitValidation an explicit validation dataset, or null.
     * @param validationFraction the fraction of each label's examples to hold out when no explicit set is given.
     * @param splitRng the random source of the split.
     */
    static TrainingData prepare(Dataset<Label> examples, @Nullable Dataset<Label> explicitValidation, double validationFraction,
                                SplittableRandom splitRng, ImmutableFeatureMap fmap, ImmutableOutputInfo<Label> labels) {
        List<Example<Label>> all = examples.getData();
        FeatureIndex features = FeatureIndex.of(fmap);
        if (explicitValidation != null) {
            if (explicitValidation.size() == 0) {
                throw new IllegalArgumentException("The validation dataset is empty");
            }
            List<Example<Label>> val = explicitValidation.getData();
            return new TrainingData(DenseData.of(all, "training example", features, labels, true),
                    DenseData.of(val, "validation example", features, labels, true), val);
        }
        if (validationFraction == 0) {
            return new TrainingData(DenseData.of(all, "training example", features, labels, true), null, null);
        }
        boolean[] held = stratifiedHoldOut(all, labels, validationFraction, splitRng);
        List<Example<Label>> tr = new ArrayList<>();
        List<Example<Label>> va = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (held[i] ? va : tr).add(all.get(i));
        }
        if (tr.isEmpty() || va.isEmpty()) {
            throw new IllegalArgumentException("validationFraction " + validationFraction + " of " + all.size()
                    + " examples leaves " + tr.size() + " for training and " + va.size() + " for validation; both need at least one");
        }
        return new TrainingData(DenseData.of(tr, "training example", features, labels, true),
                DenseData.of(va, "validation example", features, labels, true), va);
    }

    /**
     * Marks round(fraction × n_c) random examples of every label c as held out; the draw depends only on the
     * labels' order in the dataset and the random source.
     */
    static boolean[] stratifiedHoldOut(List<Example<Label>> all, ImmutableOutputInfo<Label> labels, double fraction,
                                       SplittableRandom rng) {
        List<List<Integer>> byLabel = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            byLabel.add(new ArrayList<>());
        }
        for (int i = 0; i < all.size(); i++) {
            byLabel.get(labels.getID(all.get(i).getOutput())).add(i);
        }
        boolean[] held = new boolean[all.size()];
        for (List<Integer> idx : byLabel) {
            int[] a = idx.stream().mapToInt(Integer::intValue).toArray();
            shuffle(a, rng);
            int k = (int) Math.round(fraction * a.length);
            for (int j = 0; j < k; j++) {
                held[a[j]] = true;
            }
        }
        return held;
    }

    private int[] activeCounts() {
        int[] active = new int[validationExamples.size()];
        for (int i = 0; i < active.length; i++) {
            active[i] = validationExamples.get(i).size();
        }
        return active;
    }

    /**
     * Fits the standardization on the training rows (never on validation) and applies it: to all training rows now
     * when {@code transformNow}, otherwise to every minibatch after augmentation. Validation rows are transformed now.
     * @return the fitted transform, or null if none.
     */
    @Nullable FittedStandardization standardize(@Nullable Standardization spec, boolean transformNow, Blas blas) {
        if (spec == null || spec.isIdentity()) {
            return null;
        }
        FittedStandardization fitted = spec.fit(train.x, train.rows, train.cols, blas);
        if (validation != null) {
            fitted.apply(validation.x, validation.x, validation.rows, blas);
        }
        if (transformNow) {
            fitted.apply(train.x, train.x, train.rows, blas);
        } else {
            batchTransform = fitted;
            this.blas = blas;
        }
        return fitted;
    }

    /**
     * Switches minibatch filling to fresh random transforms of every image in every epoch: each row is scattered
     * onto the pixel grid (features absent from the feature map stay 0), transformed, and gathered back.
     */
    void augmentEveryEpoch(Augmentation augmentation, ImageGeometry geometry, ImmutableFeatureMap fmap,
                           SplittableRandom rng, Blas blas) {
        this.augmenter = augmentation.newAugmenter(geometry);
        this.augmentRng = rng;
        this.pixelOf = dev.regula.data.PixelFeatures.indices(geometry, fmap);
        this.imageIn = new float[geometry.getSize()];
        this.imageOut = new float[geometry.getSize()];
        this.blas = blas;
    }

    static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Fisher–Yates shuffle in place. */
    static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * Copies the training rows {@code order[start .. start+max)} into a minibatch.
     * @return the number of rows written.
     */
    int fillBatch(int[] order, int start, int max, float[] batchX, int[] batchY) {
        int rows = Math.min(max, train.rows - start);
        int d = train.cols;
        for (int r = 0; r < rows; r++) {
            int src = order[start + r];
            if (augmenter == null) {
                System.arraycopy(train.x, src * d, batchX, r * d, d);
            } else {
                augmentRow(src * d, batchX, r * d);
            }
            batchY[r] = train.y[src];
        }
        if (batchTransform != null) {
            if (scratch.length < rows * d) {
                scratch = new float[max * d];
            }
            batchTransform.apply(batchX, batchX, rows, blas, scratch);
        }
        return rows;
    }

    private void augmentRow(int srcOffset, float[] batchX, int dstOffset) {
        int d = train.cols;
        Arrays.fill(imageIn, 0f);
        for (int j = 0; j < d; j++) {
            imageIn[pixelOf[j]] = train.x[srcOffset + j];
        }
        augmenter.augment(imageIn, 0, imageOut, 0, augmentRng);
        for (int j = 0; j < d; j++) {
            batchX[dstOffset + j] = imageOut[pixelOf[j]];
        }
    }

    /** Builds the epoch's record: training statistics, validation metrics and the monitored value. */
    EpochRecord evaluate(int epoch, NetworkTrainer steps, Network net, Blas blas, @Nullable Monitor monitor,
                         ModelProvenance provenance, ImmutableFeatureMap fmap, ImmutableOutputInfo<Label> labels,
                         double trainSeconds) {
        long start = System.nanoTime();
        double loss = steps.epochCrossEntropy() + steps.epochPenalty();
        double accuracy = steps.epochAccuracy();
        double valLoss = Double.NaN;
        double valAccuracy = Double.NaN;
        double monitorValue = Double.NaN;
        if (validation != null) {
            int c = labels.size();
            float[] probs = new float[validation.rows * c];
            net.predictProbabilities(validation.x, validation.rows, probs, blas);
            double ce = 0;
            int correct = 0;
            for (int i = 0; i < validation.rows; i++) {
                int o = i * c;
                int arg = 0;
                for (int j = 1; j < c; j++) {
                    if (probs[o + j] > probs[o + arg]) {
                        arg = j;
                    }
                }
                if (arg == validation.y[i]) {
                    correct++;
                }
                ce -= Math.log(Math.max(probs[o + validation.y[i]], Float.MIN_NORMAL));
            }
            valLoss = ce / validation.rows + steps.penalty();
            valAccuracy = (double) correct / validation.rows;
            if (monitor != null && monitor.isTribuoMetric()) {
                monitorValue = monitor.compute(new LabelEvaluator().evaluate(
                        new MLPModel("validation-snapshot", provenance, fmap, labels, null, net,
                                new TrainingHistory(List.of(), null, 0, StopReason.COMPLETED, "", false, 0)),
                        MLPModel.toPredictions(probs, validationExamples, activeCounts(), labels), provenance.getDatasetProvenance()));
            }
        }
        if (monitor != null && !monitor.isTribuoMetric()) {
            switch (monitor) {
                case LOSS: monitorValue = loss; break;
                case ACCURACY: monitorValue = accuracy; break;
                case VAL_LOSS: monitorValue = valLoss; break;
                case VAL_ACCURACY: monitorValue = valAccuracy; break;
                default: throw new IllegalStateException("Unhandled monitor " + monitor);
            }
        }
        double seconds = trainSeconds + (System.nanoTime() - start) / 1e9;
        return new EpochRecord(epoch, loss, steps.epochPenalty(), accuracy, valLoss, valAccuracy, monitorValue,
                steps.learningRate(), seconds);
    }
}
