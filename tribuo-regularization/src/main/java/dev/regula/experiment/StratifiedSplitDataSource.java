package dev.regula.experiment;

import dev.regula.data.ConfiguredSourceProvenance;
import dev.regula.data.Splits;
import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.provenance.DataSourceProvenance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
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
public final class StratifiedSplitDataSource implements ConfigurableDataSource<Label> {

    /** Which side of the split a source yields. */
    public enum Part {
        /** The examples not held out. */
        TRAIN,
        /** The held-out examples. */
        TEST
    }

    @Config(mandatory = true, description = "The source to split.")
    private ConfigurableDataSource<Label> source;

    @Config(description = "Fraction of each label's examples held out as the test side, in (0, 1).")
    private double testFraction = 0.2;

    @Config(description = "Seed of the shuffle choosing the held-out examples.")
    private long seed = 1;

    @Config(description = "Side of the split to yield: TRAIN or TEST.")
    private Part part = Part.TRAIN;

    private transient List<Example<Label>> examples;

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

    private synchronized List<Example<Label>> examples() {
        if (examples == null) {
            List<Example<Label>> all = new ArrayList<>();
            for (Example<Label> e : source) {
                all.add(e);
            }
            // Groups are the label names in sorted order, so the split does not depend on the labels' first appearance.
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
            boolean[] test = Splits.stratifiedHoldOut(group, rank.size(), testFraction, new SplittableRandom(seed));
            List<Example<Label>> kept = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (test[i] == (part == Part.TEST)) {
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

    /** @return the held-out fraction. */
    public double getTestFraction() {
        return testFraction;
    }

    /** @return the side this source yields. */
    public Part getPart() {
        return part;
    }

    @Override
    public OutputFactory<Label> getOutputFactory() {
        return source.getOutputFactory();
    }

    @Override
    public Iterator<Example<Label>> iterator() {
        List<Example<Label>> out = new ArrayList<>(examples().size());
        for (Example<Label> e : examples()) {
            out.add(e.copy());
        }
        return out.iterator();
    }

    @Override
    public DataSourceProvenance getProvenance() {
        return new StratifiedSplitProvenance(this);
    }

    @Override
    public String toString() {
        return "StratifiedSplitDataSource(part=" + part + ", testFraction=" + testFraction + ", seed=" + seed
                + ", source=" + source + ")";
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
