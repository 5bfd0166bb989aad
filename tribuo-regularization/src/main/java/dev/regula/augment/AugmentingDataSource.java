package dev.regula.augment;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import dev.regula.data.ConfiguredSourceProvenance;
import dev.regula.data.ImageGeometry;
import org.tribuo.ConfigurableDataSource;
import org.tribuo.Example;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.provenance.DataSourceProvenance;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A data source decorator that emits, for every example of its source, the original (optionally) followed by
 * {@code copies} randomly transformed copies, as dense examples with IDX-style feature names
 * ({@link ImageGeometry#featureName(int)}), the same label and the same weight.
 * <p>
 * Deterministic: every {@link #iterator()} call draws from a fresh {@code SplittableRandom(seed)}, so two
 * iterations (and a source rebuilt from provenance) give identical examples.
 * <p>
 * A {@code MutableDataset} built from this source iterates it once, so the augmentation is <em>static</em>
 * (a fixed, enlarged training set). Fresh random transforms every epoch need the trainer's own augmentation.
 */
public final class AugmentingDataSource implements ConfigurableDataSource<Label> {

    @Config(mandatory = true, description = "The source of the images to augment.")
    private ConfigurableDataSource<Label> source;

    @Config(mandatory = true, description = "The random transforms.")
    private Augmentation augmentation;

    @Config(description = "Image geometry WIDTHxHEIGHTxCHANNELS; feature names must be flat pixel indices.")
    private String geometry = "28x28x1";

    @Config(description = "Number of transformed copies emitted per input example. Non-negative.")
    private int copies = 1;

    @Config(description = "Whether the untransformed example is emitted before its copies.")
    private boolean includeOriginal = true;

    @Config(description = "Seed of the random transforms.")
    private long seed = 12345L;

    private ImageGeometry imageGeometry;

    /** For OLCUT. */
    private AugmentingDataSource() {}

    /**
     * Validates the configuration, including the geometry against the source's first examples.
     * @throws PropertyException naming the offending field.
     */
    @Override
    public void postConfig() {
        if (source == null) {
            throw new PropertyException("", "source", "source must be set");
        }
        if (augmentation == null) {
            throw new PropertyException("", "augmentation", "augmentation must be set");
        }
        if (copies < 0) {
            throw new PropertyException("", "copies", "copies must be >= 0, found " + copies);
        }
        if (copies == 0 && !includeOriginal) {
            throw new PropertyException("", "copies", "copies must be >= 1 when includeOriginal is false (nothing would be emitted)");
        }
        try {
            imageGeometry = ImageGeometry.parse(geometry);
        } catch (IllegalArgumentException e) {
            throw new PropertyException(e, "", "geometry", e.getMessage());
        }
        String problem = new ImageExamples(imageGeometry).check(source);
        if (problem != null) {
            throw new PropertyException("", "geometry", "geometry " + geometry + " does not match the source: " + problem);
        }
    }

    /**
     * Starts a builder.
     * @param source the images to augment.
     * @param augmentation the random transforms.
     * @return a builder with geometry 28x28x1, one copy, the original included and seed 12345.
     */
    public static Builder builder(ConfigurableDataSource<Label> source, Augmentation augmentation) {
        return new Builder(source, augmentation);
    }

    /** @return the image geometry. */
    public ImageGeometry getGeometry() {
        return imageGeometry;
    }

    /** @return the number of examples emitted per input example. */
    public int getExamplesPerInput() {
        return copies + (includeOriginal ? 1 : 0);
    }

    @Override
    public OutputFactory<Label> getOutputFactory() {
        return source.getOutputFactory();
    }

    @Override
    public Iterator<Example<Label>> iterator() {
        return new AugmentingIterator(source.iterator(), new SplittableRandom(seed));
    }

    @Override
    public DataSourceProvenance getProvenance() {
        return new AugmentingDataSourceProvenance(this);
    }

    @Override
    public String toString() {
        return "AugmentingDataSource(source=" + source + ", augmentation=" + augmentation + ", geometry=" + geometry
                + ", copies=" + copies + ", includeOriginal=" + includeOriginal + ", seed=" + seed + ")";
    }

    private final class AugmentingIterator implements Iterator<Example<Label>> {
        private final Iterator<Example<Label>> inner;
        private final SplittableRandom rng;
        private final ImageExamples conv = new ImageExamples(imageGeometry);
        private final ImageAugmenter augmenter = augmentation.newAugmenter(imageGeometry);
        private final float[] original = new float[imageGeometry.getSize()];
        private final float[] transformed = new float[imageGeometry.getSize()];
        private Example<Label> current;
        private int emitted;

        AugmentingIterator(Iterator<Example<Label>> inner, SplittableRandom rng) {
            this.inner = inner;
            this.rng = rng;
        }

        @Override
        public boolean hasNext() {
            return (current != null && emitted < getExamplesPerInput()) || inner.hasNext();
        }

        @Override
        public Example<Label> next() {
            if (current == null || emitted >= getExamplesPerInput()) {
                if (!inner.hasNext()) {
                    throw new NoSuchElementException();
                }
                current = inner.next();
                conv.densify(current, original, 0);
                emitted = 0;
            }
            Example<Label> out;
            if (includeOriginal && emitted == 0) {
                out = conv.toExample(current, original, 0);
            } else {
                augmenter.augment(original, 0, transformed, 0, rng);
                out = conv.toExample(current, transformed, 0);
            }
            emitted++;
            return out;
        }
    }

    /** Builder for {@link AugmentingDataSource}; {@link #build()} runs the same validation as OLCUT. */
    public static final class Builder {
        private final AugmentingDataSource ds = new AugmentingDataSource();

        private Builder(ConfigurableDataSource<Label> source, Augmentation augmentation) {
            ds.source = source;
            ds.augmentation = augmentation;
        }

        /**
         * @param geometry image geometry such as {@code 28x28x1}.
         * @return this builder.
         */
        public Builder geometry(String geometry) {
            ds.geometry = geometry;
            return this;
        }

        /**
         * @param geometry image geometry.
         * @return this builder.
         */
        public Builder geometry(ImageGeometry geometry) {
            ds.geometry = geometry.toString();
            return this;
        }

        /**
         * @param copies transformed copies per input example, non-negative.
         * @return this builder.
         */
        public Builder copies(int copies) {
            ds.copies = copies;
            return this;
        }

        /**
         * @param include whether the original example is emitted too.
         * @return this builder.
         */
        public Builder includeOriginal(boolean include) {
            ds.includeOriginal = include;
            return this;
        }

        /**
         * @param seed seed of the random transforms.
         * @return this builder.
         */
        public Builder seed(long seed) {
            ds.seed = seed;
            return this;
        }

        /**
         * Validates and returns the data source.
         * @return the data source.
         * @throws PropertyException if the configuration is invalid.
         */
        public AugmentingDataSource build() {
            ds.postConfig();
            return ds;
        }
    }

    /** Provenance for {@link AugmentingDataSource}; the inner source and augmentation nest as configured objects. */
    public static final class AugmentingDataSourceProvenance extends ConfiguredSourceProvenance {
        private static final long serialVersionUID = 1L;

        AugmentingDataSourceProvenance(AugmentingDataSource host) {
            super(host);
        }

        /**
         * Deserialization constructor.
         * @param map the provenance map.
         */
        public AugmentingDataSourceProvenance(Map<String, Provenance> map) {
            super(map, AugmentingDataSourceProvenance.class);
        }
    }
}
