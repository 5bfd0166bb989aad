package dev.regula.experiment;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import dev.regula.data.ConfiguredSourceProvenance;
import dev.regula.data.Splits;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.Output;
import org.tribuo.provenance.DataSourceProvenance;

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
public final class RandomSplitDataSource<T extends Output<T>> extends SplitDataSource<T> {
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
        s.configure(source, testFraction, seed, part);
        return s;
    }

    /** One group: a seeded share of all the examples. */
    @Override
    boolean[] heldOut(List<Example<T>> all, double fraction, SplittableRandom rng) {
        return Splits.stratifiedHoldOut(new int[all.size()], 1, fraction, rng);
    }

    @Override
    public DataSourceProvenance getProvenance() {
        return new RandomSplitProvenance(this);
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
