package dev.regula.augment;

import dev.regula.data.ImageGeometry;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/** Conversions between Tribuo examples with pixel-index feature names and flat float images. */
final class ImageExamples {
    /** How many leading examples are checked against the geometry at configuration time. */
    static final int CHECKED_EXAMPLES = 100;

    private final ImageGeometry geometry;
    private final String[] names;
    private final Map<String, Integer> indexCache = new HashMap<>();

    ImageExamples(ImageGeometry geometry) {
        this.geometry = geometry;
        this.names = new String[geometry.getSize()];
        for (int i = 0; i < names.length; i++) {
            names[i] = geometry.featureName(i);
        }
    }

    ImageGeometry getGeometry() {
        return geometry;
    }

    /** The pixel index of a feature name, or a descriptive exception. */
    int pixelIndex(String name) {
        Integer cached = indexCache.get(name);
        if (cached != null) {
            return cached;
        }
        int size = geometry.getSize();
        int width = names[0].length();
        int altWidth = String.valueOf(size).length();
        int pixel;
        try {
            pixel = Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Feature '" + name + "' is not a pixel index; geometry " + geometry
                    + " needs features named by zero-padded flat pixel index (" + names[0] + " to " + names[size - 1] + ")");
        }
        if (pixel < 0 || pixel >= size) {
            throw new IllegalArgumentException("Feature '" + name + "' is outside geometry " + geometry
                    + " (" + size + " values, names " + names[0] + " to " + names[size - 1] + ")");
        }
        if (name.length() != width && name.length() != altWidth) {
            throw new IllegalArgumentException("Feature '" + name + "' is padded to " + name.length()
                    + " digits but geometry " + geometry + " has " + size + " values (names padded to " + width
                    + " digits); the geometry does not match the data");
        }
        indexCache.put(name, pixel);
        return pixel;
    }

    /** Writes the example's pixels into dst[offset, offset + size), zeros where a feature is absent. */
    void densify(Example<Label> example, float[] dst, int offset) {
        Arrays.fill(dst, offset, offset + geometry.getSize(), 0f);
        for (Feature f : example) {
            dst[offset + pixelIndex(f.getName())] = (float) f.getValue();
        }
    }

    /** A dense example with IDX-style names carrying the example's label and weight. */
    Example<Label> toExample(Example<Label> like, float[] src, int offset) {
        double[] values = new double[names.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = src[offset + i];
        }
        ArrayExample<Label> ex = new ArrayExample<>(like.getOutput(), names, values);
        ex.setWeight(like.getWeight());
        return ex;
    }

    /**
     * Checks the first examples of a source against the geometry.
     * @return null if they match, otherwise the problem.
     */
    String check(Iterable<Example<Label>> source) {
        Iterator<Example<Label>> it = source.iterator();
        int n = 0;
        try {
            while (it.hasNext() && n < CHECKED_EXAMPLES) {
                for (Feature f : it.next()) {
                    pixelIndex(f.getName());
                }
                n++;
            }
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }
}
