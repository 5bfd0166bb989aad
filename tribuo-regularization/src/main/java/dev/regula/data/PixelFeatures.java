package dev.regula.data;

import org.tribuo.ImmutableFeatureMap;
import org.tribuo.VariableInfo;

/**
 * Glue between Tribuo feature maps and the plain {@link ImageGeometry}: maps feature ids to flat pixel indices.
 * <p>
 * Feature ids in a Tribuo feature map are <em>not</em> pixel indices: a map built from IDX data holds only the
 * pixels that were ever non-zero, sorted by name. The names, however, are the zero-padded flat indices that
 * {@link ImageGeometry#featureName(int)} gives, so parsing them recovers the pixel of each id.
 */
public final class PixelFeatures {

    private PixelFeatures() {}

    /**
     * Maps each feature id of a feature map to its flat pixel index, by parsing the feature names.
     * @param geometry the image geometry the names must fit.
     * @param featureMap a feature map whose names are flat pixel indices.
     * @return an array of length {@code featureMap.size()} with the pixel index of feature id {@code i} at {@code i}.
     * @throws IllegalArgumentException if a name is not an integer in {@code [0, geometry.getSize())} padded as
     *     {@link ImageGeometry#featureName(int)} pads it.
     */
    public static int[] indices(ImageGeometry geometry, ImmutableFeatureMap featureMap) {
        int size = geometry.getSize();
        int digits = geometry.digits();
        int[] out = new int[featureMap.size()];
        for (VariableInfo info : featureMap) {
            String name = info.getName();
            int id = featureMap.getID(name);
            int pixel;
            try {
                pixel = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Feature '" + name + "' is not a pixel index; image geometry "
                        + geometry + " needs features named by flat pixel index", e);
            }
            if (pixel < 0 || pixel >= size) {
                throw new IllegalArgumentException("Feature '" + name + "' is outside image geometry " + geometry
                        + " (valid pixel indices are 0.." + (size - 1) + ")");
            }
            if (name.length() != digits) {
                throw new IllegalArgumentException("Feature '" + name + "' is padded to " + name.length()
                        + " digits but image geometry " + geometry + " has " + size + " values (names padded to "
                        + digits + " digits, e.g. '" + geometry.featureName(0) + "'); the geometry does not match the data");
            }
            out[id] = pixel;
        }
        return out;
    }
}
