// Regula from JShell: train a small MLP on the embedded Fashion-MNIST subset and print its test accuracy.
// Run from the repository root after `mvn -B -ntp -q install -DskipTests`:
//   jshell --class-path tribuo-regularization/target/tribuo-regularization-0.1.0-SNAPSHOT-all.jar examples/jshell/regula-demo.jsh
// (JShell keeps going after a snippet that does not compile; JShellScriptTest runs this file and fails on that.)
import dev.regula.data.EmbeddedData;
import dev.regula.data.RescalingDataSource;
import dev.regula.mlp.Layer;
import dev.regula.mlp.MLPModel;
import dev.regula.mlp.MLPTrainer;
import dev.regula.mlp.Regularizer;
import org.tribuo.MutableDataset;
import org.tribuo.classification.evaluation.LabelEvaluator;
import java.util.logging.Level;
import java.util.logging.Logger;

// Keep a reference: java.util.logging holds loggers weakly, and a collected logger forgets its level.
var regulaLog = Logger.getLogger("dev.regula");
regulaLog.setLevel(Level.WARNING);

// IDX pixels are 0..255; the network wants 0..1.
var train = new MutableDataset<>(RescalingDataSource.of(EmbeddedData.trainSource(), 1.0 / 255));
var test = new MutableDataset<>(RescalingDataSource.of(EmbeddedData.testSource(), 1.0 / 255));

// JShell runs a line as soon as it is a complete statement, so a chain split over lines ends each line with a dot.
var trainer = MLPTrainer.builder().
        addLayer(Layer.dense(64).kernelRegularizer(Regularizer.l2(1e-4)).dropout(0.2).build()).
        epochs(2).
        seed(42).
        epochListener(r -> System.out.printf("epoch %d: loss %.4f, accuracy %.4f%n", r.epoch(), r.loss(), r.accuracy())).
        build();

MLPModel model = trainer.train(train);
double accuracy = new LabelEvaluator().evaluate(model, test).accuracy();
System.out.printf("test accuracy %.4f on %d images%n", accuracy, test.size());
/exit
