package dev.regula.augment;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.PrimitiveProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.SkeletalConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import dev.regula.data.ImageGeometry;
import dev.regula.nn.Backends;
import dev.regula.nn.Blas;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.provenance.ConfiguredDataSourceProvenance;
import org.tribuo.provenance.DataSourceProvenance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A data source decorator that applies fitted {@link Standardization} statistics (feature-wise / sample-wise
 * normalization, ZCA) to its source, emitting dense examples with IDX-style feature names.
 * <p>
 * The statistics are fitted once, at configuration time, on {@code fitSource} (the <em>training</em> data),
 * never on the decorated source. Decorate the training and the test source with the same {@code fitSource} and
 * both get identical statistics; the SHA-256 of the statistics is recorded in the provenance, so this can be
 * checked. The fit reads the whole fit source into memory (n·d floats).
 * <p>
 * A model trained on this source does not contain the normalization, so raw examples given to it at prediction
 * time must be decorated the same way; the Regula trainer can instead hold the map inside the model.
 */
public final class StandardizingDataSource implements ConfigurableDataSource<Label> {
    /** Provenance key of the statistics hash. */
    public static final String STATISTICS_HASH = "statistics-sha256";

    private static final int BATCH = 256;

    @Config(mandatory = true, description = "The source to normalize.")
    private ConfigurableDataSource<Label> source;

    @Config(mandatory = true, description = "What to fit and apply.")
    private Standardization standardization;

    @Config(mandatory = true, description = "The training source the statistics are fitted on (use the same one for train and test decorators).")
    private ConfigurableDataSource<Label> fitSource;

    @Config(description = "Image geometry WIDTHxHEIGHTxCHANNELS; feature names must be flat pixel indices.")
    private String geometry = "28x28x1";

    private ImageGeometry imageGeometry;
    private InputTransform fitted;

    /** For OLCUT. */
    private StandardizingDataSource() {}

    /**
     * Validates the configuration and fits the statistics on {@code fitSource}.
     * @throws PropertyException naming the offending field.
     */
    @Override
    public void postConfig() {
        if (source == null || fitSource == null || standardization == null) {
            throw new PropertyException("", source == null ? "source" : fitSource == null ? "fitSource" : "standardization",
                    "source, fitSource and standardization must all be set");
        }
        try {
            imageGeometry = ImageGeometry.parse(geometry);
        } catch (IllegalArgumentException e) {
            throw new PropertyException(e, "", "geometry", e.getMessage());
        }
        ImageExamples conv = new ImageExamples(imageGeometry);
        String problem = conv.check(source);
        if (problem == null) {
            problem = conv.check(fitSource);
        }
        if (problem != null) {
            throw new PropertyException("", "geometry", "geometry " + geometry + " does not match the data: " + problem);
        }
        List<Example<Label>> fitExamples = new ArrayList<>();
        for (Example<Label> e : fitSource) {
            fitExamples.add(e);
        }
        if (fitExamples.isEmpty()) {
            throw new PropertyException("", "fitSource", "fitSource is empty");
        }
        int d = imageGeometry.getSize();
        float[] x = new float[Math.multiplyExact(fitExamples.size(), d)];
        for (int i = 0; i < fitExamples.size(); i++) {
            conv.densify(fitExamples.get(i), x, i * d);
        }
        fitted = standardization.fit(x, fitExamples.size(), d, Backends.get());
    }

    /**
     * Starts a builder.
     * @param source the source to normalize.
     * @param standardization what to fit.
     * @param fitSource the training source the statistics are fitted on.
     * @return a builder with geometry 28x28x1.
     */
    public static Builder builder(ConfigurableDataSource<Label> source, Standardization standardization,
                                  ConfigurableDataSource<Label> fitSource) {
        return new Builder(source, standardization, fitSource);
    }

    /** @return the fitted statistics. */
    public InputTransform getInputTransform() {
        return fitted;
    }

    /** @return the image geometry. */
    public ImageGeometry getGeometry() {
        return imageGeometry;
    }

    @Override
    public OutputFactory<Label> getOutputFactory() {
        return source.getOutputFactory();
    }

