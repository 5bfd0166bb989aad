package dev.regula.testing;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import dev.regula.data.ConfiguredSourceProvenance;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;
import org.tribuo.multilabel.MultiLabel;
import org.tribuo.multilabel.MultiLabelFactory;
import org.tribuo.provenance.DataSourceProvenance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A multi-label problem whose labels depend on feature interactions, out of a linear model's reach (Tribuo's own
 * {@code MultiLabelDataGenerator} is linear). Six features uniform in [−1, 1]; four labels:
 * {@code A: x0·x1 > 0} (an XOR), {@code B: x2² + x3² < 0.5} (a disc), {@code C: |x4| > 0.5} (two slabs),
 * {@code D: none of A, B, C}, so that every example has a label (Tribuo's Jaccard score is NaN for an example whose
 * true and predicted label sets are both empty). Each of A, B, C is flipped with probability {@code noise} before
 * D is derived.
 * Configurable, so that models trained on it can be reproduced from their provenance.
 */
public final class InteractionMultiLabelSource implements ConfigurableDataSource<MultiLabel> {
    @Config(description = "Number of examples.")
    private int size = 1000;

    @Config(description = "Probability of flipping each label.")
    private double noise = 0.02;

    @Config(description = "Seed.")
    private long seed = 1;

    private List<Example<MultiLabel>> examples = List.of();

    private InteractionMultiLabelSource() {}

    /**
     * @param size the number of examples.
     * @param noise the label-flip probability.
     * @param seed the seed.
     * @return the source.
     */
    public static InteractionMultiLabelSource of(int size, double noise, long seed) {
        InteractionMultiLabelSource s = new InteractionMultiLabelSource();
        s.size = size;
        s.noise = noise;
        s.seed = seed;
        s.postConfig();
        return s;
    }

    @Override
    public void postConfig() {
        SplittableRandom rng = new SplittableRandom(seed);
        String[] names = {"x0", "x1", "x2", "x3", "x4", "x5"};
        List<Example<MultiLabel>> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            double[] x = new double[6];
            for (int j = 0; j < 6; j++) {
                x[j] = 2 * rng.nextDouble() - 1;
            }
            boolean[] on = {x[0] * x[1] > 0, x[2] * x[2] + x[3] * x[3] < 0.5, Math.abs(x[4]) > 0.5};
            Set<Label> labels = new HashSet<>();
            for (int k = 0; k < on.length; k++) {
                if (on[k] != rng.nextDouble() < noise) {
                    labels.add(new Label(String.valueOf((char) ('A' + k))));
                }
            }
            if (labels.isEmpty()) {
                labels.add(new Label("D"));
            }
            out.add(new ArrayExample<>(new MultiLabel(labels), names, x));
        }
        examples = out;
    }

    @Override
    public OutputFactory<MultiLabel> getOutputFactory() {
        return new MultiLabelFactory();
    }

    @Override
    public Iterator<Example<MultiLabel>> iterator() {
        return examples.iterator();
    }

    @Override
    public DataSourceProvenance getProvenance() {
        return new InteractionProvenance(this);
    }

    /** The source's configuration as provenance. */
    public static final class InteractionProvenance extends ConfiguredSourceProvenance {
        private static final long serialVersionUID = 1L;

        InteractionProvenance(InteractionMultiLabelSource host) {
            super(host);
        }

        /**
         * Deserialization constructor.
         * @param map the provenance map.
         */
        public InteractionProvenance(Map<String, Provenance> map) {
            super(map, InteractionProvenance.class);
        }
    }
}
