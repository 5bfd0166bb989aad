package dev.regula.data;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.DataSourceProvenance;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Multiplies every feature value of another source by a constant, e.g. {@code 1/255} to bring Tribuo
 * {@code IDXDataSource} pixels (0–255) to the [0, 1] range of {@link ImageFolderDataSource}, so that IDX and
 * image-folder data are interchangeable for the same model (Keras' {@code rescale}). Feature names, labels,
 * weights and metadata are kept; zero values stay absent (the result is as sparse as the input).
 */
public final class RescalingDataSource implements ConfigurableDataSource<Label> {

    @Config(mandatory = true, description = "The source whose feature values are rescaled.")
    private ConfigurableDataSource<Label> source;

    @Config(description = "Factor every feature value is multiplied by; finite and non-zero.")
    private double scale = 1.0 / 255.0;

    /** For OLCUT. */
    private RescalingDataSource() {}

    /**
     * Wraps a source.
     * @param source the source.
     * @param scale the factor, finite and non-zero (e.g. {@code 1.0 / 255}).
     * @return the rescaled source.
     */
    public static RescalingDataSource of(ConfigurableDataSource<Label> source, double scale) {
        RescalingDataSource r = new RescalingDataSource();
        r.source = source;
        r.scale = scale;
        r.postConfig();
        return r;
    }

    @Override
    public void postConfig() {
        if (!Double.isFinite(scale) || scale == 0) {
            throw new PropertyException("", "scale", "scale must be finite and non-zero, found " + scale);
        }
    }

    /** @return the factor. */
    public double getScale() {
        return scale;
    }

    /** @return the wrapped source. */
    public ConfigurableDataSource<Label> getSource() {
        return source;
    }

    @Override
    public OutputFactory<Label> getOutputFactory() {
        return source.getOutputFactory();
    }

    @Override
    public Iterator<Example<Label>> iterator() {
        Iterator<Example<Label>> it = source.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Example<Label> next() {
                Example<Label> ex = it.next();
                List<Feature> features = new ArrayList<>(ex.size());
                for (Feature f : ex) {
                    features.add(new Feature(f.getName(), f.getValue() * scale));
                }
                ArrayExample<Label> out = new ArrayExample<>(ex.getOutput(), features);
                out.setWeight(ex.getWeight());
                for (Map.Entry<String, Object> m : ex.getMetadata().entrySet()) {
                    out.setMetadataValue(m.getKey(), m.getValue());
                }
                return out;
            }
        };
    }

    @Override
    public DataSourceProvenance getProvenance() {
        return new RescalingDataSourceProvenance(this);
    }

    @Override
    public String toString() {
        return "RescalingDataSource(scale=" + scale + ", source=" + source + ")";
    }

    /**
     * Provenance of a {@link RescalingDataSource}: its configuration, with the wrapped source's provenance nested.
     */
    public static final class RescalingDataSourceProvenance extends ConfiguredSourceProvenance {
        private static final long serialVersionUID = 1L;

        RescalingDataSourceProvenance(RescalingDataSource host) {
            super(host);
        }

        /**
         * Deserialization constructor.
         * @param map the provenance map.
         */
        public RescalingDataSourceProvenance(Map<String, Provenance> map) {
            super(map, RescalingDataSourceProvenance.class);
        }
    }
}
