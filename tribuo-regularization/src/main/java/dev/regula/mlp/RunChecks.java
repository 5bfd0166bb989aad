package dev.regula.mlp;

import dev.regula.nn.LayerSpec;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Output;

import java.util.List;
import java.util.logging.Logger;

/**
 * The checks of one training run that refuse or warn before work is wasted: data a network cannot be trained on,
 * a network that would not fit in the heap, and unscaled features.
 */
final class RunChecks {
    private RunChecks() {}

    /** Inputs beyond this magnitude draw the unscaled-features warning. */
    static final double UNSCALED = 100;

    /**
     * Warns when the training features, untransformed, reach magnitudes that make networks train poorly (Keras and
     * scikit-learn both expect roughly unit-scale inputs), naming the largest feature and the remedy.
     */
    static void warnIfUnscaled(InputRows train, ImmutableFeatureMap fmap, Logger logger) {
        double largest = train.maxAbs();
        int worst = largest > UNSCALED ? train.maxAbsColumn() : -1;
        if (worst >= 0) {
            logger.warning(String.format(java.util.Locale.ROOT, "the training features "
                    + "reach |x| = %.4g (feature '%s'); networks train poorly on unscaled features: standardize them "
                    + "with standardization(MLPTrainerBuilder.featurewiseStandardization()) (the builder's default), "
                    + "fitted on the training split and baked into the model", largest, fmap.get(worst).getName()));
        }
    }

    /** Fewer optimiser steps than this in a whole run draw the under-training warning. */
    static final long FEW_STEPS = 500;

    /**
     * Warns when the whole run has fewer than {@value #FEW_STEPS} optimiser steps (e.g. the bare configuration of a
     * configuration file, 10 epochs of minibatches of 128, on a few hundred rows: about 40 steps), naming the
     * count and the remedies.
     * @return whether it warned.
     */
    static boolean warnIfFewSteps(int rows, int batchSize, int epochs, Logger logger) {
        long perEpoch = (rows + (long) batchSize - 1) / batchSize;
        long steps = perEpoch * epochs;
        if (steps >= FEW_STEPS) {
            return false;
        }
        logger.warning(String.format(java.util.Locale.ROOT, "this run takes at most %,d optimiser steps (%d epochs of "
                + "%d minibatches of %d rows); a network rarely trains in fewer than %d: raise epochs, lower "
                + "minibatchSize, or start from the builder's defaults (MLPTrainer.builder(): %d epochs of minibatches "
                + "of %d with a convergence stop)", steps, epochs, perEpoch, batchSize, FEW_STEPS,
                MLPTrainerBuilder.DEFAULT_EPOCHS, MLPTrainerBuilder.DEFAULT_MINIBATCH_SIZE));
        return true;
    }

    /** Heap bytes per parameter: weights, two optimiser slots, the gradient, and the initial and best copies. */
    private static final int BYTES_PER_PARAMETER = 4 * 6;

    /**
     * Refuses a network whose parameters and minibatch buffers would not fit in the heap left, before allocating
     * any of it, with what is asked, what is available and how to change either.
     */
    static void checkMemory(List<LayerSpec> specs, int batchSize) {
        long parameters = 0;
        long activations = 0;
        for (LayerSpec s : specs) {
            parameters += (long) s.inputs() * s.units() + s.units();
            if ((long) batchSize * Math.max(s.inputs(), s.units()) <= Integer.MAX_VALUE - 8) { // else NetworkTrainer refuses
                activations += 4L * 4 * batchSize * s.units(); // pre-activations, outputs, mask, deltas
            }
        }
        long needed = parameters * BYTES_PER_PARAMETER + activations;
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (needed > available) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "The network needs about %,d MB of heap "
                    + "(%,d parameters with their optimiser state and copies, and buffers for minibatches of %d) but "
                    + "about %,d MB are available: use fewer or narrower layers, a smaller minibatchSize, or a larger "
                    + "heap (-Xmx)", needed >> 20, parameters, batchSize, available >> 20));
        }
    }

    /** @return the feature names in id order. */
    static String[] featureNames(ImmutableFeatureMap fmap) {
        String[] names = new String[fmap.size()];
        for (int j = 0; j < names.length; j++) {
            names[j] = fmap.get(j).getName();
        }
        return names;
    }

    static <T extends Output<T>> void checkTrainable(Dataset<T> examples, OutputHead<T> head) {
        if (examples.size() == 0) {
            throw new IllegalArgumentException("Cannot train on an empty dataset");
        }
        if (examples.getFeatureIDMap().size() == 0) {
            throw new IllegalArgumentException("Cannot train on a dataset with no features");
        }
        head.checkTrainable(examples);
    }

}
