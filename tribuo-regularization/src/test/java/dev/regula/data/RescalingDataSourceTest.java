package dev.regula.data;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;
import org.tribuo.datasource.IDXDataSource;
import org.tribuo.test.Helpers;

import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RescalingDataSourceTest {

    @Test
    void scalesEveryValueAndKeepsNamesAndLabels() throws Exception {
        IDXDataSource<Label> raw = EmbeddedData.testSource();
        RescalingDataSource scaled = RescalingDataSource.of(raw, 1.0 / 255);
        Iterator<Example<Label>> a = raw.iterator();
        Iterator<Example<Label>> b = scaled.iterator();
        for (int i = 0; i < 50; i++) {
            Example<Label> x = a.next();
            Example<Label> y = b.next();
            assertEquals(x.getOutput(), y.getOutput());
            assertEquals(x.size(), y.size());
            Iterator<Feature> fx = x.iterator();
            for (Feature f : y) {
                Feature g = fx.next();
                assertEquals(g.getName(), f.getName());
                assertEquals(g.getValue() / 255, f.getValue(), 1e-12);
            }
        }
    }

    @Test
    void provenanceRoundTripsAndRebuildsTheSource() throws Exception {
        RescalingDataSource scaled = RescalingDataSource.of(EmbeddedData.testSource(), 0.5);
        Helpers.testProvenanceMarshalling(scaled.getProvenance());
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(scaled.getProvenance()));
        RescalingDataSource rebuilt = (RescalingDataSource) cm.lookup(cm.listAll(RescalingDataSource.class).get(0));
        assertEquals(0.5, rebuilt.getScale());
        Example<Label> x = scaled.iterator().next();
        Example<Label> y = rebuilt.iterator().next();
        assertEquals(x.getOutput(), y.getOutput());
        assertEquals(x.iterator().next().getValue(), y.iterator().next().getValue());
    }

    @Test
    void rejectsZeroAndNonFiniteScales() throws Exception {
        IDXDataSource<Label> raw = EmbeddedData.testSource();
        assertEquals("scale", assertThrows(PropertyException.class, () -> RescalingDataSource.of(raw, 0)).getProperty());
        assertEquals("scale", assertThrows(PropertyException.class, () -> RescalingDataSource.of(raw, Double.NaN)).getProperty());
    }
}
