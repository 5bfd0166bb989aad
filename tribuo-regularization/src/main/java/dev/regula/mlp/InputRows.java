package dev.regula.mlp;

import dev.regula.augment.InputTransform;
import dev.regula.nn.Blas;
import dev.regula.nn.Network;
import dev.regula.nn.OutputLoss;

/**
 * Converted input rows of one input kind — {@link DenseRows} or {@link SparseRows} — as training minibatches
 * ({@link BatchSource}) and as the training run uses them besides: fitting and applying the input transform, the checks on their values, and the
 * validation predictions.
 */
sealed interface InputRows extends BatchSource permits DenseRows, SparseRows {
    /** @return the largest magnitude of any value. */
    double maxAbs();

    /** @return the column of a value of the largest magnitude, or −1 if every value is 0. */
    int maxAbsColumn();

    /**
     * Applies a fitted transform to these rows in place.
     * @param transform the transform (scale-only for sparse rows).
     * @param blas the backend.
     */
    void transform(InputTransform transform, Blas blas);

    /**
     * Refuses rows holding a non-finite value (after an input transform overflowed), naming the example and the
     * feature.
     * @param what a description for errors, e.g. "training example".
     * @param features the feature names by column.
     * @param stage where the values come from.
     */
    void requireFinite(String what, String[] features, String stage);

    /**
     * Training-time inference on every row ({@link Network#predict}).
     * @param net the network.
     * @param out the outputs, rows × units.
     * @param blas the backend.
     * @param head the output head's loss, whose activation is applied.
     */
    void predict(Network net, float[] out, Blas blas, OutputLoss head);
}
