package dev.regula.examples.cli;

import dev.regula.mlp.MLPTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.regula.examples.cli.CliTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Grid search, the OLCUT configuration round trip and train. */
class GridCommandTest {
    private static final Logger REGULA = Logger.getLogger("dev.regula");

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void data() throws IOException {
        REGULA.setLevel(Level.WARNING);
        data = CliTestSupport.writeIdx(Files.createDirectories(tmp.resolve("idx")), 300, 0);
    }

    @Test
    void picksTheLearningRateThatDoesNotUnderfitAndSavesALoadableConfiguration() throws IOException {
        Path out = tmp.resolve("grid");
        CliTestSupport.Run r = run("grid", "--data", data.toString(), "--out", out.toString(), "--hidden", "32",
                "--epochs", "3", "--threads", "1", "--param", "optimiser.learningRate=1e-7,0.003");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> csv = Files.readAllLines(out.resolve("grid.csv"));
        assertEquals("rank,l2,l1,dropout,optimiser.learningRate,score,seconds,seeds,score_std,score_ci95_low,"
                + "score_ci95_high,tied_with_best", csv.get(0));
        assertEquals(3, csv.size());
        assertTrue(csv.get(1).startsWith("1,0.0,0.0,0.0,0.003,"), csv.toString());
        double best = Double.parseDouble(csv.get(1).split(",")[5]);
        double worst = Double.parseDouble(csv.get(2).split(",")[5]);
        assertTrue(best > worst + 0.2, csv.toString());
        assertTrue(r.out().contains("Best: l2=0.0 l1=0.0 dropout=0.0 optimiser.learningRate=0.003"), r.out());

        Path config = out.resolve("best-config.xml");
        MLPTrainer loaded = TrainerConfig.load(config);
        assertTrue(loaded.toString().contains("learningRate=0.003"), loaded.toString());
        assertEquals(3, loaded.getEpochs());
        assertEquals(1, loaded.getHiddenLayers().size());

        Path model = tmp.resolve("trained/model.tribuo");
        CliTestSupport.Run t = run("train", "--data", data.toString(), "--config", config.toString(), "--model", model.toString());
        assertEquals(0, t.exitCode(), t.toString());
        assertTrue(t.out().contains("no labelled test set, so 20 % of each class is held out"), t.out());
        for (String f : List.of("model.tribuo", "provenance.json", "history.csv", "confusion-matrix.txt")) {
            assertTrue(Files.isRegularFile(model.resolveSibling(f)), f);
        }

        // a grid from a configuration varies only its --param fields: the penalty and dropout columns stay empty
        // (the configuration's layers keep their own values), and the points are named by their parameters only
        Path fromConfig = tmp.resolve("grid-from-config");
        CliTestSupport.Run g = run("grid", "--data", data.toString(), "--config", config.toString(), "--out",
                fromConfig.toString(), "--param", "epochs=1,2");
        assertEquals(0, g.exitCode(), g.toString());
        List<String> rows = Files.readAllLines(fromConfig.resolve("grid.csv"));
        assertTrue(rows.get(1).matches("1,,,,[12],.*"), rows.toString());
        assertTrue(g.out().contains("Best: epochs="), g.out());
        // the study takes the network, learning rate and epochs from the configuration
        Path studyOut = tmp.resolve("study-from-config");
        CliTestSupport.Run st = run("study", "--seeds", "1", "--data", data.toString(), "--config", config.toString(), "--variants", "dropout,baseline",
                "--out", studyOut.toString());
        assertEquals(0, st.exitCode(), st.toString());
        String html = Files.readString(studyOut.resolve("report.html"));
        assertTrue(html.contains("1 hidden ReLU layers of [32] units"), html);
        assertTrue(html.contains("Adam (learning rate 0.003), batch 128, 3 epochs"), html);
        assertEquals(3, Files.readAllLines(studyOut.resolve("results.csv")).size());

        // held out with a configurable split: the trained model is reproducible from its provenance
        CliTestSupport.Run rep = run("reproduce", "--model", model.toString());
        assertEquals(0, rep.exitCode(), rep.toString());
    }

    /**
     * Three seeds per configuration: the mean and its t interval in grid.csv (recomputed here from the per-seed
     * scores), a configuration listed twice is tied with the best, one that cannot learn is not.
     */
    @Test
    void repeatsEveryConfigurationOverSeedsAndNamesTies() throws IOException {
        Path out = tmp.resolve("seeds");
        CliTestSupport.Run r = run("grid", "--data", data.toString(), "--out", out.toString(), "--hidden", "32",
                "--epochs", "6", "--threads", "1", "--seeds", "3", "--param", "optimiser.learningRate=1e-7,0.003,0.003");
        assertEquals(0, r.exitCode(), r.toString());
        List<String> csv = Files.readAllLines(out.resolve("grid.csv"));
        assertEquals(4, csv.size(), csv.toString());
        String[] best = csv.get(1).split(",", -1);
        String[] twin = csv.get(2).split(",", -1);
        String[] worst = csv.get(3).split(",", -1);
        assertEquals("0.003", best[4]);
        assertEquals("3", best[7]);
        assertEquals("", best[11], "the best is not compared with itself");
        assertEquals(best[5], twin[5], "the same configuration with the same seeds scores the same");
        assertEquals("yes", twin[11], csv.toString());
        assertEquals("no", worst[11], csv.toString());
        double mean = Double.parseDouble(best[5]);
        double std = Double.parseDouble(best[8]);
        double half = dev.regula.experiment.Intervals.tQuantile(0.975, 2) * std / Math.sqrt(3);
        assertEquals(mean - half, Double.parseDouble(best[9]), 2e-4);
        assertEquals(mean + half, Double.parseDouble(best[10]), 2e-4);
        assertTrue(r.out().contains("(mean of 3 seeds)"), r.out());
        assertTrue(r.out().contains("Not distinguishable from the best") && r.out().contains("rank(s) 2"), r.out());
        assertTrue(run("grid", "--out", tmp.resolve("bad").toString(), "--seeds", "0").err().contains("--seeds must be in [1, 1000]"));
    }

