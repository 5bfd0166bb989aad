package dev.regula.examples.cli;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.ConfigurationData;
import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import com.oracle.labs.mlrg.olcut.config.property.Property;
import com.oracle.labs.mlrg.olcut.config.property.SimpleProperty;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import dev.regula.config.ConfigurationFiles;
import dev.regula.data.AtomicFiles;
import dev.regula.mlp.BackupAndRestore;
import dev.regula.mlp.MLPTrainer;
import org.jspecify.annotations.Nullable;
import org.tribuo.Trainer;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * OLCUT configuration of an {@link MLPTrainer}: changing any {@code @Config} field by name, and saving/loading the
 * trainer as an OLCUT XML configuration file.
 * <p>
 * A field is changed by exporting the trainer's configuration ({@code ProvenanceUtil.extractConfiguration}),
 * overriding the property in a fresh {@code ConfigurationManager} and looking the trainer up again, so every value
 * passes the trainer's own validation ({@code postConfig}) and the result's provenance records it. Top-level
 * fields are named as declared ({@code epochs}, {@code minibatchSize}, {@code weightInit}, ...); fields of a
 * configured component are reached with a dot: {@code optimiser.learningRate}, {@code earlyStopping.patience}.
 */
final class TrainerConfig {
    private TrainerConfig() {}

    /**
     * Returns a trainer with some fields changed.
     * @param base the trainer to start from.
     * @param values field name (or {@code component.field}) to value; applied in order.
     * @return the new trainer (listeners are not copied).
     * @throws UserException naming an unknown field with the list of valid ones.
     */
    static MLPTrainer override(MLPTrainer base, Map<String, String> values) {
        ConfigurationManager cm = manager(base);
        String trainerName = trainerName(cm);
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            if (dot < 0) {
                Field f = field(MLPTrainer.class, key);
                if (f == null || !isSimple(f)) {
                    throw unknown(key, cm, trainerName);
                }
                cm.overrideConfigurableProperty(trainerName, key, new SimpleProperty(e.getValue()));
            } else {
                String component = key.substring(0, dot);
                String field = key.substring(dot + 1);
                ConfigurationData trainer = cm.getConfigurationData(trainerName).orElseThrow();
                Property ref = trainer.get(component).orElse(null);
                if (!(ref instanceof SimpleProperty sp) || cm.getConfigurationData(sp.getValue()).isEmpty()) {
                    throw unknown(key, cm, trainerName);
                }
                ConfigurationData data = cm.getConfigurationData(sp.getValue()).orElseThrow();
                Field f;
                try {
                    f = field(Class.forName(data.getClassName()), field);
                } catch (ClassNotFoundException ex) {
                    f = null;
                }
                if (f == null || !isSimple(f)) {
                    throw unknown(key, cm, trainerName);
                }
                cm.overrideConfigurableProperty(sp.getValue(), field, new SimpleProperty(e.getValue()));
            }
        }
        return (MLPTrainer) cm.lookup(trainerName);
    }

    /**
     * The names {@link #override} accepts for a trainer.
     * @param trainer the trainer.
     * @return the sorted names.
     */
    static List<String> validNames(MLPTrainer trainer) {
        ConfigurationManager cm = manager(trainer);
        return validNames(cm, trainerName(cm));
    }

    /**
     * Saves a trainer (and its components) as an OLCUT XML configuration file.
     * @param trainer the trainer.
     * @param file the file.
     * @throws IOException if writing fails.
     */
    static void save(MLPTrainer trainer, Path file) throws IOException {
        ConfigurationManager cm = manager(trainer);
        cm.lookup(trainerName(cm));
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        AtomicFiles.writeVia(file, tmp -> cm.save(tmp.toFile(), true));
    }

    /**
     * Loads the single trainer of an OLCUT XML configuration file, checked first by
     * {@link ConfigurationFiles#load(Path)} (no DOCTYPE, entities, imports or serialized objects), since
     * configurations are shared between users.
     * @param file the XML file.
     * @return the trainer.
     * @throws UserException if the file is missing or holds no or several MLP trainers.
     * @throws IOException if the file cannot be read or is refused.
     */
    static MLPTrainer load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UserException("configuration file " + file + " does not exist");
        }
        ConfigurationManager cm = ConfigurationFiles.load(file);
        List<String> names = cm.listAll(MLPTrainer.class);
        if (names.size() != 1) {
            throw new UserException("configuration file " + file + " must define exactly one " + MLPTrainer.class.getName()
                    + ", found " + names.size());
        }
        return (MLPTrainer) cm.lookup(names.get(0));
    }

    /**
     * Returns a trainer that backs up every epoch to a folder ({@link BackupAndRestore}), replacing any backup
     * configuration the trainer had.
     * @param base the trainer to start from.
     * @param dir the backup folder.
     * @return the new trainer (listeners are not copied).
     */
    static MLPTrainer withBackup(MLPTrainer base, Path dir) {
        ConfigurationManager cm = manager(base);
        String trainerName = trainerName(cm);
        String name = cm.importConfigurable(BackupAndRestore.inFolder(dir), "cli-backup-and-restore");
        cm.overrideConfigurableProperty(trainerName, "backupAndRestore", new SimpleProperty(name));
        return (MLPTrainer) cm.lookup(trainerName);
    }

    private static ConfigurationManager manager(MLPTrainer trainer) {
        ConfigurationManager cm = new ConfigurationManager();
        cm.addConfiguration(ProvenanceUtil.extractConfiguration(trainer.getProvenance()));
        return cm;
    }

    private static String trainerName(ConfigurationManager cm) {
        return cm.listAll(Trainer.class).get(0);
    }

    private static UserException unknown(String key, ConfigurationManager cm, String trainerName) {
        return new UserException("unknown trainer parameter '" + key + "'; valid parameters: "
                + String.join(", ", validNames(cm, trainerName)) + " (hidden layers, L1/L2 and dropout have their own options)");
    }

    private static List<String> validNames(ConfigurationManager cm, String trainerName) {
        TreeSet<String> names = new TreeSet<>();
        ConfigurationData trainer = cm.getConfigurationData(trainerName).orElseThrow();
        for (Field f : configFields(MLPTrainer.class)) {
            if (isSimple(f)) {
                names.add(f.getName());
            } else if (trainer.get(f.getName()).orElse(null) instanceof SimpleProperty sp
                    && cm.getConfigurationData(sp.getValue()).isPresent()) {
                try {
                    for (Field inner : configFields(Class.forName(cm.getConfigurationData(sp.getValue()).get().getClassName()))) {
                        if (isSimple(inner)) {
                            names.add(f.getName() + "." + inner.getName());
                        }
                    }
                } catch (ClassNotFoundException ignored) {
                    // not offered
                }
            }
        }
        return new ArrayList<>(names);
    }

    private static List<Field> configFields(Class<?> c) {
        List<Field> out = new ArrayList<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (f.isAnnotationPresent(Config.class) && !Modifier.isStatic(f.getModifiers())) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static @Nullable Field field(Class<?> c, String name) {
        for (Field f : configFields(c)) {
            if (f.getName().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** Primitive, boxed, String and enum fields can be set from one string. */
    private static boolean isSimple(Field f) {
        Class<?> t = f.getType();
        return t.isPrimitive() || t == String.class || t.isEnum() || Number.class.isAssignableFrom(t) || t == Boolean.class
                || t == File.class || t == Path.class;
    }
}
