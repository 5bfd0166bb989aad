package dev.regula.mlp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library is quiet by default: one {@code INFO} line per training run (how it ended), each epoch at
 * {@code FINE}, and a metric that does not exist for the run (validation metrics without validation data,
 * accuracy for a regression) is left out of the epoch line instead of printed as {@code NaN}.
 */
class LoggingTest {
    private final Logger regula = Logger.getLogger("dev.regula");
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level before;
    /** Levels other tests set on the trainers' own loggers (which would filter records before they reach ours). */
    private final Map<Logger, Level> childLevels = new HashMap<>();
    /** Strong references to the trainers' loggers while their levels are cleared (JUL holds loggers weakly). */
    private final List<Logger> trainerLoggers = new ArrayList<>();

    @BeforeEach
    void listen() {
        before = regula.getLevel();
        regula.setLevel(Level.ALL); // see everything the library would log, FINE included
        for (Class<?> c : List.of(MLPTrainer.class, MLPRegressionTrainer.class)) {
            Logger child = Logger.getLogger(c.getName());
            trainerLoggers.add(child);
            childLevels.put(child, child.getLevel());
            child.setLevel(null); // inherit dev.regula's level
        }
        capture.setLevel(Level.ALL);
        regula.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        regula.removeHandler(capture);
        regula.setLevel(before);
        childLevels.forEach(Logger::setLevel);
    }

    private static Path resource(String name) throws Exception {
        return Path.of(LoggingTest.class.getResource(name).toURI());
    }

    private static Dataset<Label> iris() throws Exception {
        return new MutableDataset<>(new CSVLoader<>(new LabelFactory()).loadDataSource(resource("iris.csv"), "class"));
    }

    private List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel() == level).map(LogRecord::getMessage).toList();
    }

    private List<String> epochLines() {
        return messages(Level.FINE).stream().filter(m -> m.startsWith("epoch ")).toList();
    }

    @Test
    void oneInfoLinePerRunAndEachEpochAtFine() throws Exception {
        Dataset<Label> data = iris();
        MLPTrainer trainer = MLPTrainer.builder().addLayer(Layer.dense(8).build()).epochs(7).minibatchSize(16)
                .seed(3).numThreads(1).build();
        trainer.train(data);
        assertEquals(List.of("MLPTrainer: completed all 7 epochs"), messages(Level.INFO));
        List<String> epochs = epochLines();
        assertEquals(7, epochs.size(), epochs.toString());
        for (int i = 0; i < epochs.size(); i++) {
            String line = epochs.get(i);
            assertTrue(line.matches("epoch " + (i + 1) + "/7: loss=\\d+\\.\\d{4} accuracy=\\d\\.\\d{4} \\(\\d+\\.\\d\\d s\\)"),
                    line);
        }
        records.clear();
        trainer.train(data);
        assertEquals(1, messages(Level.INFO).size(), "a second run logs its own single INFO line");
    }

    @Test
    void validationMetricsAppearOnlyWithValidationData() throws Exception {
        MLPTrainer.builder().addLayer(Layer.dense(8).build()).epochs(3).minibatchSize(16).seed(3).numThreads(1)
                .validationFraction(0.2).build().train(iris());
        List<String> epochs = epochLines();
        assertEquals(3, epochs.size(), epochs.toString());
        for (String line : epochs) {
            assertTrue(line.matches("epoch \\d/3: loss=\\S+ accuracy=\\S+ val_loss=\\S+ val_accuracy=\\S+ \\(.* s\\)"), line);
            assertFalse(line.contains("NaN"), line);
        }
    }

    @Test
    void aRegressionEpochLineHasNoAccuracy() throws Exception {
        Dataset<Regressor> data = new MutableDataset<>(new CSVLoader<>(new RegressionFactory())
                .loadDataSource(resource("diabetes.csv"), "progression"));
        MLPRegressionTrainer.builder().addLayer(Layer.dense(8).build()).epochs(2).seed(3).numThreads(1).build()
                .train(data);
        assertEquals(1, messages(Level.INFO).size(), messages(Level.INFO).toString());
        List<String> epochs = epochLines();
        assertEquals(2, epochs.size(), epochs.toString());
        for (String line : epochs) {
            assertTrue(line.matches("epoch \\d/2: loss=\\S+ \\(.* s\\)"), line);
        }
    }

    @Test
    void describeLeavesOutMetricsThatWereNotComputed() {
        EpochRecord all = new EpochRecord(2, 0.5, 0.01, 0.75, 0.625, 0.7, 0.625, 1e-3, 0.125);
        assertEquals("epoch 2/5: loss=0.5000 accuracy=0.7500 val_loss=0.6250 val_accuracy=0.7000 (0.13 s)",
                Listeners.describe(all, 5));
        EpochRecord none = new EpochRecord(1, 0.5, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 1e-3, 0.5);
        assertEquals("epoch 1/5: loss=0.5000 (0.50 s)", Listeners.describe(none, 5));
        EpochRecord diverged = new EpochRecord(3, Double.POSITIVE_INFINITY, 0, 0.1, Double.NaN, Double.NaN,
                Double.NaN, 1e-3, 0.5);
        assertEquals("epoch 3/5: loss=Infinity accuracy=0.1000 (0.50 s)", Listeners.describe(diverged, 5));
    }

    @Test
    void atTheDefaultLevelNothingPerEpochIsLogged() throws Exception {
        regula.setLevel(null); // inherit the root logger's level, INFO unless configured otherwise
        Level root = Logger.getLogger("").getLevel();
        Logger.getLogger("").setLevel(Level.INFO);
        try {
            MLPTrainer.builder().addLayer(Layer.dense(8).build()).epochs(4).minibatchSize(16).seed(3).numThreads(1)
                    .build().train(iris());
        } finally {
            Logger.getLogger("").setLevel(root);
        }
        assertEquals(List.of(), epochLines());
        assertEquals(1, records.stream().filter(r -> r.getLevel().intValue() <= Level.INFO.intValue()).count(),
                records.stream().map(LogRecord::getMessage).toList().toString());
    }
}