    @Test
    void scoresByCrossValidationAndPicksMoreEpochs() throws IOException {
        Path out = tmp.resolve("cv");
        CliTestSupport.Run r = run("grid", "--data", data.toString(), "--out", out.toString(), "--hidden", "16",
                "--threads", "1", "--learning-rate", "0.0003", "--folds", "2", "--param", "epochs=1,8", "--dropout", "0.1");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("scored by 2-fold cross-validation"), r.out());
        List<String> csv = Files.readAllLines(out.resolve("grid.csv"));
        assertTrue(csv.get(1).startsWith("1,0.0,0.0,0.1,8,"), csv.toString());
        assertEquals(8, TrainerConfig.load(out.resolve("best-config.xml")).getEpochs());
    }

    /** grid.csv without its seconds column, which is wall time. */
    private static List<String> withoutSeconds(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(line -> {
            List<String> cells = new java.util.ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(cells.size() - 6); // seconds: the sixth column from the end
            return String.join(",", cells);
        }).toList();
    }

    @Test
    void parallelTrialsWriteTheSameGridAndAResumedRunSkipsFinishedTrials() throws IOException {
        List<String> common = List.of("grid", "--data", data.toString(), "--hidden", "16", "--epochs", "2", "--threads", "1",
                "--folds", "2", "--seeds", "2", "--param", "optimiser.learningRate=0.001,0.003");
        Path one = tmp.resolve("sequential");
        Path two = tmp.resolve("parallel");
        CliTestSupport.Run r1 = run(concat(common, "--out", one.toString()));
        assertEquals(0, r1.exitCode(), r1.toString());
        assertTrue(r1.out().contains("8 trial(s): local, 1 trial(s) in parallel"), r1.out());
        CliTestSupport.Run r2 = run(concat(common, "--out", two.toString(), "--parallel-trials", "2"));
        assertEquals(0, r2.exitCode(), r2.toString());
        assertTrue(r2.out().contains("8 trial(s): local, 2 trial(s) in parallel"), r2.out());
        List<String> grid = withoutSeconds(one.resolve("grid.csv"));
        assertEquals(3, grid.size(), grid.toString());
        assertEquals(grid, withoutSeconds(two.resolve("grid.csv")));
        assertEquals(Files.readString(one.resolve("best-config.xml")), Files.readString(two.resolve("best-config.xml")));
        try (var files = Files.list(two.resolve(GridCommand.TRIALS))) {
            assertEquals(16, files.count(), "a result and a provenance file per trial");
        }

        // resumed: nothing runs again, the same grid comes out
        CliTestSupport.Run again = run(concat(common, "--out", two.toString(), "--resume"));
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.out().contains("8 trial(s) taken from"), again.out());
        assertEquals(grid, withoutSeconds(two.resolve("grid.csv")));
        // a trial whose stored provenance is not its model's runs again
        Path stored = two.resolve(GridCommand.TRIALS).resolve("p001-s0-f1.provenance.json");
        Files.writeString(stored, Files.readString(two.resolve(GridCommand.TRIALS).resolve("p001-s1-f1.provenance.json")));
        CliTestSupport.Run partly = run(concat(common, "--out", two.toString(), "--resume"));
        assertTrue(partly.out().contains("7 trial(s) taken from"), partly.out());
        assertEquals(grid, withoutSeconds(two.resolve("grid.csv")));

        assertTrue(run("grid", "--out", tmp.resolve("bad").toString(), "--parallel-trials", "0").err()
                .contains("--parallel-trials must be in [1, 256], found 0"));
        assertTrue(run("grid", "--out", tmp.resolve("bad").toString(), "--spark", "local[2]").err()
                .contains("--spark needs the regula-spark module on the class path"));
    }

    private static String[] concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(new String[0]);
    }

    @Test
    void overridesAnyConfigFieldAndListsValidNames() {
        MLPTrainer base = MLPTrainer.builder().build();
        MLPTrainer changed = TrainerConfig.override(base, Map.of("minibatchSize", "32", "shuffle", "false"));
        assertEquals(32, changed.getMinibatchSize());
        assertTrue(changed.toString().contains("shuffle=false"));
        List<String> names = TrainerConfig.validNames(base);
        assertTrue(names.containsAll(List.of("epochs", "minibatchSize", "seed", "optimiser.learningRate", "weightInit")), names.toString());
        assertTrue(!names.contains("hiddenLayers"), names.toString());
    }
}
