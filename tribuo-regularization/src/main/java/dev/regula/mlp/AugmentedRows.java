package dev.regula.mlp;

import dev.regula.augment.InputTransform;
import dev.regula.augment.ImageAugmenter;
import dev.regula.nn.Blas;
import dev.regula.nn.NetworkTrainer;
import org.jspecify.annotations.Nullable;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Training rows augmented afresh every time they are gathered (Keras {@code ImageDataGenerator.flow}): each row
 * is scattered onto the pixel grid (pixels absent from the feature map stay 0), randomly transformed, gathered
 * back, and then — since the transform must see augmented pixels — the fitted input transform is applied to the
 * whole minibatch.
 */
final class AugmentedRows implements BatchSource {
    private final DenseRows rows;
    private final ImageAugmenter augmenter;
    private final int[] pixelOf;
    private final @Nullable InputTransform inputTransform;
    private final SplittableRandom rng;
    private final Blas blas;
    private final float[] imageIn;
    private final float[] imageOut;
    private float[] scratch = new float[0];
    private float[] batch = new float[0];

    /**
     * @param rows the raw training rows.
     * @param augmenter the image kernel.
     * @param pixelOf the pixel index of each feature id.
     * @param inputTransform the fitted input transform applied after augmentation, or null.
     * @param rng the random source of the transforms.
     * @param blas the BLAS backend of the input transform.
     */
    AugmentedRows(DenseRows rows, ImageAugmenter augmenter, int[] pixelOf, @Nullable InputTransform inputTransform,
                  SplittableRandom rng, Blas blas) {
        this.rows = rows;
        this.augmenter = augmenter;
        this.pixelOf = pixelOf;
        this.inputTransform = inputTransform;
        this.rng = rng;
        this.blas = blas;
        this.imageIn = new float[augmenter.getGeometry().getSize()];
        this.imageOut = new float[imageIn.length];
    }

    @Override
    public int rows() {
        return rows.rows();
    }

    @Override
    public int cols() {
        return rows.cols();
    }

    @Override
    public double step(NetworkTrainer steps, int[] order, int start, int count, float[] y, float @Nullable [] weights) {
        if (batch.length < count * rows.cols) {
            batch = new float[count * rows.cols];
        }
        gather(order, start, count, batch);
        return steps.step(batch, y, weights, count);
    }

    /**
     * Writes the augmented, transformed rows {@code order[start .. start + count)} into a dense minibatch.
     * @param order the epoch's row order.
     * @param start the first position in {@code order}.
     * @param count the number of rows.
     * @param batch the minibatch, at least {@code count × cols()} values.
     */
    void gather(int[] order, int start, int count, float[] batch) {
        int d = rows.cols;
        for (int r = 0; r < count; r++) {
            int src = order[start + r] * d;
            Arrays.fill(imageIn, 0f);
            for (int j = 0; j < d; j++) {
                imageIn[pixelOf[j]] = rows.x[src + j];
            }
            augmenter.augment(imageIn, 0, imageOut, 0, rng);
            for (int j = 0; j < d; j++) {
                batch[r * d + j] = imageOut[pixelOf[j]];
            }
        }
        if (inputTransform != null) {
            if (scratch.length < count * d) {
                scratch = new float[batch.length];
            }
            inputTransform.apply(batch, batch, count, blas, scratch);
        }
    }
}
