package dev.regula.data;

import org.tribuo.Example;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Small handwritten digits as 28 × 28 images, for out-of-distribution checks of an image model (Monte-Carlo dropout's
 * uncertainty on digits against Fashion-MNIST, see {@code docs/uncertainty.md}): reads scikit-learn's 8 × 8 digits
 * table ({@code sklearn/datasets/data/digits.csv.gz} in Debian's {@code python3-sklearn}: per line 64 pixel counts in
 * 0..16 and the digit; the UCI "Optical Recognition of Handwritten Digits" data of E. Alpaydin and C. Kaynak, CC BY
 * 4.0), upscales each image bilinearly to 28 × 28 (pixel centres aligned, edges clamped) and scales it to [0, 1] —
 * Fashion-MNIST's pixel range after {@link RescalingDataSource} by 1/255 — with the pixels named as
 * {@link IdxFiles} names them ({@code 000} … {@code 783}).
 */
public final class DigitImages {
    /** Values per line of the table: 64 pixels and the digit. */
    private static final int COLUMNS = 65;

    private DigitImages() {}

    /**
     * Reads a digits table (plain or gzip, by the {@code .gz} suffix).
     * @param table the CSV file.
     * @param features the model's feature map: 28 × 28 pixel features named {@code 000} … {@code 783}.
     * @param output the output every example carries (prediction ignores it).
     * @param <T> the output type.
     * @return one example per line, every pixel present, in the model's feature order.
     * @throws IOException if the file cannot be read, or a line is malformed (naming the file and line).
     */
    public static <T extends Output<T>> List<Example<T>> read(Path table, ImmutableFeatureMap features, T output)
            throws IOException {
        try (InputStream in = Files.newInputStream(table)) {
            return read(table.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in) : in, table.toString(),
                    features, output);
        }
    }

    /**
     * Reads a digits table from a stream (not closed).
     * @param in the CSV text.
     * @param what the name of the source in error messages.
     * @param features the model's feature map: 28 × 28 pixel features named {@code 000} … {@code 783}.
     * @param output the output every example carries.
     * @param <T> the output type.
     * @return one example per line.
     * @throws IOException if reading fails or a line is malformed.
     */
    public static <T extends Output<T>> List<Example<T>> read(InputStream in, String what, ImmutableFeatureMap features,
                                                              T output) throws IOException {
        String[] names = new String[features.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = features.get(i).getName();
        }
        for (int i = 0; i < 28 * 28; i++) {
            if (features.getID(String.format("%03d", i)) < 0) {
                throw new IllegalArgumentException("the model has no pixel feature " + String.format("%03d", i)
                        + ": digit images are 28 x 28, named as the IDX loader names pixels");
            }
        }
        List<Example<T>> out = new ArrayList<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        String line;
        int lineNumber = 0;
        while ((line = r.readLine()) != null) {
            lineNumber++;
            String[] t = line.split(",");
            if (t.length != COLUMNS) {
                throw new IOException(what + " line " + lineNumber + ": expected " + COLUMNS + " values (64 pixels and "
                        + "the digit), found " + t.length);
            }
            double[] small = new double[64];
            for (int i = 0; i < 64; i++) {
                double v;
                try {
                    v = Double.parseDouble(t[i]);
                } catch (NumberFormatException e) {
                    v = Double.NaN;
                }
                if (!(v >= 0 && v <= 16)) {
                    throw new IOException(what + " line " + lineNumber + " value " + (i + 1) + ": expected a pixel "
                            + "count in 0..16, found '" + t[i] + "'");
                }
                small[i] = v / 16;
            }
            double[] values = new double[names.length];
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    values[features.getID(String.format("%03d", y * 28 + x))] = bilinear(small, (y + 0.5) * 8 / 28 - 0.5,
                            (x + 0.5) * 8 / 28 - 0.5);
                }
            }
            out.add(new ArrayExample<>(output, names, values));
        }
        return out;
    }

    private static double bilinear(double[] img, double y, double x) {
        double sy = Math.min(7, Math.max(0, y));
        double sx = Math.min(7, Math.max(0, x));
        int y0 = (int) sy;
        int x0 = (int) sx;
        int y1 = Math.min(7, y0 + 1);
        int x1 = Math.min(7, x0 + 1);
        double fy = sy - y0;
        double fx = sx - x0;
        return (1 - fy) * ((1 - fx) * img[y0 * 8 + x0] + fx * img[y0 * 8 + x1])
                + fy * ((1 - fx) * img[y1 * 8 + x0] + fx * img[y1 * 8 + x1]);
    }
}
