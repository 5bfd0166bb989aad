package dev.regula.mlp;

import dev.regula.mlp.optimisers.Adam;
import org.junit.jupiter.api.Test;
import org.tribuo.Dataset;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.data.text.TextFeatureExtractor;
import org.tribuo.data.text.TextPipeline;
import org.tribuo.data.text.impl.BasicPipeline;
import org.tribuo.data.text.impl.TextFeatureExtractorImpl;
import org.tribuo.data.text.impl.TokenPipeline;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.util.tokens.impl.BreakIteratorTokenizer;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tribuo's text pipeline end to end: synthetic documents of three topics turned into bag-of-words (unigrams and
 * bigrams) or hashed features by {@code org.tribuo.data.text}, trained by the default classifier, which chooses the
 * sparse input kind by itself; the sparse model agrees with the dense path and classifies held-out documents.
 */
class TextPipelineTest {
    private static final String[][] TOPICS = {
            {"goal", "match", "league", "striker", "keeper", "referee", "season", "coach", "penalty", "stadium",
                    "cup", "transfer", "derby", "midfield", "fans"},
            {"market", "shares", "profit", "bank", "inflation", "investor", "bond", "earnings", "merger", "revenue",
                    "dividend", "stock", "budget", "rates", "trade"},
            {"planet", "orbit", "telescope", "galaxy", "comet", "rocket", "crater", "nebula", "astronaut", "lunar",
                    "solar", "asteroid", "gravity", "probe", "mission"}};
    private static final String[] LABELS = {"sport", "finance", "space"};

    static {
        Logger.getLogger("dev.regula").setLevel(Level.WARNING);
    }

    /** Documents of 20–40 words: about a third from the topic's words, the rest from shared filler and noise words. */
    static Dataset<Label> documents(int n, long seed, TextFeatureExtractor<Label> extractor) {
        MutableDataset<Label> d = new MutableDataset<>(new SimpleDataSourceProvenance("documents-" + seed, new LabelFactory()),
                new LabelFactory());
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int topic = rng.nextInt(TOPICS.length);
            int words = 20 + rng.nextInt(21);
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < words; w++) {
                double u = rng.nextDouble();
                String word = u < 0.35 ? TOPICS[topic][rng.nextInt(TOPICS[topic].length)]
                        : u < 0.45 ? TOPICS[rng.nextInt(TOPICS.length)][rng.nextInt(15)] // off-topic words
                        : "w" + rng.nextInt(800);                                        // filler vocabulary
                text.append(word).append(' ');
            }
            d.add(extractor.extract(new Label(LABELS[topic]), text.toString()));
        }
        return d;
    }

    private static void trainsSparselyAndAgreesWithDense(TextPipeline pipeline) {
        TextFeatureExtractor<Label> extractor = new TextFeatureExtractorImpl<>(pipeline);
        Dataset<Label> train = documents(400, 1, extractor);
        Dataset<Label> test = documents(150, 2, extractor);
        double density = AbstractMLPTrainer.density(train);
        assertTrue(density < 0.05, "text is sparse: density " + density);
        MLPModel auto = MLPTrainer.builder().epochs(30).seed(1).numThreads(2).build().train(train);
        assertEquals(InputKind.SPARSE, auto.getInputKind(), "the default trainer chooses sparse inputs for text");
        double accuracy = new LabelEvaluator().evaluate(auto, test).accuracy();
        assertTrue(accuracy > 0.8, "held-out accuracy " + accuracy + " (chance: 1/3)");

        MLPTrainer.Builder b = MLPTrainerTest.bare().addLayer(Layer.dense(32).build()).optimiser(new Adam(0.005))
                .epochs(4).minibatchSize(32).seed(3).numThreads(2);
        MLPModel sparse = b.inputKind(InputKind.SPARSE).build().train(train);
        MLPModel dense = b.inputKind(InputKind.DENSE).build().train(train);
        SparseInputTest.assertSameWeights(dense.getNetwork(), sparse.getNetwork(), 1e-4);
        List<Prediction<Label>> ps = sparse.predict(test);
        List<Prediction<Label>> pd = dense.predict(test);
        for (int i = 0; i < ps.size(); i++) {
            for (String label : LABELS) {
                assertEquals(pd.get(i).getOutputScores().get(label).getScore(),
                        ps.get(i).getOutputScores().get(label).getScore(), 1e-5, "document " + i + " " + label);
            }
        }
    }

    @Test
    void bagOfWordsAndBigrams() {
        trainsSparselyAndAgreesWithDense(new BasicPipeline(new BreakIteratorTokenizer(Locale.US), 2));
    }

    @Test
    void hashedTokens() {
        trainsSparselyAndAgreesWithDense(new TokenPipeline(new BreakIteratorTokenizer(Locale.US), 2, true, 1 << 14));
    }
}
