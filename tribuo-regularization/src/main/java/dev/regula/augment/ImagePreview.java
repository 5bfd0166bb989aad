package dev.regula.augment;

import dev.regula.data.ImageGeometry;
import org.apache.commons.imaging.ImageFormats;
import org.apache.commons.imaging.Imaging;
import org.apache.commons.imaging.ImagingException;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.List;

/**
 * Writes a PNG grid of images for visual checks: each row of the grid is one list of flat images (e.g.
 * originals, augmented copies, ZCA-whitened versions). Every image is rescaled on its own from its
 * [min, max] to [0, 255] for display, and drawn at an integer magnification.
 */
public final class ImagePreview {
    private ImagePreview() {}

    /**
     * Renders and writes the grid.
     * @param rows the grid rows; each image is a float array in {@code geometry} layout (1 or 3 channels).
     * @param geometry the image geometry.
     * @param scale integer magnification, at least 1.
     * @param file the PNG file to write.
     * @throws IOException if writing fails.
     */
    public static void write(List<List<float[]>> rows, ImageGeometry geometry, int scale, File file) throws IOException {
        BufferedImage img = render(rows, geometry, scale);
        try {
            Imaging.writeImage(img, file, ImageFormats.PNG);
        } catch (ImagingException e) {
            throw new IOException("Could not write " + file, e);
        }
    }

    /**
     * Renders the grid with a 2-pixel (scaled) white gap between images.
     * @param rows the grid rows.
     * @param geometry the image geometry (1 or 3 channels).
     * @param scale integer magnification, at least 1.
     * @return the image.
     */
    public static BufferedImage render(List<List<float[]>> rows, ImageGeometry geometry, int scale) {
        int ch = geometry.getChannels();
        if (ch != 1 && ch != 3) {
            throw new IllegalArgumentException("Can only preview 1- or 3-channel images, found " + ch);
        }
        if (scale < 1 || rows.isEmpty()) {
            throw new IllegalArgumentException("Need scale >= 1 and at least one row");
        }
        int cols = 0;
        for (List<float[]> r : rows) {
            cols = Math.max(cols, r.size());
        }
        int gap = 2;
        int w = geometry.getWidth();
        int h = geometry.getHeight();
        int cellW = (w + gap) * scale;
        int cellH = (h + gap) * scale;
        BufferedImage out = new BufferedImage(cols * cellW, rows.size() * cellH, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, 0xFFFFFF);
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < rows.get(r).size(); c++) {
                float[] im = rows.get(r).get(c);
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < geometry.getSize(); i++) {
                    lo = Math.min(lo, im[i]);
                    hi = Math.max(hi, im[i]);
                }
                float span = hi > lo ? hi - lo : 1f;
                for (int py = 0; py < h; py++) {
                    for (int px = 0; px < w; px++) {
                        int base = geometry.index(px, py, 0);
                        int rgb = 0;
                        for (int k = 0; k < 3; k++) {
                            float v = im[base + (ch == 3 ? k : 0)];
                            int b = Math.round((v - lo) / span * 255f);
                            rgb = (rgb << 8) | Math.max(0, Math.min(255, b));
                        }
                        for (int sy = 0; sy < scale; sy++) {
                            for (int sx = 0; sx < scale; sx++) {
                                out.setRGB(c * cellW + (px + gap / 2) * scale + sx, r * cellH + (py + gap / 2) * scale + sy, rgb);
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}
