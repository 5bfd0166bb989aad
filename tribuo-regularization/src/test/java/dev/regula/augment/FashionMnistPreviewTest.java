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

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On real Fashion-MNIST (skipped when the files are absent): times the ZCA fit on 7,000 and 42,000 images and
 * writes the preview grid (to {@code target/augmentation-preview.png}, or to the path in the system property
 * {@code regula.preview.out}).
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
    void zcaTimingAndPreview() throws IOException {
        Assumptions.assumeTrue(Files.exists(TRAIN), "Fashion-MNIST not available");
        int d = 784;
        float[] x = readImages(TRAIN, 42000);
        int n = x.length / d;
        Blas blas = Backends.get();
        Standardization zca = Standardization.builder().zcaWhitening(true).zcaEpsilon(1e-2).build();
        long t0 = System.nanoTime();
        FittedStandardization small = zca.fit(x, 7000, d, blas);
        double tSmall = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        zca.fit(x, n, d, blas);
        double tLarge = (System.nanoTime() - t0) / 1e9;
        System.out.printf("ZCA fit (%s, %d threads): 7000x784 %.2f s, %dx784 %.2f s%n", blas.name(), blas.threads(), tSmall, n, tLarge);
        assertTrue(tLarge < 60, "ZCA fit too slow: " + tLarge);

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
}
