package dev.regula.data;

import org.apache.commons.imaging.ImageFormats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictionWriterTest {

    private static Map<String, Label> scores(double a, double b) {
        Map<String, Label> map = new LinkedHashMap<>();
        map.put("b", new Label("b", b)); // deliberately not in name order
        map.put("a", new Label("a", a));
        return map;
    }

    @Test
    void writesSubmissionFormatForAnUnlabelledIndex(@TempDir Path dir) throws IOException {
        TestImages.write(dir.resolve("1.png"), TestImages.gray(3, 3), ImageFormats.PNG);
        TestImages.write(dir.resolve("x, y.png"), TestImages.gray(3, 3), ImageFormats.PNG);
        Files.writeString(dir.resolve("Test.csv"), "filename\n1.png\n\"x, y.png\"\n");
        ImageFolderDataSource src = ImageFolderDataSource.builder(dir.resolve("Test.csv")).build();
        List<Prediction<Label>> predictions = new ArrayList<>();
        int i = 0;
        for (Example<Label> e : src) {
            boolean first = i++ == 0;
            predictions.add(new Prediction<>(new Label(first ? "a" : "b", first ? 0.75 : 0.5),
                    scores(first ? 0.75 : 0.5, first ? 0.25 : 0.5), 9, e, true));
        }
        Path out = dir.resolve("submission.csv");
        PredictionWriter.write(out, predictions, false);
        assertEquals("filename,label\n1.png,a\n\"x, y.png\",b\n", Files.readString(out));

        StringWriter w = new StringWriter();
        PredictionWriter.write(w, predictions, true);
        assertEquals("filename,label,p_a,p_b\n1.png,a,0.75,0.25\n\"x, y.png\",b,0.5,0.5\n", w.toString());
    }

    @Test
    void rejectsExamplesWithoutFilenameAndMissingProbabilities() {
        ArrayExample<Label> bare = new ArrayExample<>(new Label("a"), new String[]{"0"}, new double[]{1});
        List<Prediction<Label>> noName = List.of(new Prediction<>(new Label("a"), 1, bare));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PredictionWriter.write(new StringWriter(), noName, false));
        assertTrue(e.getMessage().contains("Prediction 0"), e.getMessage());

        ArrayExample<Label> named = new ArrayExample<>(new Label("a"), new String[]{"0"}, new double[]{1});
        named.setMetadataValue(ImageFolderDataSource.FILENAME_METADATA, "n.png");
        List<Prediction<Label>> noProbs = List.of(new Prediction<>(new Label("a"), 1, named));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> PredictionWriter.write(new StringWriter(), noProbs, true));
        assertTrue(e2.getMessage().contains("n.png"), e2.getMessage());
    }
}
