package dev.regula.data;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import dev.regula.data.ImageFolderDataSource.AlphaMode;
import dev.regula.data.ImageFolderDataSource.ChannelMode;
import org.apache.commons.imaging.ImageFormats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.test.Helpers;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderDataSourceTest {

    private static final int N = 300;

    @TempDir
    static Path root;

    private static List<Example<Label>> idx;

    @BeforeAll
    static void exportEmbeddedImages() throws IOException {
        idx = TestImages.embeddedTest(N);
        ImageFolderWriter.writeReferenceTrain(idx, EmbeddedData.geometry(), root);
        ImageFolderWriter.writeReferenceTest(idx, EmbeddedData.geometry(), root);
    }

    private static List<Example<Label>> list(Iterable<Example<Label>> src) {
        List<Example<Label>> out = new ArrayList<>();
        src.forEach(out::add);
        return out;
    }

    private static List<String> names(Example<Label> e) {
        List<String> out = new ArrayList<>();
        for (Feature f : e) {
            out.add(f.getName());
        }
        return out;
    }

    @Test
    void sameImagesViaIdxAndPngGiveIdenticalExamples() throws IOException {
        ImageFolderDataSource png = ImageFolderDataSource.referenceTrain(root).scale(1.0).build();
        assertEquals(N, png.size());
        assertEquals(EmbeddedData.geometry(), png.getGeometry());
        assertTrue(png.hasLabels());
        List<Example<Label>> fromPng = list(png);
        List<String> allNames = List.of(EmbeddedData.geometry().featureNames());
        for (int i = 0; i < N; i++) {
            Example<Label> a = idx.get(i);
            Example<Label> b = fromPng.get(i);
            assertEquals(a.getOutput(), b.getOutput(), "label of image " + i);
            assertEquals(allNames, names(b), "PNG examples are dense with IDX names");
            // IDX names are a subset (the non-zero pixels): compare the full vectors.
            assertArrayEquals(IdxFiles.densify(a, png.getGeometry()), IdxFiles.densify(b, png.getGeometry()), "pixels of image " + i);
            for (Feature f : a) {
                assertTrue(f.getValue() != 0);
            }
            assertEquals(i + ".png", b.getMetadataValue(ImageFolderDataSource.FILENAME_METADATA).orElseThrow());
        }
        // And the IDX feature names are exactly the non-zero PNG features.
        Example<Label> first = fromPng.get(0);
        List<String> nonZero = new ArrayList<>();
        for (Feature f : first) {
            if (f.getValue() != 0) {
                nonZero.add(f.getName());
            }
        }
        assertEquals(names(idx.get(0)), nonZero);
        assertEquals(png.getFilenames().get(5), "5.png");
    }

    @Test
    void defaultScaleIsOneOver255() throws IOException {
        ImageFolderDataSource png = ImageFolderDataSource.referenceTrain(root).build();
        Example<Label> e = png.iterator().next();
        double[] expected = IdxFiles.densify(idx.get(0), png.getGeometry());
        double[] actual = IdxFiles.densify(e, png.getGeometry());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] * (1.0 / 255.0), actual[i], 0.0, "pixel " + i);
        }
    }

    @Test
    void unlabelledIndexGivesUnknownLabels() throws IOException {
        ImageFolderDataSource test = ImageFolderDataSource.referenceTest(root).build();
        assertFalse(test.hasLabels());
        assertEquals(N, test.size());
        for (Example<Label> e : test) {
            assertSame(LabelFactory.UNKNOWN_LABEL, e.getOutput());
        }
    }

    @Test
    void configurationRoundTripThroughProvenance() throws IOException {
        ImageFolderDataSource src = ImageFolderDataSource.referenceTrain(root).scale(1.0).maxPixels(10_000).build();
        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(src.getProvenance());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(config);
        String name = config.stream().filter(c -> c.getClassName().equals(ImageFolderDataSource.class.getName()))
                .findFirst().orElseThrow().getName();
        ImageFolderDataSource copy = (ImageFolderDataSource) cm.lookup(name);
        assertEquals(src.size(), copy.size());
        List<Example<Label>> a = list(src);
        List<Example<Label>> b = list(copy);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getOutput(), b.get(i).getOutput());
            assertArrayEquals(IdxFiles.densify(a.get(i), src.getGeometry()), IdxFiles.densify(b.get(i), src.getGeometry()));
        }
        ImageFolderDataSourceProvenance p1 = (ImageFolderDataSourceProvenance) src.getProvenance();
        ImageFolderDataSourceProvenance p2 = (ImageFolderDataSourceProvenance) copy.getProvenance();
        assertEquals(p1.getConfiguredParameters(), p2.getConfiguredParameters());
        assertEquals(p1.getIndexHash(), p2.getIndexHash());
        assertEquals(p1.getImagesHash(), p2.getImagesHash());
    }

    @Test
    void provenanceMarshalsAndRecordsHashes() throws IOException {
        ImageFolderDataSource src = ImageFolderDataSource.referenceTrain(root).build();
        ImageFolderDataSourceProvenance prov = (ImageFolderDataSourceProvenance) src.getProvenance();
        List<ObjectMarshalledProvenance> marshalled = ProvenanceUtil.marshalProvenance(prov);
        ObjectProvenance back = ProvenanceUtil.unmarshalProvenance(marshalled);
        assertEquals(prov, back);
        Helpers.testProvenanceMarshalling(prov);
        assertEquals(ProvenanceUtil.hashResource(ProvenanceUtil.HashType.SHA256, ReferenceLayout.trainIndex(root)), prov.getIndexHash());
        assertEquals(EmbeddedData.geometry(), prov.getGeometry());
        // The images hash covers the image contents: the test folder holds the same images, hence the same hash,
        // while its index differs.
        ImageFolderDataSourceProvenance testProv = (ImageFolderDataSourceProvenance) ImageFolderDataSource.referenceTest(root).build().getProvenance();
        assertEquals(prov.getImagesHash(), testProv.getImagesHash());
        assertNotEquals(prov.getIndexHash(), testProv.getIndexHash());
        // A dataset built from the source keeps the provenance.
        MutableDataset<Label> ds = new MutableDataset<>(src);
        assertEquals(prov, ds.getProvenance().getSourceProvenance());
    }

    @Test
    void provenanceOfTheSameFilesReadAgainIsEqualDespiteItsTimes() throws IOException, InterruptedException {
        ImageFolderDataSourceProvenance first = (ImageFolderDataSourceProvenance) ImageFolderDataSource.referenceTrain(root).build().getProvenance();
        Thread.sleep(5); // a later creation time (a volatile value, as in ProvenanceDiff)
        ImageFolderDataSourceProvenance again = (ImageFolderDataSourceProvenance) ImageFolderDataSource.referenceTrain(root).build().getProvenance();
        assertNotEquals(first.getInstanceValues().get(ImageFolderDataSourceProvenance.DATASOURCE_CREATION_TIME),
                again.getInstanceValues().get(ImageFolderDataSourceProvenance.DATASOURCE_CREATION_TIME));
        assertEquals(first, again);
        assertEquals(first.hashCode(), again.hashCode());
        // ... but not when the data differs
        assertNotEquals(first, ImageFolderDataSource.referenceTest(root).build().getProvenance());
    }

    @Test
    void flatHeaderlessLayout(@TempDir Path dir) throws IOException {
        BufferedImage a = TestImages.gray(5, 4);
        TestImages.write(dir.resolve("a.png"), a, ImageFormats.PNG);
        TestImages.write(dir.resolve("b b.png"), TestImages.gray(5, 4), ImageFormats.PNG);
        Files.writeString(dir.resolve("index.csv"), "a.png,shoe\n\"b b.png\",boot\n\n");
        ImageFolderDataSource src = ImageFolderDataSource.builder(dir.resolve("index.csv")).scale(1.0).build();
        assertTrue(src.hasLabels());
        assertEquals(List.of("a.png", "b b.png"), src.getFilenames());
        List<Example<Label>> ex = list(src);
        assertEquals("shoe", ex.get(0).getOutput().getLabel());
        assertEquals("boot", ex.get(1).getOutput().getLabel());
        ImageGeometry g = src.getGeometry();
        assertEquals(ImageGeometry.of(5, 4, 1), g);
        double[] v = IdxFiles.densify(ex.get(0), g);
        assertEquals((3 * 31 + 2 * 17) % 256, v[g.index(3, 2, 0)], 0.0);
        // Header with custom column names in another order, images in a configured folder.
        Path images = Files.createDirectories(dir.resolve("imgs"));
        Files.copy(dir.resolve("a.png"), images.resolve("x.png"));
        Path index = dir.resolve("custom.csv");
        Files.writeString(index, "\uFEFFclass,file\nT-shirt,x.png\n");
        ImageFolderDataSource custom = ImageFolderDataSource.builder(index).imageDirectory(images)
                .filenameColumn("file").labelColumn("class").build();
        assertEquals("T-shirt", custom.iterator().next().getOutput().getLabel());
        assertEquals(images.toRealPath(), custom.getImageDirectory());
    }

    @Test
    void colourImagesInGrayscaleAndRgb(@TempDir Path dir) throws IOException {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xFF8040);
        rgb.setRGB(1, 0, 0x102030);
        TestImages.write(dir.resolve("c.png"), rgb, ImageFormats.PNG);
        Files.writeString(dir.resolve("i.csv"), "filename\nc.png\n");
        ImageFolderDataSource gray = ImageFolderDataSource.builder(dir.resolve("i.csv")).scale(1.0).build();
        double[] g = IdxFiles.densify(gray.iterator().next(), gray.getGeometry());
        assertEquals((299 * 255 + 587 * 128 + 114 * 64) / 1000.0, g[0], 0.0);
        assertEquals((299 * 16 + 587 * 32 + 114 * 48) / 1000.0, g[1], 0.0);

        ImageFolderDataSource col = ImageFolderDataSource.builder(dir.resolve("i.csv")).scale(1.0).channelMode(ChannelMode.RGB).build();
        assertEquals(ImageGeometry.of(2, 1, 3), col.getGeometry());
        assertArrayEquals(new double[]{255, 128, 64, 16, 32, 48}, IdxFiles.densify(col.iterator().next(), col.getGeometry()), 0.0);
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), names(col.iterator().next()));
    }

    @Test
    void alphaIsCompositedOnBlackOrIgnored(@TempDir Path dir) throws IOException {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80C8C8C8); // gray 200, alpha 128
        argb.setRGB(1, 0, 0x00FF0000); // fully transparent red
        TestImages.write(dir.resolve("a.png"), argb, ImageFormats.PNG);
        Files.writeString(dir.resolve("i.csv"), "filename\na.png\n");
        ImageFolderDataSource composite = ImageFolderDataSource.builder(dir.resolve("i.csv")).scale(1.0).build();
        double[] c = IdxFiles.densify(composite.iterator().next(), composite.getGeometry());
        assertEquals(200 * 128 / 255.0, c[0], 1e-9);
        assertEquals(0.0, c[1], 0.0);
        ImageFolderDataSource ignore = ImageFolderDataSource.builder(dir.resolve("i.csv")).scale(1.0)
                .alphaMode(AlphaMode.IGNORE).channelMode(ChannelMode.RGB).build();
        assertArrayEquals(new double[]{200, 200, 200, 255, 0, 0}, IdxFiles.densify(ignore.iterator().next(), ignore.getGeometry()), 0.0);
    }

    @ParameterizedTest
    @EnumSource(names = {"PNG", "BMP", "GIF", "TIFF"})
    void formatsDecodeToTheExactGrayValues(ImageFormats format, @TempDir Path dir) throws IOException {
        String name = "img." + format.getDefaultExtension();
        TestImages.write(dir.resolve(name), TestImages.gray(16, 16), format);
        Files.writeString(dir.resolve("i.csv"), "filename\n" + name + "\n");
        ImageFolderDataSource src = ImageFolderDataSource.builder(dir.resolve("i.csv")).scale(1.0).build();
        double[] v = IdxFiles.densify(src.iterator().next(), src.getGeometry());
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                assertEquals(TestImages.grayValue(x, y), v[src.getGeometry().index(x, y, 0)], 0.0, format + " pixel " + x + "," + y);
            }
        }
    }

    @Test
    void grayPngFromAnotherEncoderKeepsEveryValue(@TempDir Path dir) throws IOException {
        // An 8-bit gray PNG written by the JDK's encoder stores the raster values 0..255 as they are; Commons
        // Imaging's default decoding would move dark values (1..4 become 0), the source must not.
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 256; i++) {
            image.getRaster().setSample(i % 16, i / 16, 0, i);
        }
        assertTrue(ImageIO.write(image, "png", dir.resolve("g.png").toFile()));
        Files.writeString(dir.resolve("i.csv"), "g.png\n");
        ImageFolderDataSource src = ImageFolderDataSource.builder(dir.resolve("i.csv")).scale(1.0).build();
        assertFalse(src.hasLabels());
        double[] v = IdxFiles.densify(src.iterator().next(), src.getGeometry());
        for (int i = 0; i < 256; i++) {
            assertEquals(i, v[i], 0.0, "gray value " + i);
        }
    }
}
