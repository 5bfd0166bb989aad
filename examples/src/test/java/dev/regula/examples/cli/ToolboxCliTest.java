package dev.regula.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.regula.examples.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The toolbox options of {@code regula train} (issue #20): in the model's provenance, reproducible, bad values named. */
class ToolboxCliTest {
    private static final Logger REGULA = Logger.getLogger("dev.regula");

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void data() throws IOException {
        REGULA.setLevel(Level.WARNING);
        data = CliTestSupport.writeIdx(Files.createDirectories(tmp.resolve("idx")), 120, 40);
    }

    private static CliTestSupport.Run train(String name, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", data.toString(), "--model",
                tmp.resolve(name + "/model.tribuo").toString(), "--hidden", "16", "--epochs", "3", "--threads", "1"));
        args.addAll(List.of(options));
        return run(args.toArray(new String[0]));
    }

    @Test
    void everyTechniqueIsInTheProvenanceAndReproducesIdentically() throws IOException {
        CliTestSupport.Run r = train("noise", "--label-smoothing", "0.1", "--mixup", "0.2", "--gaussian-noise", "0.2", "--gaussian-dropout",
                "0.1", "--input-gaussian-noise", "0.05", "--input-gaussian-dropout", "0.05", "--cosine-decay", "20",
                "--warmup", "3:0.002");
        assertEquals(0, r.exitCode(), r.toString());
        String provenance = Files.readString(tmp.resolve("noise/provenance.json"));
        for (String s : List.of("labelSmoothing", "mixUpAlpha", "gaussianNoise", "gaussianDropout", "inputGaussianNoise",
                "inputGaussianDropout", "CosineDecay", "warmupTarget")) {
            assertTrue(provenance.contains(s), s + " in " + provenance);
        }
        List<String> history = Files.readAllLines(tmp.resolve("noise/history.csv"));
        assertTrue(history.get(0).contains("learning_rate"), history.get(0));
        CliTestSupport.Run same = run("reproduce", "--model", tmp.resolve("noise/model.tribuo").toString(),
                "--data", data.toString());
        assertEquals(0, same.exitCode(), same.toString());
        assertTrue(same.out().contains("IDENTICAL"), same.out());

        CliTestSupport.Run plateau = train("plateau", "--step-decay", "5:0.5", "--random-erasing", "0.5");
        assertEquals(0, plateau.exitCode(), plateau.toString());
        assertTrue(Files.readString(tmp.resolve("plateau/provenance.json")).contains("ExponentialDecay"));
        assertTrue(Files.readString(tmp.resolve("plateau/provenance.json")).contains("RandomErasing"));
        CliTestSupport.Run erasedAgain = run("reproduce", "--model", tmp.resolve("plateau/model.tribuo").toString(),
                "--data", data.toString());
        assertTrue(erasedAgain.out().contains("IDENTICAL"), erasedAgain.out());
        CliTestSupport.Run reduce = train("reduce", "--reduce-lr-on-plateau", "1", "--reduce-lr-factor", "0.5");
        assertEquals(0, reduce.exitCode(), reduce.toString());
        assertTrue(Files.readString(tmp.resolve("reduce/provenance.json")).contains("ReduceLROnPlateau"));
    }

    @Test
    void gridSearchesTheTrainerLevelTechniquesAndSavesThemInTheBestConfiguration() throws IOException {
        Path out = tmp.resolve("grid");
        CliTestSupport.Run g = run("grid", "--data", data.toString(), "--out", out.toString(), "--hidden", "16",
                "--epochs", "2", "--threads", "1", "--param", "labelSmoothing=0,0.1", "--param", "mixUpAlpha=0.2");
        assertEquals(0, g.exitCode(), g.toString());
        List<String> csv = Files.readAllLines(out.resolve("grid.csv"));
        assertTrue(csv.get(0).contains("labelSmoothing") && csv.get(0).contains("mixUpAlpha"), csv.get(0));
        assertEquals(3, csv.size(), "two points: " + csv);
        String best = Files.readString(out.resolve("best-config.xml"));
        assertTrue(best.contains("mixUpAlpha") && best.contains("labelSmoothing"), best);
    }

    @Test
    void badValuesAreNamed() {
        assertError(train("bad1", "--label-smoothing", "1"), "labelSmoothing must be in [0, 1), found 1.0");
        assertError(train("bad2", "--gaussian-dropout", "1.5"), "gaussianDropout must be in [0, 1), found 1.5");
        assertError(train("bad3", "--input-gaussian-noise", "-1"), "inputGaussianNoise must be finite and >= 0");
        assertError(train("bad4", "--step-decay", "10"), "--step-decay must be STEPS:VALUE");
        assertError(train("bad5", "--warmup", "3:0.01"), "--warmup 3:0.01 needs --cosine-decay");
        assertError(train("bad6", "--cosine-decay", "0"), "decaySteps must be >= 1, found 0");
        assertError(train("bad7", "--reduce-lr-on-plateau", "2", "--reduce-lr-factor", "2"), "factor must be in (0, 1)");
        assertError(train("bad11", "--mixup", "-1"), "mixUpAlpha must be finite and > 0 (0 = no MixUp), found -1.0");
        assertError(train("bad10", "--random-erasing", "2"), "probability must be in [0, 1], found 2.0");
        assertError(train("bad8", "--reduce-lr-on-plateau", "-1"), "patience must be >= 0, found -1");
        assertError(train("bad9", "--cosine-decay", "10", "--reduce-lr-on-plateau", "2"), "reduceLROnPlateau cannot change");
    }

    private static void assertError(CliTestSupport.Run r, String expected) {
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), "stack trace: " + r.err());
    }
}
