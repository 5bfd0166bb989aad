package dev.regula.experiment;

import dev.regula.data.ConfiguredSourceProvenance;
import dev.regula.data.Splits;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.provenance.DataSourceProvenance;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One side of a seeded, stratified split of another source: for every label, {@code round(testFraction · n)} of
 * its {@code n} examples (chosen by a seeded shuffle) form the {@link Part#TEST} side, the rest the
 * {@link Part#TRAIN} side; each side keeps the source's order.
 * <p>
 * Unlike Tribuo's {@code TrainTestSplitter}, whose sides carry a non-configurable provenance, this source is
 * OLCUT-configurable, so a model trained on a held-out split can be re-created from its provenance alone (see
 * {@link Reproduction}). The two sides of one split are two instances that differ only in {@code part}.
 */
public final class StratifiedSplitDataSource extends SplitDataSource<Label> {

    /** Which side of the split a source yields. */
    public enum Part {
        /** The examples not held out. */
        TRAIN,
        /** The held-out examples. */
        TEST
    }

    /** For OLCUT. */
    private StratifiedSplitDataSource() {}

    /**
     * Creates one side of a split.
     * @param source the source to split.
     * @param testFraction fraction of each label held out, in (0, 1).
     * @param seed the shuffle seed.
     * @param part the side to yield.
     * @return the source.
     * @throws PropertyException if {@code testFraction} is outside (0, 1).
     */
    public static StratifiedSplitDataSource of(ConfigurableDataSource<Label> source, double testFraction, long seed, Part part) {
        StratifiedSplitDataSource s = new StratifiedSplitDataSource();
        s.configure(source, testFraction, seed, part);
        return s;
    }

    /** For every label (in sorted name order, so the split does not depend on first appearance), a seeded share. */
    @Override
    boolean[] heldOut(List<Example<Label>> all, double fraction, SplittableRandom rng) {
        Map<String, Integer> rank = new TreeMap<>();
        for (Example<Label> e : all) {
            rank.put(e.getOutput().getLabel(), 0);
        }
        int next = 0;
        for (Map.Entry<String, Integer> entry : rank.entrySet()) {
            entry.setValue(next++);
        }
        int[] group = new int[all.size()];
        for (int i = 0; i < group.length; i++) {
            group[i] = rank.get(all.get(i).getOutput().getLabel());
        }
        return Splits.stratifiedHoldOut(group, rank.size(), fraction, rng);
    }

    @Override
    public DataSourceProvenance getProvenance() {
        return new StratifiedSplitProvenance(this);
    }

    /**
     * Provenance of a {@link StratifiedSplitDataSource}: its configuration, with the split source's provenance nested.
     */
    public static final class StratifiedSplitProvenance extends ConfiguredSourceProvenance {
        private static final long serialVersionUID = 1L;

        StratifiedSplitProvenance(StratifiedSplitDataSource host) {
            super(host);
        }

        /**
         * Deserialization constructor.
         * @param map the provenance map.
         */
        public StratifiedSplitProvenance(Map<String, Provenance> map) {
            super(map, StratifiedSplitProvenance.class);
        }
    }
}