    @Override
    public Iterator<Example<Label>> iterator() {
        Iterator<Example<Label>> inner = source.iterator();
        ImageExamples conv = new ImageExamples(imageGeometry);
        Blas blas = Backends.get(1);
        int d = imageGeometry.getSize();
        return new Iterator<Example<Label>>() {
            private final List<Example<Label>> batch = new ArrayList<>(BATCH);
            private final float[] buf = new float[BATCH * d];
            private final float[] scratch = new float[BATCH * d];
            private int pos = 0;

            @Override
            public boolean hasNext() {
                return pos < batch.size() || inner.hasNext();
            }

            @Override
            public Example<Label> next() {
                if (pos >= batch.size()) {
                    batch.clear();
                    pos = 0;
                    while (batch.size() < BATCH && inner.hasNext()) {
                        Example<Label> e = inner.next();
                        conv.densify(e, buf, batch.size() * d);
                        batch.add(e);
                    }
                    if (batch.isEmpty()) {
                        throw new NoSuchElementException();
                    }
                    fitted.apply(buf, buf, batch.size(), blas, scratch);
                }
                Example<Label> out = conv.toExample(batch.get(pos), buf, pos * d);
                pos++;
                return out;
            }
        };
    }

    @Override
    public DataSourceProvenance getProvenance() {
        return new StandardizingDataSourceProvenance(this);
    }

    @Override
    public String toString() {
        return "StandardizingDataSource(source=" + source + ", standardization=" + standardization
                + ", fitSource=" + fitSource + ", geometry=" + geometry + ", statistics=" + fitted.sha256() + ")";
    }

    /** Builder for {@link StandardizingDataSource}; {@link #build()} validates and fits as OLCUT does. */
    public static final class Builder {
        private final StandardizingDataSource ds = new StandardizingDataSource();

        private Builder(ConfigurableDataSource<Label> source, Standardization standardization,
                        ConfigurableDataSource<Label> fitSource) {
            ds.source = source;
            ds.standardization = standardization;
            ds.fitSource = fitSource;
        }

        /**
         * @param geometry image geometry such as {@code 28x28x1}.
         * @return this builder.
         */
        public Builder geometry(String geometry) {
            ds.geometry = geometry;
            return this;
        }

        /**
         * Validates, fits and returns the data source.
         * @return the data source.
         * @throws PropertyException if the configuration is invalid.
         */
        public StandardizingDataSource build() {
            ds.postConfig();
            return ds;
        }
    }

    /** Provenance for {@link StandardizingDataSource}: configuration plus the SHA-256 of the fitted statistics. */
    public static final class StandardizingDataSourceProvenance extends SkeletalConfiguredObjectProvenance
            implements ConfiguredDataSourceProvenance {
        private static final long serialVersionUID = 1L;

        /** SHA-256 of the fitted statistics. */
        private final StringProvenance statisticsHash;

        StandardizingDataSourceProvenance(StandardizingDataSource host) {
            super(host, "DataSource");
            this.statisticsHash = new StringProvenance(STATISTICS_HASH, host.fitted.sha256());
        }

        /**
         * Deserialization constructor.
         * @param map the provenance map.
         */
        public StandardizingDataSourceProvenance(Map<String, Provenance> map) {
            this(extractProvenanceInfo(map));
        }

        private StandardizingDataSourceProvenance(ExtractedInfo info) {
            super(info);
            this.statisticsHash = (StringProvenance) info.instanceValues.get(STATISTICS_HASH);
        }

        /**
         * Separates the class name, host type and statistics hash from the configured parameters.
         * @param map the provenance map.
         * @return the extracted information.
         */
        protected static ExtractedInfo extractProvenanceInfo(Map<String, Provenance> map) {
            Map<String, Provenance> configuredParameters = new HashMap<>(map);
            String name = StandardizingDataSourceProvenance.class.getSimpleName();
            String className = ObjectProvenance.checkAndExtractProvenance(configuredParameters, CLASS_NAME,
                    StringProvenance.class, name).getValue();
            String hostTypeStringName = ObjectProvenance.checkAndExtractProvenance(configuredParameters,
                    HOST_SHORT_NAME, StringProvenance.class, name).getValue();
            Map<String, PrimitiveProvenance<?>> instance = new HashMap<>();
            instance.put(STATISTICS_HASH, ObjectProvenance.checkAndExtractProvenance(configuredParameters,
                    STATISTICS_HASH, StringProvenance.class, name));
            return new ExtractedInfo(className, hostTypeStringName, configuredParameters, instance);
        }

        /** @return the SHA-256 of the fitted statistics. */
        public String getStatisticsHash() {
            return statisticsHash.getValue();
        }

        @Override
        public Map<String, PrimitiveProvenance<?>> getInstanceValues() {
            Map<String, PrimitiveProvenance<?>> map = super.getInstanceValues();
            map.put(statisticsHash.getKey(), statisticsHash);
            return map;
        }

        @Override
        public boolean equals(Object o) {
            return super.equals(o) && o instanceof StandardizingDataSourceProvenance
                    && statisticsHash.equals(((StandardizingDataSourceProvenance) o).statisticsHash);
        }

        @Override
        public int hashCode() {
            return 31 * super.hashCode() + statisticsHash.hashCode();
        }
    }
}
