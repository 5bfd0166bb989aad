package dev.regula.mlp;

import dev.regula.mlp.optimisers.Adam;
import org.junit.jupiter.api.Test;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.example.CheckerboardDataSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

class MLPTrainerSmokeTest {
    @Test
    void learnsCheckerboard() {
        MutableDataset<Label> train = new MutableDataset<>(new CheckerboardDataSource(2000, 1L, 4, -1, 1));
        MutableDataset<Label> test = new MutableDataset<>(new CheckerboardDataSource(1000, 2L, 4, -1, 1));
        MLPTrainer trainer = MLPTrainer.builder().addLayers(2, Layer.dense(64).build())
                .optimiser(new Adam(0.01)).epochs(60).minibatchSize(32).seed(7).build();
        MLPModel model = trainer.train(train);
        double acc = new LabelEvaluator().evaluate(model, test).accuracy();
        System.out.println("checkerboard accuracy " + acc + " " + model.getHistory());
        assertTrue(acc > 0.9, "accuracy " + acc);
    }
}
