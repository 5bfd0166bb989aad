package dev.regula.examples.tribuo;

import dev.regula.mlp.MLPModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tribuo's own command-line trainer, {@code org.tribuo.classification.experiments.ConfigurableTrainTest}, with an
 * {@code MLPTrainer} from an OLCUT configuration file and its {@code --weights} option (which needs
 * {@code WeightedLabels}): run in a child JVM, because the tool calls {@code System.exit} on errors. At the
 * default log level the run prints no line per epoch and one {@code INFO} line from the trainer.
 */
class ConfigurableTrainTestTest {
    private static final Path IRIS = Path.of("../tribuo-regularization/src/test/resources/dev/regula/mlp/iris.csv");

    @Test
    void labelWeightsFromTheCommandLineReachTheNetwork(@TempDir Path dir) throws Exception {
        List<String> lines = Files.readAllLines(IRIS, StandardCharsets.UTF_8);
        List<String> train = new ArrayList<>(List.of(lines.get(0)));
        List<String> test = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i++) {
            (i % 3 == 0 ? test : train).add(lines.get(i));
        }
        Files.write(dir.resolve("train.csv"), train);
        Files.write(dir.resolve("test.csv"), test);
        Files.writeString(dir.resolve("mlp.xml"), """
                <config>
                  <component name="mlp" type="dev.regula.mlp.MLPTrainer">
                    <propertylist name="hiddenLayers"><item>hidden</item></propertylist>
                    <property name="epochs" value="100"/>
                    <property name="minibatchSize" value="16"/>
                    <property name="standardization" value="scale"/>
                    <property name="numThreads" value="1"/>
                  </component>
                  <component name="hidden" type="dev.regula.mlp.Layer">
                    <property name="units" value="16"/>
                    <property name="activation" value="RELU"/>
                  </component>
                  <component name="scale" type="dev.regula.augment.Standardization">
                    <property name="featurewiseStdNormalization" value="true"/>
                  </component>
                </config>
                """);

        Model<Label> unweighted = run(dir, "plain.ser");
        Model<Label> weighted = run(dir, "weighted.ser", "--weights", "setosa:0,versicolor:1,virginica:1");
        assertTrue(weighted instanceof MLPModel);
        assertTrue(((MLPModel) weighted).getProvenance().getTrainerProvenance().getConfiguredParameters()
                .containsKey("labelWeights"), "the label weights are recorded in the trainer provenance");
        assertTrue(!((MLPModel) unweighted).getProvenance().getTrainerProvenance().getConfiguredParameters()
                .containsKey("labelWeights") || ((MLPModel) unweighted).getProvenance().getTrainerProvenance()
                .getConfiguredParameters().get("labelWeights").toString().equals("{}"));
        int setosaPlain = 0;
        int setosaWeighted = 0;
        List<String> testRows = Files.readAllLines(dir.resolve("test.csv"));
        for (Prediction<Label> p : unweighted.predict(new org.tribuo.MutableDataset<>(csv(dir.resolve("test.csv"))))) {
            setosaPlain += p.getOutput().getLabel().equals("setosa") ? 1 : 0;
        }
        for (Prediction<Label> p : weighted.predict(new org.tribuo.MutableDataset<>(csv(dir.resolve("test.csv"))))) {
            setosaWeighted += p.getOutput().getLabel().equals("setosa") ? 1 : 0;
        }
        assertTrue(setosaPlain >= 15, "setosa predicted " + setosaPlain + " times of " + (testRows.size() - 1));
        assertEquals(0, setosaWeighted, "a label weighted 0 is never predicted");
    }

    private static org.tribuo.DataSource<Label> csv(Path file) throws IOException {
        return new org.tribuo.data.csv.CSVLoader<>(new org.tribuo.classification.LabelFactory()).loadDataSource(file, "class");
    }

    @SuppressWarnings("unchecked")
    private static Model<Label> run(Path dir, String model, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "org.tribuo.classification.experiments.ConfigurableTrainTest",
                "-c", dir.resolve("mlp.xml").toString(), "-t", "mlp", "-s", "CSV", "--csv-response-name", "class",
                "-u", dir.resolve("train.csv").toString(), "-v", dir.resolve("test.csv").toString(),
                "-f", dir.resolve(model).toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(model + ".log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ConfigurableTrainTest did not finish");
        String log = Files.readString(dir.resolve(model + ".log"));
        assertEquals(0, p.exitValue(), log);
        assertTrue(!log.contains("does not support weighted training"), log);
        // Quiet at the default log level: no line per epoch (100 here), one INFO line from the trainer per run.
        assertTrue(log.lines().noneMatch(l -> l.matches(".*\\bepoch \\d+/\\d+.*")), log);
        // (Tribuo's one-line log format: "[time] INFO TrainingLoop.run MLPTrainer: completed all 100 epochs".)
        assertEquals(1, log.lines().filter(l -> l.contains(" INFO ") && l.contains("MLPTrainer: completed")).count(), log);
        try (var in = new java.io.ObjectInputStream(Files.newInputStream(dir.resolve(model)))) {
            return (Model<Label>) in.readObject();
        }
    }
}
