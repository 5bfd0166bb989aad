package dev.regula.augment;

import dev.regula.data.ImageGeometry;
import dev.regula.nn.Backends;
import dev.regula.nn.Blas;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On real Fashion-MNIST (skipped when the files are absent): fits ZCA on 7,000 images, checks that whitening
 * decorrelates held-out images, and writes the preview grid of {@code docs/augmentation.md} (to
 * {@code target/augmentation-preview.png}, or to the path in the system property {@code regula.preview.out}).
 * The speed of the augmentation and whitening kernels is measured by the JMH benchmarks, not here.
 */
class FashionMnistPreviewTest {
    private static final Path TRAIN = Paths.get("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");

    /** Reads the first {@code n} images of an IDX3 unsigned-byte file, scaled to [0, 1]. */
    static float[] readImages(Path path, int n) throws IOException {
        try (InputStream raw = Files.newInputStream(path);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            int magic = in.readInt();
            if (magic != 0x0803) {
                throw new IOException("Not an IDX3 ubyte file: magic " + Integer.toHexString(magic));
            }
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            int take = Math.min(n, count);
            byte[] bytes = new byte[take * rows * cols];
            in.readFully(bytes);
            float[] x = new float[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                x[i] = (bytes[i] & 0xFF) / 255f;
            }
            return x;
        }
    }

    @Test
    void whitensHeldOutImagesAndWritesThePreview() throws IOException {
        Assumptions.assumeTrue(Files.exists(TRAIN), "Fashion-MNIST not available");
        int d = 784;
        int fitted = 7000;
        int heldOut = 2000;
        float[] x = readImages(TRAIN, fitted + heldOut);
        Blas blas = Backends.get();
        Standardization zca = Standardization.builder().zcaWhitening(true).zcaEpsilon(1e-2).build();
        InputTransform small = zca.fit(x, fitted, d, blas);
        float[] test = new float[heldOut * d];
        System.arraycopy(x, fitted * d, test, 0, test.length);
        double before = meanAbsoluteCorrelationOfNeighbours(test, heldOut, 28);
        small.apply(test, test, heldOut, blas);
        double after = meanAbsoluteCorrelationOfNeighbours(test, heldOut, 28);
        // Neighbouring pixels of clothing images are strongly correlated; ZCA (ε = 0.01) must remove most of it
        // on images it was not fitted on.
        assertTrue(before > 0.7, "raw neighbouring pixels correlate: " + before);
        assertTrue(after < 0.5 * before, "whitened neighbours: " + after + " against " + before + " before");

        ImageGeometry g = ImageGeometry.of(28, 28, 1);
        ImageAugmenter aug = Augmentation.builder().rotationRange(15).widthShiftRange(0.1).heightShiftRange(0.1)
                .shearRange(10).zoomRange(0.15).horizontalFlip(true).build().newAugmenter(g);
        SplittableRandom rng = new SplittableRandom(2018);
        int cols = 10;
        List<float[]> originals = new ArrayList<>();
        List<float[]> augmented = new ArrayList<>();
        List<float[]> augmented2 = new ArrayList<>();
        List<float[]> whitened = new ArrayList<>();
        float[] wbuf = new float[cols * d];
        for (int i = 0; i < cols; i++) {
            float[] img = new float[d];
            System.arraycopy(x, i * d, img, 0, d);
            originals.add(img);
            float[] a1 = new float[d];
            aug.augment(img, 0, a1, 0, rng);
            augmented.add(a1);
            float[] a2 = new float[d];
            aug.augment(img, 0, a2, 0, rng);
            assertFalse(java.util.Arrays.equals(a1, a2), "two draws of image " + i + " must differ");
            augmented2.add(a2);
            System.arraycopy(img, 0, wbuf, i * d, d);
        }
        small.apply(wbuf, wbuf, cols, blas);
        for (int i = 0; i < cols; i++) {
            float[] w = new float[d];
            System.arraycopy(wbuf, i * d, w, 0, d);
            whitened.add(w);
        }
        String out = System.getProperty("regula.preview.out", "target/augmentation-preview.png");
        File file = new File(out);
        if (file.getParentFile() != null) {
            file.getParentFile().mkdirs();
        }
        ImagePreview.write(List.of(originals, augmented, augmented2, whitened), g, 3, file);
        assertTrue(file.length() > 1000);
    }

    /**
     * The mean absolute Pearson correlation between horizontally adjacent pixels of the central 14×14 region,
     * over {@code n} images of {@code side}×{@code side} (pixels constant over the sample are skipped).
     */
    private static double meanAbsoluteCorrelationOfNeighbours(float[] x, int n, int side) {
        double total = 0;
        int pairs = 0;
        for (int r = side / 4; r < 3 * side / 4; r++) {
            for (int c = side / 4; c < 3 * side / 4; c++) {
                int a = r * side + c;
                int b = a + 1;
                double ma = 0, mb = 0;
                for (int i = 0; i < n; i++) {
                    ma += x[i * side * side + a];
                    mb += x[i * side * side + b];
                }
                ma /= n;
                mb /= n;
                double sab = 0, saa = 0, sbb = 0;
                for (int i = 0; i < n; i++) {
                    double da = x[i * side * side + a] - ma;
                    double db = x[i * side * side + b] - mb;
                    sab += da * db;
                    saa += da * da;
                    sbb += db * db;
                }
                if (saa > 0 && sbb > 0) {
                    total += Math.abs(sab / Math.sqrt(saa * sbb));
                    pairs++;
                }
            }
        }
        return total / pairs;
    }
}
