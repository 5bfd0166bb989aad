package dev.regula.examples.jmh;

import dev.regula.augment.Augmentation;
import dev.regula.augment.InputTransform;
import dev.regula.augment.ImageAugmenter;
import dev.regula.augment.Standardization;
import dev.regula.data.ImageGeometry;
import dev.regula.mlp.Regularizer;
import dev.regula.nn.Activation;
import dev.regula.nn.Backends;
import dev.regula.nn.Blas;
import dev.regula.nn.LayerSpec;
import dev.regula.nn.Network;
import dev.regula.nn.NetworkTrainer;
import dev.regula.nn.SoftmaxCrossEntropy;
import dev.regula.nn.Updater;
import dev.regula.nn.Updaters;
import dev.regula.nn.WeightInit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Kernels of one training step of the reference network (784 → 5×500 ReLU → 10, batch 128) on each backend,
 * inference, one image augmentation and the ZCA fit. Times are per operation; divide the FLOP counts in
 * {@code docs/performance.md} by them for GFLOP/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KernelBenchmarks {
    private static final int ZCA_IMAGES = 2000;

    /** BLAS backend under test. */
    @Param({"openblas", "java"})
    public String backend;

    /** BLAS threads. */
    @Param({"2"})
    public int threads;

    private Blas blas;
    private float[] a;
    private float[] b;
    private float[] c;
    private Network net;
    private NetworkTrainer trainer;
    private float[] batch;
    private float[] batchCopy;
    private float[] labels;
    private Updater adam;
    private float[][] params;
    private float[][] grads;
    private ImageAugmenter augmenter;
    private float[] image;
    private float[] augmented;
    private SplittableRandom rng;
    private float[] predictIn;
    private float[] predictOut;
    private Standardization zca;
    private float[] zcaImages;

    /** Allocates every buffer once. */
    @Setup(Level.Trial)
    public void setup() {
        blas = Backends.get(backend, threads);
        rng = new SplittableRandom(1);
        a = random(128 * 500);
        b = random(500 * 500);
        c = new float[128 * 500];
        List<LayerSpec> layers = new ArrayList<>();
        int in = 784;
        for (int l = 0; l < 5; l++) {
            layers.add(LayerSpec.dense(in, 500, Activation.RELU).withDropout(0.25).withKernelPenalty(Regularizer.l2(1e-4)));
            in = 500;
        }
        layers.add(LayerSpec.dense(500, 10, Activation.LINEAR));
        net = Network.initialise(0, layers, WeightInit.GLOROT_UNIFORM, new SplittableRandom(2));
        int[] sizes = NetworkTrainer.parameterSizes(net);
        trainer = new NetworkTrainer(net, 128, blas, Updaters.adam(sizes, 1e-4, 0.9, 0.999, 1e-7, 0),
                SoftmaxCrossEntropy.INSTANCE, new SplittableRandom(3));
        batch = random(128 * 784);
        batchCopy = new float[batch.length];
        labels = new float[128];
        for (int i = 0; i < 128; i++) {
            labels[i] = rng.nextInt(10);
        }
        adam = Updaters.adam(sizes, 1e-4, 0.9, 0.999, 1e-7, 0);
        params = new float[sizes.length][];
        grads = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            params[i] = random(sizes[i]);
            grads[i] = random(sizes[i]);
        }
        augmenter = Augmentation.builder().rotationRange(10).widthShiftRange(0.1).heightShiftRange(0.1).zoomRange(0.1)
                .build().newAugmenter(ImageGeometry.of(28, 28, 1));
        image = random(784);
        augmented = new float[784];
        predictIn = random(1024 * 784);
        predictOut = new float[1024 * 10];
        zca = Standardization.builder().zcaWhitening(true).zcaEpsilon(1e-2).build();
        zcaImages = random(ZCA_IMAGES * 784);
    }

    private float[] random(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() - 0.5);
        }
        return x;
    }

    /**
     * The hidden-layer forward product, 128×500 · 500×500 (64 MFLOP).
     * @return the output.
     */
    @Benchmark
    public float[] sgemm128x500x500() {
        blas.sgemm(false, false, 128, 500, 500, 1f, a, 500, b, 500, 0f, c, 500);
        return c;
    }

    /**
     * One complete training step of the reference network with dropout 0.25 and L2 (975 MFLOP of products).
     * @return the batch loss.
     */
    @Benchmark
    public double trainingStep() {
        System.arraycopy(batch, 0, batchCopy, 0, batch.length);
        return trainer.step(batchCopy, labels, 128);
    }

    /**
     * The Adam update over the reference network's 1.4 million parameters.
     * @return a parameter tensor.
     */
    @Benchmark
    public float[][] adamUpdate() {
        adam.beginStep();
        for (int i = 0; i < params.length; i++) {
            adam.update(i, params[i], grads[i], 0, params[i].length);
        }
        return params;
    }

    /**
     * Inference on 1,024 images.
     * @return the probabilities.
     */
    @Benchmark
    public float[] predict1024() {
        net.predict(predictIn, 1024, predictOut, blas, SoftmaxCrossEntropy.INSTANCE);
        return predictOut;
    }

    /**
     * One random augmentation (rotation, shifts, zoom) of a 28×28 image.
     * @return the augmented image.
     */
    @Benchmark
    public float[] augmentOneImage() {
        augmenter.augment(image, 0, augmented, 0, rng);
        return augmented;
    }

    /**
     * Fitting ZCA whitening on 2,000 images of 784 pixels: the 784×784 covariance in double precision and its
     * eigen-decomposition, once per training run.
     * @return the fitted transform.
     */
    @Benchmark
    public InputTransform zcaFit() {
        return zca.fit(zcaImages, ZCA_IMAGES, 784, blas);
    }
}
