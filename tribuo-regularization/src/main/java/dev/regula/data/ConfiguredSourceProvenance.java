package dev.regula.data;

import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.impl.SkeletalConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.provenance.ConfiguredDataSourceProvenance;

import java.util.HashMap;
import java.util.Map;

/**
 * Base of the provenance of a configurable data source whose {@code @Config} fields are everything there is to
 * record (nested sources are recorded by OLCUT through their own provenance) — the class Tribuo 4.3.2 lacks as
 * {@code ConfiguredDataSourceProvenanceImpl}. Subclasses add only their two constructors, so that each source keeps
 * its own provenance class name.
 */
public abstract class ConfiguredSourceProvenance extends SkeletalConfiguredObjectProvenance
        implements ConfiguredDataSourceProvenance {
    private static final long serialVersionUID = 1L;

    /**
     * Records a source's configuration.
     * @param host the data source.
     */
    protected ConfiguredSourceProvenance(ConfigurableDataSource<?> host) {
        super(host, "DataSource");
    }

    /**
     * Deserialization: separates the class name and host type from the configured parameters.
     * @param map the provenance map.
     * @param provenanceClass the concrete provenance class, named in error messages.
     */
    protected ConfiguredSourceProvenance(Map<String, Provenance> map, Class<? extends ConfiguredSourceProvenance> provenanceClass) {
        super(extract(map, provenanceClass.getSimpleName()));
    }

    private static ExtractedInfo extract(Map<String, Provenance> map, String name) {
        Map<String, Provenance> params = new HashMap<>(map);
        String className = ObjectProvenance.checkAndExtractProvenance(params, CLASS_NAME, StringProvenance.class, name).getValue();
        String host = ObjectProvenance.checkAndExtractProvenance(params, HOST_SHORT_NAME, StringProvenance.class, name).getValue();
        return new ExtractedInfo(className, host, params, new HashMap<>());
    }
}
