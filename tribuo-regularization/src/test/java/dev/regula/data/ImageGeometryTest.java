package dev.regula.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ImageGeometryTest {

    private static final Path FASHION = Paths.get("/usr/share/datasets/fashion-mnist");

    /** Names of every feature IDXDataSource emits for a dense IDX file of the given geometry (no zero pixel). */
    private static TreeSet<String> idxNames(Path dir, ImageGeometry g) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        double[] image = new double[g.getSize()];
        Arrays.fill(image, 7);
        IdxFiles.writeImages(dir.resolve("i.idx"), g, List.of(image), false);
        IdxFiles.writeLabels(dir.resolve("l.idx"), new int[]{1}, false);
        IDXDataSource<Label> src = new IDXDataSource<>(dir.resolve("i.idx"), dir.resolve("l.idx"), new LabelFactory());
        TreeSet<String> names = new TreeSet<>();
        for (Feature f : src.iterator().next()) {
            names.add(f.getName());
        }
        return names;
    }

    @Test
    void namesMatchIdxDataSourceOnRealFashionMnist() throws IOException {
        Path images = FASHION.resolve("t10k-images-idx3-ubyte.gz");
        assumeTrue(images.toFile().isFile(), "Debian package dataset-fashion-mnist is not installed");
        IDXDataSource<Label> src = new IDXDataSource<>(images, FASHION.resolve("t10k-labels-idx1-ubyte.gz"), new LabelFactory());
        TreeSet<String> seen = new TreeSet<>();
        for (Example<Label> e : src) {
            for (Feature f : e) {
                seen.add(f.getName());
            }
        }
        ImageGeometry g = IdxFiles.geometry(images);
        assertEquals(ImageGeometry.of(28, 28, 1), g);
        // Every pixel is non-zero somewhere in the 10,000 test images, so all 784 names appear.
        assertEquals(new TreeSet<>(Arrays.asList(g.featureNames())), seen);
        assertEquals("000", g.featureName(0));
        assertEquals("783", g.featureName(783));
    }

    @Test
    void paddingFollowsDigitsOfSizeNotOfLargestIndex(@TempDir Path dir) throws IOException {
        // 1000 values: IDXDataSource uses 4 digits ("0000".."0999") although the largest index has 3.
        ImageGeometry thousand = ImageGeometry.of(10, 10, 10);
        assertEquals(new TreeSet<>(Arrays.asList(thousand.featureNames())), idxNames(dir.resolve("a"), thousand));
        assertEquals("0000", thousand.featureName(0));
        assertEquals("0999", thousand.featureName(999));
        // 100 values: 3 digits.
        ImageGeometry hundred = ImageGeometry.of(10, 10, 1);
        assertEquals(new TreeSet<>(Arrays.asList(hundred.featureNames())), idxNames(dir.resolve("b"), hundred));
        assertEquals("099", hundred.featureName(99));
        // 3x3x1: 9 values, 1 digit.
        ImageGeometry nine = ImageGeometry.of(3, 3, 1);
        assertEquals(new TreeSet<>(Arrays.asList(nine.featureNames())), idxNames(dir.resolve("c"), nine));
    }

    @Test
    void channelLastRowMajorIndexMatchesIdxLayout(@TempDir Path dir) throws IOException {
        ImageGeometry g = ImageGeometry.of(3, 2, 3);
        double[] image = new double[g.getSize()];
        image[g.index(2, 1, 1)] = 200; // x=2, y=1, green
        IdxFiles.writeImages(dir.resolve("i.idx"), g, List.of(image), false);
        IdxFiles.writeLabels(dir.resolve("l.idx"), new int[]{0}, false);
        Example<Label> e = new IDXDataSource<>(dir.resolve("i.idx"), dir.resolve("l.idx"), new LabelFactory()).iterator().next();
        assertEquals(1, e.size());
        assertEquals(g.featureName((1 * 3 + 2) * 3 + 1), e.iterator().next().getName());
        assertEquals(g, IdxFiles.geometry(dir.resolve("i.idx")));
    }

    @Test
    void pixelIndicesMapSparseFeatureIds(@TempDir Path dir) throws IOException {
        ImageGeometry g = ImageGeometry.of(4, 4, 1);
        List<double[]> images = new ArrayList<>();
        double[] a = new double[16];
        a[3] = 1;
        a[12] = 2;
        double[] b = new double[16];
        b[7] = 5;
        images.add(a);
        images.add(b);
        IdxFiles.writeImages(dir.resolve("i.idx"), g, images, false);
        IdxFiles.writeLabels(dir.resolve("l.idx"), new int[]{0, 1}, false);
        MutableDataset<Label> ds = new MutableDataset<>(new IDXDataSource<>(dir.resolve("i.idx"), dir.resolve("l.idx"), new LabelFactory()));
        ImmutableFeatureMap fmap = new ImmutableFeatureMap(ds.getFeatureMap());
        int[] pixels = PixelFeatures.indices(g, fmap);
        assertEquals(3, pixels.length);
        assertArrayEquals(new int[]{3, 7, 12}, new int[]{pixels[fmap.getID("03")], pixels[fmap.getID("07")], pixels[fmap.getID("12")]});
    }

    @Test
    void parseAndValidate() {
        assertEquals(ImageGeometry.of(28, 28, 1), ImageGeometry.parse("28x28x1"));
        assertEquals("32x16x3", ImageGeometry.of(32, 16, 3).toString());
        assertThrows(IllegalArgumentException.class, () -> ImageGeometry.parse("28x28"));
        assertThrows(IllegalArgumentException.class, () -> ImageGeometry.of(0, 28, 1));
        assertThrows(IllegalArgumentException.class, () -> ImageGeometry.of(28, 28, 1).featureName(784));
    }
}
