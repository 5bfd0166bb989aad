package dev.regula.experiment;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.Output;
import org.tribuo.OutputFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One side of a seeded split of another source into a training and a held-out test side, each keeping the source's
 * order. OLCUT-configurable — unlike Tribuo's {@code TrainTestSplitter}, whose sides carry a non-configurable
 * provenance — so a model trained on one side can be re-created from its provenance alone ({@link Reproduction});
 * the two sides of one split are two instances that differ only in {@code part}. Subclasses choose the held-out
 * examples: by label ({@link StratifiedSplitDataSource}) or at random ({@link RandomSplitDataSource}).
 *
 * @param <T> the output type.
 */
public abstract class SplitDataSource<T extends Output<T>> implements ConfigurableDataSource<T> {
    @Config(mandatory = true, description = "The source to split.")
    ConfigurableDataSource<T> source;

    @Config(description = "Fraction of the examples held out as the test side (for a stratified split, of each "
            + "label's examples), in (0, 1).")
    double testFraction = 0.2;

    @Config(description = "Seed of the shuffle choosing the held-out examples.")
    long seed = 1;

    @Config(description = "Side of the split to yield: TRAIN or TEST.")
    StratifiedSplitDataSource.Part part = StratifiedSplitDataSource.Part.TRAIN;

    private transient List<Example<T>> examples;

    /** For OLCUT and subclasses. */
    SplitDataSource() {}

    /** Sets the configuration and validates it (for the subclasses' factories). */
    final void configure(ConfigurableDataSource<T> source, double testFraction, long seed, StratifiedSplitDataSource.Part part) {
        this.source = source;
        this.testFraction = testFraction;
        this.seed = seed;
        this.part = part;
        postConfig();
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

    /**
     * Chooses the held-out examples.
     * @param all the source's examples, in order.
     * @param fraction the test fraction.
     * @param rng the seeded random source.
     * @return for each example, whether it is held out.
     */
    abstract boolean[] heldOut(List<Example<T>> all, double fraction, SplittableRandom rng);

    private synchronized List<Example<T>> examples() {
        if (examples == null) {
            List<Example<T>> all = new ArrayList<>();
            for (Example<T> e : source) {
                all.add(e);
            }
            boolean[] test = heldOut(all, testFraction, new SplittableRandom(seed));
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

    /** @return the held-out fraction. */
    public double getTestFraction() {
        return testFraction;
    }

    /** @return the side this source yields. */
    public StratifiedSplitDataSource.Part getPart() {
        return part;
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
    public String toString() {
        return getClass().getSimpleName() + "(part=" + part + ", testFraction=" + testFraction + ", seed=" + seed
                + ", source=" + source + ")";
    }
}
