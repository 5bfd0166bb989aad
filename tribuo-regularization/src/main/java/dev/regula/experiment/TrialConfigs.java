package dev.regula.experiment;

import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import dev.regula.config.ConfigurationFiles;
import dev.regula.mlp.MLPTrainer;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.classification.Label;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The configuration text of a trial: exporting a trainer or data source to OLCUT XML, and re-creating them from it
 * (through {@link ConfigurationFiles}' checks, since the text may come from another machine).
 */
final class TrialConfigs {
    private TrialConfigs() {}

    /**
     * Configuration text and the name of its root component.
     * @param xml the OLCUT XML.
     * @param name the component the text was exported from.
     */
    record Text(String xml, String name) {}

    /**
     * Exports the configuration recorded in a provenance.
     * @param provenance a trainer's or data source's provenance.
     * @return the XML and the root component's name (OLCUT lists the object itself first).
     */
    static Text export(ObjectProvenance provenance) {
        List<ConfigurationData> data = ProvenanceUtil.extractConfiguration(provenance);
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(data);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            cm.save(bytes, "xml", true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the configuration of " + provenance.getClassName(), e);
        }
        return new Text(bytes.toString(StandardCharsets.UTF_8), data.get(0).getName());
    }

    /**
     * Re-creates a trial's trainer with the trial's seed and the given BLAS threads (each value passes the
     * trainer's {@code postConfig} checks).
     * @param trial the trial.
     * @param threads the BLAS threads, at least 1.
     * @return a fresh trainer (invocation count 0).
     * @throws IOException if the text is refused or does not define exactly one {@link MLPTrainer}.
     * @throws com.oracle.labs.mlrg.olcut.config.PropertyException if a value fails the trainer's checks.
     */
    static MLPTrainer trainer(Trial trial, int threads) throws IOException {
        ConfigurationManager cm = ConfigurationFiles.load(trial.trainerConfig().getBytes(StandardCharsets.UTF_8),
                "the trainer configuration of trial " + trial.id());
        List<String> names = cm.listAll(MLPTrainer.class);
        if (names.size() != 1) {
            throw new IOException("the trainer configuration of trial " + trial.id() + " must define exactly one "
                    + MLPTrainer.class.getName() + ", found " + names.size());
        }
        String name = names.get(0);
        cm.overrideConfigurableProperty(name, "seed", new SimpleProperty(Long.toString(trial.seed())));
        cm.overrideConfigurableProperty(name, "numThreads", new SimpleProperty(Integer.toString(threads)));
        return (MLPTrainer) cm.lookup(name);
    }

    /**
     * Checks a trial's data configuration without reading the data: it passes {@link ConfigurationFiles}' checks
     * and defines the named data source.
     * @param trial the trial.
     * @throws IOException if the text is refused or does not name a data source.
     */
    static void checkData(Trial trial) throws IOException {
        manager(trial);
    }

    private static ConfigurationManager manager(Trial trial) throws IOException {
        ConfigurationManager cm = ConfigurationFiles.load(trial.dataConfig().getBytes(StandardCharsets.UTF_8),
                "the data configuration of trial " + trial.id());
        if (!cm.listAll(ConfigurableDataSource.class).contains(trial.dataSource())) {
            throw new IOException("the data configuration of trial " + trial.id() + " has no data source named '"
                    + trial.dataSource() + "'; it defines " + cm.listAll(ConfigurableDataSource.class));
        }
        return cm;
    }

    /**
     * Re-creates a trial's data source (which reads its data).
     * @param trial the trial.
     * @return the data source.
     * @throws IOException if the text is refused or does not name a data source.
     */
    @SuppressWarnings("unchecked")
    static ConfigurableDataSource<Label> data(Trial trial) throws IOException {
        return (ConfigurableDataSource<Label>) manager(trial).lookup(trial.dataSource());
    }
}
