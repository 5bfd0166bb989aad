package dev.regula.augment;

/**
 * How {@link ImageAugmenter} samples points that fall outside the source image, following
 * {@code scipy.ndimage} (which Keras' {@code ImageDataGenerator} calls with {@code order=1}).
 * <p>
 * The examples show a row {@code a b c d} (n = 4) and what lies to its left and right.
 */
public enum FillMode {
    /**
     * {@code k k k k | a b c d | k k k k} with {@code k = cval}: a sample whose coordinate lies outside
     * {@code [0, n-1]} on either axis is {@code cval}; no blending with {@code cval} inside the border
     * (scipy {@code 'constant'}, not {@code 'grid-constant'}).
     */
    CONSTANT,
    /** {@code a a a a | a b c d | d d d d}: the edge pixel is repeated (scipy {@code 'nearest'}, the Keras default). */
    NEAREST,
    /**
     * {@code d c b a | a b c d | d c b a}: half-sample symmetric reflection, the edge pixel is repeated once
     * (scipy {@code 'reflect'}; PyTorch/NumPy call this {@code symmetric}).
     */
    REFLECT,
    /**
     * scipy's legacy {@code 'wrap'}, which is what Keras' {@code ImageDataGenerator(fill_mode='wrap')} does:
     * the <em>coordinate</em> is wrapped into {@code [0, n-1]} with period {@code n-1}, so the first and last
     * pixel are identified ({@code b c d | a b c d | b c d}). Use {@link #GRID_WRAP} for a true period-n tiling.
     */
    WRAP,
    /**
     * {@code a b c d | a b c d | a b c d}: periodic tiling with period n (scipy {@code 'grid-wrap'}; the
     * {@code 'wrap'} of torchvision, TensorFlow and the Keras 3 preprocessing layers).
     */
    GRID_WRAP
}
