package dev.regula.mlp;

import dev.regula.nn.Network;
import dev.regula.nn.UpdaterState;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the epoch loop needs to continue a training run after epoch {@code epoch} exactly as it would have
 * gone on: the weights, the optimiser's state, how far each random stream has advanced, the history so far and
 * the early-stopping state with its best weights. What a {@link TrainingBackup} saves after an epoch.
 * <p>
 * The random streams are not saved as such (a {@code SplittableRandom} exposes no state): a resumed run derives
 * the same streams from the seed and advances them by the saved counts — dropout by its {@code nextLong} draws
 * per BLAS thread, augmentation by its transformed images, shuffling by replaying the epochs' shuffles, whose
 * result must equal the saved order.
 *
 * @param epoch the last completed epoch, &gt;= 1.
 * @param kernels the layers' kernels at the end of the epoch.
 * @param biases the layers' biases.
 * @param updater the optimiser's state.
 * @param dropoutDraws the draws of each BLAS thread's dropout stream.
 * @param inputDraws the draws of the input source (augmented images), 0 without augmentation.
 * @param order the row order of the epoch (the shuffling state).
 * @param records the history, one record per epoch so far.
 * @param bestValue early stopping's best monitored value, NaN if none.
 * @param bestEpoch early stopping's best epoch, 0 if none.
 * @param waited early stopping's wait counter.
 * @param bestKernels the kernels of the best epoch, or null if none was kept.
 * @param bestBiases the biases of the best epoch, or null if none was kept.
 * @param warnedGrowing whether the growing-loss warning was given.
 */
record TrainingState(int epoch, List<float[]> kernels, List<float[]> biases, UpdaterState updater, long[] dropoutDraws,
                     long inputDraws, int[] order, List<EpochRecord> records, double bestValue, int bestEpoch, int waited,
                     @Nullable List<float[]> bestKernels, @Nullable List<float[]> bestBiases, boolean warnedGrowing) {

    /**
     * Checks what a state must satisfy whatever wrote it.
     * @param epoch the last completed epoch.
     * @param kernels the kernels.
     * @param biases the biases.
     * @param updater the optimiser's state.
     * @param dropoutDraws the dropout draws per thread.
     * @param inputDraws the input source's draws.
     * @param order the row order.
     * @param records the history so far.
     * @param bestValue the best monitored value.
     * @param bestEpoch the best epoch.
     * @param waited the wait counter.
     * @param bestKernels the best kernels, or null.
     * @param bestBiases the best biases, or null.
     * @param warnedGrowing the warning flag.
     * @throws IllegalArgumentException if the records do not match the epoch or the weights do not pair up.
     */
    TrainingState {
        if (epoch < 1 || records.size() != epoch) {
            throw new IllegalArgumentException("a training state after epoch " + epoch + " holds " + records.size()
                    + " epoch records");
        }
        if (kernels.size() != biases.size() || (bestKernels == null) != (bestBiases == null)) {
            throw new IllegalArgumentException("a training state's kernels and biases do not pair up");
        }
        records = List.copyOf(records); // the loop's list goes on growing
    }

    /**
     * The parameters of a network.
     * @param net the network.
     * @return kernels (index 0) and biases (index 1), copies.
     */
    static List<List<float[]>> parameters(Network net) {
        List<float[]> k = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (int l = 0; l < net.getLayers().size(); l++) {
            k.add(net.getKernel(l));
            b.add(net.getBias(l));
        }
        return List.of(k, b);
    }

    /**
     * The saved weights as a network shaped like the given one.
     * @param like the running network.
     * @return the network of the saved weights.
     * @throws IllegalArgumentException if the shapes differ.
     */
    Network network(Network like) {
        return Network.of(like.getInputDropout(), like.getLayers(), kernels, biases);
    }

    /**
     * The saved best weights as a network shaped like the given one.
     * @param like the running network.
     * @return the network of the best epoch, or null if none was kept.
     */
    @Nullable Network bestNetwork(Network like) {
        return bestKernels == null ? null : Network.of(like.getInputDropout(), like.getLayers(), bestKernels, bestBiases);
    }
}
