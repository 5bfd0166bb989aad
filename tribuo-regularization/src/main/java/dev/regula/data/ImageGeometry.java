package dev.regula.data;

import java.io.Serializable;
import java.util.Objects;

/**
 * The shape of an image flattened into a feature vector: width, height and channels, laid out row-major with
 * the channel last, so that pixel {@code (x, y, c)} is flat index {@code (y * width + x) * channels + c}.
 * <p>
 * This is the layout of Tribuo's {@code IDXDataSource} (which flattens the trailing dimensions of an IDX
 * tensor) and of Regula's image-folder source. Feature names are the zero-padded flat index, exactly as
 * {@code IDXDataSource} writes them ({@code "000"} to {@code "783"} for 28×28).
 * <p>
 * Feature ids in a Tribuo feature map are <em>not</em> pixel indices: a map built from IDX data holds only the
 * pixels that were ever non-zero, sorted by name. {@link PixelFeatures#indices} gives the mapping, so that this
 * class stays a plain value free of Tribuo types.
 */
public final class ImageGeometry implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Largest supported pixel count (width × height × channels): 2^28, to keep d×d statistics representable. */
    public static final long MAX_PIXELS = 1L << 28;

    /** Image width in pixels. */
    private final int width;
    /** Image height in pixels. */
    private final int height;
    /** Channels per pixel (1 for gray, 3 for RGB). */
    private final int channels;

    private ImageGeometry(int width, int height, int channels) {
        if (width < 1 || height < 1 || channels < 1) {
            throw new IllegalArgumentException("Image geometry must be positive, found width=" + width
                    + ", height=" + height + ", channels=" + channels);
        }
        if ((long) width * height * channels > MAX_PIXELS) {
            throw new IllegalArgumentException("Image geometry " + width + "x" + height + "x" + channels
                    + " exceeds the supported " + MAX_PIXELS + " values");
        }
        this.width = width;
        this.height = height;
        this.channels = channels;
    }

    /**
     * Creates a geometry.
     * @param width image width in pixels, at least 1.
     * @param height image height in pixels, at least 1.
     * @param channels channels per pixel (1 gray, 3 RGB), at least 1.
     * @return the geometry.
     */
    public static ImageGeometry of(int width, int height, int channels) {
        return new ImageGeometry(width, height, channels);
    }

    /**
     * Parses the {@link #toString()} form {@code WIDTHxHEIGHTxCHANNELS}, e.g. {@code 28x28x1}.
     * @param text the text.
     * @return the geometry.
     * @throws IllegalArgumentException if the text is not of that form.
     */
    public static ImageGeometry parse(String text) {
        String[] parts = text.trim().split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("Image geometry must be WIDTHxHEIGHTxCHANNELS (e.g. 28x28x1), found '" + text + "'");
        }
        try {
            return of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Image geometry must be WIDTHxHEIGHTxCHANNELS (e.g. 28x28x1), found '" + text + "'", e);
        }
    }

    /** @return the width in pixels. */
    public int getWidth() {
        return width;
    }

    /** @return the height in pixels. */
    public int getHeight() {
        return height;
    }

    /** @return the number of channels. */
    public int getChannels() {
        return channels;
    }

    /** @return width × height × channels, the length of the flattened image. */
    public int getSize() {
        return width * height * channels;
    }

    /**
     * The flat index of a value.
     * @param x column, 0-based.
     * @param y row, 0-based.
     * @param c channel, 0-based.
     * @return {@code (y * width + x) * channels + c}.
     */
    public int index(int x, int y, int c) {
        return (y * width + x) * channels + c;
    }

    /**
     * The feature name of a flat index, zero-padded exactly like Tribuo's {@code IDXDataSource}: the width of
     * the name is the number of decimal digits of {@link #getSize()} (not of the largest index), so a 28×28
     * image has names {@code "000"}..{@code "783"} and a 10×10 image has {@code "000"}..{@code "099"}.
     * Formatting uses {@link String#format(String, Object...)} with the default locale, as {@code IDXDataSource} does.
     * @param flatIndex the flat index in {@code [0, getSize())}.
     * @return the feature name.
     */
    public String featureName(int flatIndex) {
        if (flatIndex < 0 || flatIndex >= getSize()) {
            throw new IllegalArgumentException("Pixel index " + flatIndex + " outside [0, " + getSize() + ")");
        }
        return String.format("%0" + digits() + "d", flatIndex);
    }

    /**
     * All feature names in flat-index order, as {@link #featureName(int)} gives them.
     * @return a new array of length {@link #getSize()}.
     */
    public String[] featureNames() {
        String format = "%0" + digits() + "d";
        String[] names = new String[getSize()];
        for (int i = 0; i < names.length; i++) {
            names[i] = String.format(format, i);
        }
        return names;
    }

    /** @return the digit count of feature names, that of {@link #getSize()}. */
    int digits() {
        // IDXDataSource pads to the digit count of the number of features, e.g. 4 digits for 1000 values.
        return String.valueOf(getSize()).length();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ImageGeometry)) {
            return false;
        }
        ImageGeometry that = (ImageGeometry) o;
        return width == that.width && height == that.height && channels == that.channels;
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, channels);
    }

    /** @return {@code WIDTHxHEIGHTxCHANNELS}, parseable by {@link #parse(String)}. */
    @Override
    public String toString() {
        return width + "x" + height + "x" + channels;
    }
}
