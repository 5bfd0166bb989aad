package dev.regula.mlp;

import dev.regula.augment.InputTransform;
import dev.regula.augment.ImageAugmenter;
import dev.regula.augment.RandomErasing;
import dev.regula.data.ImageGeometry;
import dev.regula.nn.Blas;
import dev.regula.nn.NetworkTrainer;
import org.jspecify.annotations.Nullable;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Training rows augmented afresh every time they are gathered (Keras {@code ImageDataGenerator.flow}): each row
 * is scattered onto the pixel grid (pixels absent from the feature map stay 0), randomly transformed, gathered
 * back, and then — since the transform must see augmented pixels — the fitted input transform is applied to the
 * whole minibatch. Random erasing, if configured, comes after the random transforms, from a stream of its own.
 */
final class AugmentedRows implements BatchSource {
    private final DenseRows rows;
    private final @Nullable ImageAugmenter augmenter;
    private final @Nullable RandomErasing erasing;
    private final ImageGeometry geometry;
    private final @Nullable SplittableRandom erasingRng;
    private final int[] pixelOf;
    private final @Nullable InputTransform inputTransform;
    private final SplittableRandom rng;
    private final Blas blas;
    private final float[] imageIn;
    private final float[] imageOut;
    private float[] scratch = new float[0];
    /** The number of images augmented so far: each consumes the same draws ({@link ImageAugmenter#drawParams}). */
    private long augmented;
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
        this(rows, augmenter, null, augmenter.getGeometry(), null, pixelOf, inputTransform, rng, blas);
    }

    /**
     * Rows with random transforms, random erasing after them, or both.
     * @param rows the raw training rows.
     * @param augmenter the image kernel, or null for no random transform.
     * @param erasing random erasing applied after the transforms, or null.
     * @param geometry the images' geometry.
     * @param erasingRng the random source of the erasing (apart from the transforms'), or null without erasing.
     * @param pixelOf the pixel index of each feature id.
     * @param inputTransform the fitted input transform applied after augmentation, or null.
     * @param rng the random source of the transforms.
     * @param blas the BLAS backend of the input transform.
     */
    AugmentedRows(DenseRows rows, @Nullable ImageAugmenter augmenter, @Nullable RandomErasing erasing,
                  ImageGeometry geometry, @Nullable SplittableRandom erasingRng, int[] pixelOf,
                  @Nullable InputTransform inputTransform, SplittableRandom rng, Blas blas) {
        if (erasing != null && erasingRng == null) {
            throw new IllegalArgumentException("random erasing needs its random stream");
        }
        this.rows = rows;
        this.augmenter = augmenter;
        this.erasing = erasing;
        this.geometry = geometry;
        this.erasingRng = erasingRng;
        this.pixelOf = pixelOf;
        this.inputTransform = inputTransform;
        this.rng = rng;
        this.blas = blas;
        this.imageIn = new float[geometry.getSize()];
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
            if (augmenter != null) {
                augmenter.augment(imageIn, 0, imageOut, 0, rng);
                augmented++;
            } else {
                System.arraycopy(imageIn, 0, imageOut, 0, imageIn.length);
            }
            if (erasing != null) {
                erasing.erase(imageOut, 0, geometry, erasingRng);
            }
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

    /** @return the number of images augmented, each one transform's draws. */
    @Override
    public long randomDraws() {
        return augmented;
    }

    /** Draws (and discards) the transforms of as many images as the saved run had augmented. */
    @Override
    public void skipRandomDraws(long draws) {
        if (draws < 0 || augmented != 0) {
            throw new IllegalArgumentException("cannot skip " + draws + " augmentation draws on a source that has drawn "
                    + augmented);
        }
        for (long i = 0; i < draws; i++) {
            augmenter.drawParams(rng);
        }
        augmented = draws;
    }
}
