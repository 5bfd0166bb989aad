package dev.regula.experiment;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import dev.regula.data.ConfiguredSourceProvenance;
import dev.regula.data.Splits;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.OutputFactory;
import org.tribuo.Output;
import org.tribuo.provenance.DataSourceProvenance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One side of a seeded random split of another source, for any output type: {@code round(testFraction · n)} of
 * the {@code n} examples (chosen by a seeded shuffle, the same draw as {@link StratifiedSplitDataSource} makes
 * within one label) form the {@link StratifiedSplitDataSource.Part#TEST} side, the rest the {@code TRAIN} side;
 * each side keeps the source's order. Use it for regression and multi-label data, which have no classes to
 * stratify by; like {@link StratifiedSplitDataSource} it is OLCUT-configurable, so models trained on one side can
 * be re-created from their provenance ({@link Reproduction}).
 *
 * @param <T> the output type.
 */
public final class RandomSplitDataSource<T extends Output<T>> implements ConfigurableDataSource<T> {
    @Config(mandatory = true, description = "The source to split.")
    private ConfigurableDataSource<T> source;

    @Config(description = "Fraction of the examples held out as the test side, in (0, 1).")
    private double testFraction = 0.2;

    @Config(description = "Seed of the shuffle choosing the held-out examples.")
    private long seed = 1;

    @Config(description = "Side of the split to yield: TRAIN or TEST.")
    private StratifiedSplitDataSource.Part part = StratifiedSplitDataSource.Part.TRAIN;

    private transient List<Example<T>> examples;

    /** For OLCUT. */
    private RandomSplitDataSource() {}

    /**
     * One side of a split.
     * @param source the source to split.
     * @param testFraction fraction held out, in (0, 1).
     * @param seed the shuffle seed.
     * @param part the side to yield.
     * @param <T> the output type.
     * @return the source.
     * @throws PropertyException if {@code testFraction} is outside (0, 1).
     */
    public static <T extends Output<T>> RandomSplitDataSource<T> of(ConfigurableDataSource<T> source, double testFraction,
                                                                    long seed, StratifiedSplitDataSource.Part part) {
        RandomSplitDataSource<T> s = new RandomSplitDataSource<>();
        s.source = source;
        s.testFraction = testFraction;
        s.seed = seed;
        s.part = part;
        s.postConfig();
        return s;
    }

    @Override
    public synchronized void postConfig() {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new PropertyException("", "testFraction", "testFraction must be in (0, 1), found " + testFraction);
        }
        if (part == null) {
            throw new PropertyException("", "part", "part must be TRAIN or TEST");
        }
        examples = null;
    }

    private synchronized List<Example<T>> examples() {
        if (examples == null) {
            List<Example<T>> all = new ArrayList<>();
            for (Example<T> e : source) {
                all.add(e);
            }
            boolean[] test = Splits.stratifiedHoldOut(new int[all.size()], 1, testFraction, new SplittableRandom(seed));
            List<Example<T>> kept = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (test[i] == (part == StratifiedSplitDataSource.Part.TEST)) {
                    kept.add(all.get(i));
                }
            }
            examples = Collections.unmodifiableList(kept);
        }
        return examples;
    }

    /** @return the number of examples on this side. */
    public int size() {
        return examples().size();
    }

    @Override
    public OutputFactory<T> getOutputFactory() {
        return source.getOutputFactory();
    }

    @Override
    public Iterator<Example<T>> iterator() {
        List<Example<T>> out = new ArrayList<>(examples().size());
        for (Example<T> e : examples()) {
            out.add(e.copy());
        }
        return out.iterator();
    }

    @Override
    public DataSourceProvenance getProvenance() {
        return new RandomSplitProvenance(this);
    }

    @Override
    public String toString() {
        return "RandomSplitDataSource(part=" + part + ", testFraction=" + testFraction + ", seed=" + seed
                + ", source=" + source + ")";
    }

    /** Provenance of a {@link RandomSplitDataSource}: its configuration, with the split source's provenance nested. */
    public static final class RandomSplitProvenance extends ConfiguredSourceProvenance {
        private static final long serialVersionUID = 1L;

        RandomSplitProvenance(RandomSplitDataSource<?> host) {
            super(host);
        }

        /**
         * Deserialization constructor.
         * @param map the provenance map.
         */
        public RandomSplitProvenance(Map<String, Provenance> map) {
            super(map, RandomSplitProvenance.class);
        }
    }
}
