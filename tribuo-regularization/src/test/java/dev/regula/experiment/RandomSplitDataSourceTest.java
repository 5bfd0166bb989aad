package dev.regula.experiment;

import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPRegressionModel;
import dev.regula.mlp.MLPRegressionTrainer;
import org.junit.jupiter.api.Test;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The random split for any output type: a partition, seeded, and reproducible from a model's provenance. */
class RandomSplitDataSourceTest {
    @Test
    void splitsPartitionTheDataAndModelsOnThemReproduce() throws Exception {
        Logger.getLogger("dev.regula").setLevel(Level.WARNING);
        Path csv = Path.of(RandomSplitDataSourceTest.class.getResource("/dev/regula/mlp/diabetes.csv").toURI());
        @SuppressWarnings("unchecked")
        ConfigurableDataSource<Regressor> all = (ConfigurableDataSource<Regressor>)
                new CSVLoader<>(new RegressionFactory()).loadDataSource(csv, "progression");
        var train = RandomSplitDataSource.of(all, 0.3, 5, StratifiedSplitDataSource.Part.TRAIN);
        var test = RandomSplitDataSource.of(all, 0.3, 5, StratifiedSplitDataSource.Part.TEST);
        assertEquals(Math.round(0.3 * 442), test.size());
        assertEquals(442, train.size() + test.size());
        Set<String> seen = new HashSet<>();
        for (Example<Regressor> e : train) {
            seen.add(e.toString());
        }
        for (Example<Regressor> e : test) {
            assertTrue(seen.add(e.toString()), "a test example also in train: " + e);
        }
        assertNotEquals(test.iterator().next().toString(),
                RandomSplitDataSource.of(all, 0.3, 6, StratifiedSplitDataSource.Part.TEST).iterator().next().toString(),
                "another seed draws another split");
        MLPRegressionModel m = MLPRegressionTrainer.builder().addLayer(Layer.dense(8).build()).epochs(3).seed(2)
                .numThreads(1).build().train(new MutableDataset<>(train));
        var r = Reproduction.of(m);
        assertTrue(m.getNetwork().sameParameters(r.retrain().getNetwork()));
        assertTrue(r.reproduce(m, new MutableDataset<>(test)).identical());
    }
}
