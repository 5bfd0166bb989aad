package dev.regula.testing;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import dev.regula.data.ConfiguredSourceProvenance;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.OutputFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.DataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Friedman's first regression benchmark (Friedman 1991, "Multivariate adaptive regression splines"; scikit-learn's
 * {@code make_friedman1}): ten features uniform in [0, 1], of which five matter,
 * {@code y = 10·sin(π·x1·x2) + 20·(x3 − 0.5)² + 10·x4 + 5·x5 + ε}, ε ~ N(0, noise²). The sine of a product and the
 * square are out of a linear model's reach. Configurable, so that models trained on it can be reproduced from
 * their provenance.
 */
public final class FriedmanDataSource implements ConfigurableDataSource<Regressor> {
    @Config(description = "Number of examples.")
    private int size = 1000;

    @Config(description = "Standard deviation of the Gaussian noise.")
    private double noise = 1.0;

    @Config(description = "Seed.")
    private long seed = 1;

    private List<Example<Regressor>> examples = List.of();

    private FriedmanDataSource() {}

    /**
     * @param size the number of examples.
     * @param noise the noise standard deviation.
     * @param seed the seed.
     * @return the source.
     */
    public static FriedmanDataSource of(int size, double noise, long seed) {
        FriedmanDataSource s = new FriedmanDataSource();
        s.size = size;
        s.noise = noise;
        s.seed = seed;
        s.postConfig();
        return s;
    }

    @Override
    public void postConfig() {
        SplittableRandom rng = new SplittableRandom(seed);
        String[] names = new String[10];
        for (int j = 0; j < 10; j++) {
            names[j] = "x" + j;
        }
        List<Example<Regressor>> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            double[] x = new double[10];
            for (int j = 0; j < 10; j++) {
                x[j] = rng.nextDouble();
            }
            double y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4]
                    + noise * rng.nextGaussian();
            out.add(new ArrayExample<>(new Regressor("y", y), names, x));
        }
        examples = out;
    }

    @Override
    public OutputFactory<Regressor> getOutputFactory() {
        return new RegressionFactory();
    }

    @Override
    public Iterator<Example<Regressor>> iterator() {
        return examples.iterator();
    }

    @Override
    public DataSourceProvenance getProvenance() {
        return new FriedmanProvenance(this);
    }

    /** The source's configuration as provenance. */
    public static final class FriedmanProvenance extends ConfiguredSourceProvenance {
        private static final long serialVersionUID = 1L;

        FriedmanProvenance(FriedmanDataSource host) {
            super(host);
        }

        /**
         * Deserialization constructor.
         * @param map the provenance map.
         */
        public FriedmanProvenance(Map<String, Provenance> map) {
            super(map, FriedmanProvenance.class);
        }
    }
}
