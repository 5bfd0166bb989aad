package dev.regula.mlp;

import com.oracle.labs.mlrg.olcut.config.ConfigurationManager;
import dev.regula.experiment.StratifiedSplitDataSource;
import dev.regula.experiment.StratifiedSplitDataSource.Part;
import dev.regula.nn.Activation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Dataset;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.data.csv.CSVLoader;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The builder's defaults: what they are, that every one of them can be replaced or switched off, and that the
 * plain {@code builder().build()} classifier does at least as well as Tribuo's {@code LogisticRegressionTrainer}
 * on small public tables with raw, unscaled features (the claim in {@code docs/mlp.md}, "Defaults").
 */
class DefaultsTest {
    @BeforeAll
    static void quiet() {
        Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
    }

    static Path table(String name) throws Exception {
        return Path.of(DefaultsTest.class.getResource(name).toURI());
    }

    @SuppressWarnings("unchecked")
    static Dataset<Label>[] split(String name) throws Exception {
        ConfigurableDataSource<Label> source = (ConfigurableDataSource<Label>)
                new CSVLoader<>(new LabelFactory()).loadDataSource(table(name), "class");
        return new Dataset[]{
                new MutableDataset<>(StratifiedSplitDataSource.of(source, 0.3, 1L, Part.TRAIN)),
                new MutableDataset<>(StratifiedSplitDataSource.of(source, 0.3, 1L, Part.TEST))};
    }

    /** The trainer a configuration file naming only the class gives (OLCUT's no-argument construction). */
    static MLPTrainer fromConfigurationFile() throws Exception {
        Path file = java.nio.file.Files.createTempFile("bare", ".xml");
        try {
            java.nio.file.Files.writeString(file, "<config><component name=\"t\" type=\"dev.regula.mlp.MLPTrainer\"/></config>");
            ConfigurationManager cm = new ConfigurationManager(file.toString());
            MLPTrainer t = (MLPTrainer) cm.lookup("t");
            cm.close();
            return t;
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    static double accuracy(Model<Label> model, Dataset<Label> test) {
        return new LabelEvaluator().evaluate(model, test).accuracy();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iris.csv", "wine.csv", "breast-cancer.csv"})
    void theDefaultClassifierIsAtLeastAsAccurateAsLogisticRegressionOnRawTables(String name) throws Exception {
        Dataset<Label>[] d = split(name);
        double lr = accuracy(new LogisticRegressionTrainer().train(d[0]), d[1]);
        MLPModel model = MLPTrainer.builder().build().train(d[0]);
        double mlp = accuracy(model, d[1]);
        assertTrue(mlp >= lr, name + ": default network " + mlp + " vs logistic regression " + lr);
        // the bare field values (no hidden layer, 10 epochs of 128, raw inputs) are what the defaults replace
        double bare = accuracy(fromConfigurationFile().train(d[0]), d[1]);
        assertTrue(bare < mlp, name + ": bare configuration " + bare + " vs defaults " + mlp);
    }

    @Test
    void theDefaultsAreOrdinarySettings() throws Exception {
        MLPTrainer t = MLPTrainer.builder().build();
        assertEquals(1, t.getHiddenLayers().size());
        assertEquals(MLPTrainerBuilder.DEFAULT_HIDDEN_UNITS, t.getHiddenLayers().get(0).getUnits());
        assertEquals(Activation.RELU, t.getHiddenLayers().get(0).getActivation());
        assertEquals(MLPTrainerBuilder.DEFAULT_EPOCHS, t.getEpochs());
        assertEquals(MLPTrainerBuilder.DEFAULT_MINIBATCH_SIZE, t.getMinibatchSize());
        EarlyStopping stop = t.getEarlyStopping();
        assertNotNull(stop);
        assertEquals(Monitor.LOSS, stop.getMonitor());
        assertEquals(MLPTrainerBuilder.CONVERGENCE_TOLERANCE, stop.getMinDelta());
        assertEquals(MLPTrainerBuilder.CONVERGENCE_PATIENCE, stop.getPatience());
        assertTrue(!stop.isRestoreBestWeights());
        assertNotNull(t.getStandardization());
        assertTrue(t.getStandardization().effectiveFeaturewiseCenter() && t.getStandardization().effectiveFeaturewiseStd());

        // the other output types start from the same defaults
        for (AbstractMLPTrainer<?, ?> other : List.of(MLPRegressionTrainer.builder().build(), MLPMultiLabelTrainer.builder().build())) {
            assertEquals(t.getHiddenLayers().get(0).getUnits(), other.getHiddenLayers().get(0).getUnits());
            assertEquals(t.getEpochs(), other.getEpochs());
            assertEquals(t.getMinibatchSize(), other.getMinibatchSize());
            assertNotNull(other.getEarlyStopping());
            assertNotNull(other.getStandardization());
        }

        // every default can be replaced or switched off
        MLPTrainer explicit = MLPTrainer.builder().addLayer(Layer.dense(7).build()).earlyStopping(null).standardization(null).build();
        assertEquals(1, explicit.getHiddenLayers().size());
        assertEquals(7, explicit.getHiddenLayers().get(0).getUnits());
        assertNull(explicit.getEarlyStopping());
        assertNull(explicit.getStandardization());
        assertEquals(0, MLPTrainer.builder().withoutHiddenLayers().build().getHiddenLayers().size());

        // a reused builder: the default layer is replaced, not appended to, by layers added after a build
        MLPTrainer.Builder b = MLPTrainer.builder();
        MLPTrainer first = b.build();
        MLPTrainer second = b.addLayer(Layer.dense(9).build()).build();
        assertEquals(1, first.getHiddenLayers().size());
        assertEquals(MLPTrainerBuilder.DEFAULT_HIDDEN_UNITS, first.getHiddenLayers().get(0).getUnits());
        assertEquals(1, second.getHiddenLayers().size());
        assertEquals(9, second.getHiddenLayers().get(0).getUnits());
        MLPTrainer third = b.addLayer(Layer.dense(5).build()).build(); // layers chosen: further ones append
        assertEquals(2, third.getHiddenLayers().size());

        // the configuration-file trainer keeps the bare field values, so recorded provenance means what it says
        MLPTrainer fromConfig = fromConfigurationFile();
        assertEquals(0, fromConfig.getHiddenLayers().size());
        assertEquals(10, fromConfig.getEpochs());
        assertNull(fromConfig.getEarlyStopping());
        assertNull(fromConfig.getStandardization());
    }

    @Test
    void aRunOfTooFewOptimiserStepsIsWarnedAbout() throws Exception {
        Dataset<Label>[] d = split("iris.csv");
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel() == Level.WARNING) {
                    warnings.add(r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(MLPTrainer.class.getName());
        Level before = log.getLevel();
        log.setLevel(Level.WARNING);
        log.addHandler(h);
        try {
            fromConfigurationFile().train(d[0]); // 10 epochs of one minibatch of 105 rows
            assertTrue(warnings.stream().anyMatch(w -> w.startsWith("this run takes at most 10 optimiser steps (10 epochs of 1 "
                    + "minibatches of 105 rows)")), warnings.toString());
            warnings.clear();
            MLPTrainer.builder().build().train(d[0]); // 200 epochs of 4 minibatches: 800 steps
            assertEquals(List.of(), warnings);
        } finally {
            log.removeHandler(h);
            log.setLevel(before);
        }
    }
}
