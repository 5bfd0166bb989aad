package dev.regula.mlp;

import dev.regula.augment.InputTransform;
import dev.regula.augment.Standardization;
import dev.regula.data.Splits;
import dev.regula.nn.Blas;
import org.jspecify.annotations.Nullable;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Output;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The training and validation rows of one training run: examples converted once into inputs of the chosen kind
 * (dense or sparse rows) and encoded targets, with validation split off (stratified by the head's strata, seeded) or given explicitly, and the
 * input transform fitted on the training rows only.
 *
 * @param <T> the output type.
 */
final class TrainingSplit<T extends Output<T>> {
    /** The training rows. */
    final InputRows train;
    /** The training targets. */
    final Targets trainTargets;
    /** The validation data, or null if there is none. */
    final @Nullable Validation<T> validation;

    /**
     * Validation data: rows of the training rows' kind, targets and the examples themselves (for Tribuo metrics).
     * @param rows the rows, transformed like the model's inputs.
     * @param targets the targets.
     * @param examples the examples.
     * @param <T> the output type.
     */
    record Validation<T extends Output<T>>(InputRows rows, Targets targets, List<Example<T>> examples) {
        /** @return the number of features of each example, as predictions record it. */
        int[] activeCounts() {
            int[] active = new int[examples.size()];
            for (int i = 0; i < active.length; i++) {
                active[i] = examples.get(i).size();
            }
            return active;
        }
    }

    private TrainingSplit(InputRows train, Targets trainTargets, @Nullable Validation<T> validation) {
        this.train = train;
        this.trainTargets = trainTargets;
        this.validation = validation;
    }

    /**
     * Converts the data and splits off validation rows.
     * @param examples the training dataset.
     * @param explicitValidation an explicit validation dataset, or null.
     * @param validationFraction the fraction of each stratum held out when no explicit set is given.
     * @param splitRng the random source of the split.
     * @param features the feature index defining the input columns.
     * @param head the output head encoding the targets.
     * @param sparse whether to convert into sparse rows rather than dense ones.
     * @param <T> the output type.
     * @return the split.
     */
    static <T extends Output<T>> TrainingSplit<T> prepare(Dataset<T> examples, @Nullable Dataset<T> explicitValidation,
                                                          double validationFraction, SplittableRandom splitRng,
                                                          FeatureIndex features, OutputHead<T> head, boolean sparse) {
        List<Example<T>> all = examples.getData();
        if (explicitValidation != null) {
            if (explicitValidation.size() == 0) {
                throw new IllegalArgumentException("The validation dataset is empty");
            }
            return of(all, explicitValidation.getData(), features, head, sparse);
        }
        if (validationFraction == 0) {
            return of(all, null, features, head, sparse);
        }
        int[] stratum = new int[all.size()];
        for (int i = 0; i < stratum.length; i++) {
            stratum[i] = head.stratum(all.get(i));
        }
        boolean[] held = Splits.stratifiedHoldOut(stratum, head.strata(), validationFraction, splitRng);
        List<Example<T>> tr = new ArrayList<>();
        List<Example<T>> va = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (held[i] ? va : tr).add(all.get(i));
        }
        if (tr.isEmpty() || va.isEmpty()) {
            throw new IllegalArgumentException("validationFraction " + validationFraction + " of " + all.size()
                    + " examples leaves " + tr.size() + " for training and " + va.size() + " for validation; both need at least one");
        }
        return of(tr, va, features, head, sparse);
    }

    private static <T extends Output<T>> TrainingSplit<T> of(List<Example<T>> train, @Nullable List<Example<T>> validation,
                                                             FeatureIndex features, OutputHead<T> head, boolean sparse) {
        head.fitTargets(train);
        InputRows rows = rows(train, "training example", features, sparse);
        Targets targets = Targets.of(train, "training example", head, true);
        if (!(targets.totalWeight() > 0)) {
            throw new IllegalArgumentException("Every training example has weight 0 (example weights times label "
                    + "weights): there is nothing to train on");
        }
        Validation<T> val = validation == null ? null : new Validation<>(
                rows(validation, "validation example", features, sparse),
                Targets.of(validation, "validation example", head, false), validation);
        return new TrainingSplit<>(rows, targets, val);
    }

    private static InputRows rows(List<? extends Example<?>> examples, String what, FeatureIndex features, boolean sparse) {
        return sparse ? SparseRows.of(examples, what, features) : DenseRows.of(examples, what, features);
    }

    /**
     * Fits the standardization on the training rows (never on validation) and applies it to the validation rows,
     * and to the training rows too unless they are augmented (augmented rows are transformed batch by batch,
     * after augmentation). On sparse rows the fit is the sparse-safe one ({@link Standardization#fitSparse}:
     * scaling only, no centring).
     * @param spec the specification, or null.
     * @param augmented whether the training rows will be augmented.
     * @param blas the BLAS backend.
     * @return the fitted transform, or null if none.
     */
    @Nullable InputTransform standardize(@Nullable Standardization spec, boolean augmented, Blas blas) {
        if (spec == null || spec.isIdentity()) {
            return null;
        }
        InputTransform fitted = train instanceof SparseRows sparse ? spec.fitSparse(sparse.x)
                : spec.fit(((DenseRows) train).x, train.rows(), train.cols(), blas);
        if (fitted == null) {
            return null;
        }
        if (validation != null) {
            validation.rows().transform(fitted, blas);
        }
        if (!augmented) {
            train.transform(fitted, blas);
        }
        return fitted;
    }
}
