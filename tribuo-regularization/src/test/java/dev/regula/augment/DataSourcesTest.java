package dev.regula.augment;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.DataSource;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.datasource.IDXDataSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSourcesTest {
    static Path features;
    static Path labels;
    static IDXDataSource<Label> idx;

    /** Writes a tiny 12-image 6×5 IDX data set with sparse pixels and three labels. */
    @BeforeAll
    static void writeIdx(@TempDir Path dir) throws IOException {
        int n = 12;
        int h = 5;
        int w = 6;
        double[] pixels = new double[n * h * w];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextDouble() < 0.4 ? 0 : r.nextInt(1, 256);
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
        }
        features = dir.resolve("x-idx3-ubyte");
        labels = dir.resolve("y-idx1-ubyte");
        IDXDataSource.IDXData.createIDXData(IDXDataSource.IDXType.UBYTE, new int[]{n, h, w}, pixels).save(features, false);
        IDXDataSource.IDXData.createIDXData(IDXDataSource.IDXType.UBYTE, new int[]{n}, y).save(labels, false);
        idx = new IDXDataSource<>(features, labels, new LabelFactory());
    }

    static List<Example<Label>> collect(DataSource<Label> ds) {
        List<Example<Label>> out = new ArrayList<>();
        for (Example<Label> e : ds) {
            out.add(e);
        }
        return out;
    }

    static String describe(Example<Label> e) {
        StringBuilder sb = new StringBuilder(e.getOutput().getLabel()).append('|').append(e.getWeight());
        for (Feature f : e) {
            sb.append(';').append(f.getName()).append('=').append(f.getValue());
        }
        return sb.toString();
    }

    static List<String> describeAll(DataSource<Label> ds) {
        List<String> out = new ArrayList<>();
        for (Example<Label> e : ds) {
            out.add(describe(e));
        }
        return out;
    }

    static Augmentation spec() {
        return Augmentation.builder().rotationRange(15).widthShiftRange(0.1).zoomRange(0.1)
                .horizontalFlip(true).fillMode(FillMode.REFLECT).build();
    }

    @Test
    void emitsOriginalPlusCopiesDenseWithSameLabel() {
        AugmentingDataSource ds = AugmentingDataSource.builder(idx, spec()).geometry("6x5x1").copies(2).seed(3).build();
        List<Example<Label>> out = collect(ds);
        List<Example<Label>> in = collect(idx);
        assertEquals(in.size() * 3, out.size());
        for (int i = 0; i < in.size(); i++) {
            Example<Label> orig = out.get(3 * i);
            assertEquals(30, orig.size(), "dense");
            assertEquals(in.get(i).getOutput(), orig.getOutput());
            for (Feature f : in.get(i)) {
                assertEquals(f.getValue(), orig.lookup(f.getName()).getValue(), 1e-6);
            }
            for (int c = 1; c <= 2; c++) {
                assertEquals(in.get(i).getOutput(), out.get(3 * i + c).getOutput());
                assertEquals(in.get(i).getWeight(), out.get(3 * i + c).getWeight());
                assertEquals("00", out.get(3 * i + c).iterator().next().getName().substring(0, 2));
            }
        }
        AugmentingDataSource copiesOnly = AugmentingDataSource.builder(idx, spec()).geometry("6x5x1").copies(1)
                .includeOriginal(false).seed(3).build();
        assertEquals(in.size(), collect(copiesOnly).size());
    }

    @Test
    void deterministicPerIteratorAndSeedDependent() {
        AugmentingDataSource a = AugmentingDataSource.builder(idx, spec()).geometry("6x5x1").copies(2).seed(99).build();
        AugmentingDataSource b = AugmentingDataSource.builder(idx, spec()).geometry("6x5x1").copies(2).seed(100).build();
        assertEquals(describeAll(a), describeAll(a));
        assertNotEquals(describeAll(a), describeAll(b));
    }

    @Test
    void geometryMismatchIsRejected() {
        PropertyException e = assertThrows(PropertyException.class,
                () -> AugmentingDataSource.builder(idx, spec()).geometry("4x4x1").build());
        assertEquals("geometry", e.getProperty());
        assertTrue(e.getMessage().contains("outside geometry"), e.getMessage());
        PropertyException padding = assertThrows(PropertyException.class,
                () -> AugmentingDataSource.builder(idx, spec()).geometry("32x32x3").build());
        assertTrue(padding.getMessage().contains("padded"), padding.getMessage());
        assertThrows(PropertyException.class, () -> AugmentingDataSource.builder(idx, spec()).geometry("6x5").build());
        assertThrows(PropertyException.class, () -> AugmentingDataSource.builder(idx, spec()).geometry("6x5x1").copies(-1).build());
        assertThrows(PropertyException.class, () -> AugmentingDataSource.builder(idx, spec()).geometry("6x5x1")
                .copies(0).includeOriginal(false).build());
    }

    @SuppressWarnings("unchecked")
    static void checkProvenanceRoundTrip(ConfigurableDataSource<Label> ds, String name) {
        ObjectProvenance prov = ds.getProvenance();
        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(prov);
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(config);
        DataSource<Label> rebuilt = (DataSource<Label>) cm.lookup(name);
        assertEquals(describeAll(ds), describeAll(rebuilt));
        assertEquals(prov.getClass(), rebuilt.getProvenance().getClass());
        List<ObjectMarshalledProvenance> marshalled = ProvenanceUtil.marshalProvenance(prov);
        ObjectProvenance back = ProvenanceUtil.unmarshalProvenance(marshalled);
        assertEquals(prov, back);
    }

    @Test
    void augmentingProvenanceRoundTrip() {
        AugmentingDataSource ds = AugmentingDataSource.builder(idx, spec()).geometry("6x5x1").copies(2).seed(7).build();
        checkProvenanceRoundTrip(ds, "augmentingdatasource-0");
        List<ConfigurationData> config = ProvenanceUtil.extractConfiguration(ds.getProvenance());
        assertTrue(config.stream().anyMatch(c -> c.getClassName().equals(IDXDataSource.class.getName())));
        assertTrue(config.stream().anyMatch(c -> c.getClassName().equals(Augmentation.class.getName())));
    }

    @Test
    void standardizingUsesTrainingStatisticsAndRoundTrips() {
        Standardization zca = Standardization.builder().zcaWhitening(true).zcaEpsilon(1e-2).build();
        AugmentingDataSource train = AugmentingDataSource.builder(idx, spec()).geometry("6x5x1").copies(3).seed(1).build();
        StandardizingDataSource onTrain = StandardizingDataSource.builder(train, zca, train).geometry("6x5x1").build();
        StandardizingDataSource onTest = StandardizingDataSource.builder(idx, zca, train).geometry("6x5x1").build();
        assertEquals(onTrain.getInputTransform().sha256(), onTest.getInputTransform().sha256());
        // Training data comes out centred per feature.
        double[] sum = new double[30];
        int n = 0;
        for (Example<Label> e : onTrain) {
            for (Feature f : e) {
                sum[Integer.parseInt(f.getName())] += f.getValue();
            }
            n++;
        }
        for (double s : sum) {
            assertEquals(0.0, s / n, 1e-3);
        }
        // The test decorator applies, not re-fits: its output equals the fitted map applied by hand.
        InputTransform fitted = onTest.getInputTransform();
        List<Example<Label>> raw = collect(idx);
        List<Example<Label>> std = collect(onTest);
        float[] row = new float[30];
        for (int i = 0; i < raw.size(); i++) {
            java.util.Arrays.fill(row, 0f);
            for (Feature f : raw.get(i)) {
                row[Integer.parseInt(f.getName())] = (float) f.getValue();
            }
            fitted.apply(row, row, 1, dev.regula.nn.Backends.get(1));
            for (Feature f : std.get(i)) {
                assertEquals(row[Integer.parseInt(f.getName())], f.getValue(), 1e-4);
            }
        }
        checkProvenanceRoundTrip(onTest, "standardizingdatasource-0");
        String hash = ((StandardizingDataSource.StandardizingDataSourceProvenance) onTest.getProvenance()).getStatisticsHash();
        assertEquals(fitted.sha256(), hash);
    }

    @Test
    void badConfigurationStringsAreRejected(@TempDir Path dir) throws IOException {
        Path xml = dir.resolve("bad.xml");
        java.nio.file.Files.writeString(xml, "<?xml version=\"1.0\"?>\n<config>\n"
                + "<component name=\"aug\" type=\"dev.regula.augment.Augmentation\">\n"
                + "  <property name=\"fillMode\" value=\"MIRROR\"/>\n</component>\n"
                + "<component name=\"neg\" type=\"dev.regula.augment.Augmentation\">\n"
                + "  <property name=\"rotationRange\" value=\"-5\"/>\n</component>\n"
                + "<component name=\"ok\" type=\"dev.regula.augment.Augmentation\">\n"
                + "  <property name=\"fillMode\" value=\"WRAP\"/>\n  <property name=\"zoomRangeLow\" value=\"0.9\"/>\n"
                + "  <property name=\"zoomRangeHigh\" value=\"1.1\"/>\n</component>\n</config>\n");
        ConfigurationManager cm = new ConfigurationManager(xml.toString());
        RuntimeException unknown = assertThrows(RuntimeException.class, () -> cm.lookup("aug"));
        assertTrue(String.valueOf(unknown.getMessage()).contains("MIRROR") || String.valueOf(unknown.getMessage()).contains("fillMode"),
                unknown.getMessage());
        PropertyException neg = assertThrows(PropertyException.class, () -> cm.lookup("neg"));
        assertEquals("rotationRange", neg.getProperty());
        assertTrue(neg.getMessage().contains("[0, 360]"), neg.getMessage());
        Augmentation ok = (Augmentation) cm.lookup("ok");
        assertEquals(FillMode.WRAP, ok.getFillMode());
        assertEquals(0.9, ok.getZoomRangeLow());
    }
}
