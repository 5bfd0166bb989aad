package dev.regula.mlp;

import dev.regula.nn.Backends;
import dev.regula.nn.Blas;
import dev.regula.nn.CsrMatrix;
import dev.regula.nn.DropoutSampler;
import dev.regula.onnx.OutputStep;
import org.jspecify.annotations.Nullable;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Prediction;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Monte-Carlo dropout (Gal and Ghahramani, 2016, "Dropout as a Bayesian approximation"): predicts each example T times
 * with the dropout the model was trained with left on, averages the outputs, and measures how much the passes
 * disagree ({@link MonteCarloPrediction}). It needs no retraining — only a model trained with dropout.
 * <pre>{@code
 * MonteCarloDropout mc = MonteCarloDropout.builder().samples(30).seed(1).build();
 * for (MonteCarloPrediction<Label> p : mc.predict(model, testData)) {
 *     System.out.println(p.getPrediction().getOutput() + " " + p.getMutualInformation());
 * }
 * }</pre>
 * <p>
 * Deterministic: pass t of the example at position i draws its masks from a random source seeded by
 * {@code (seed, t, i)}, so the same model, examples (in the same order), seed and T give the same bits, whatever the
 * thread count. Keras has no such API; the usual Keras idiom is calling the model with {@code training=True} T times,
 * and in PyTorch keeping the dropout modules in {@code train()} mode — both draw from the global random state.
 */
public final class MonteCarloDropout {
    /** The largest number of passes accepted. */
    public static final int MAX_SAMPLES = 100_000;
    /** Examples are converted (densified, or to sparse rows for a sparse model) and sampled this many at a time. */
    private static final int CHUNK = 1024;

    private final int samples;
    private final long seed;

    private MonteCarloDropout(int samples, long seed) {
        this.samples = samples;
        this.seed = seed;
    }

    /** @return a builder (30 passes, seed 1). */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the number of passes T. */
    public int getSamples() {
        return samples;
    }

    /** @return the seed of the dropout masks. */
    public long getSeed() {
        return seed;
    }

    /**
     * Predicts examples with Monte-Carlo dropout.
     * @param model a Regula model ({@link MLPModel}, {@link MLPRegressionModel} or {@link MLPMultiLabelModel}) trained
     *              with dropout on its inputs or after a hidden layer.
     * @param examples the examples.
     * @param <T> the output type.
     * @return one prediction per example, in order.
     * @throws IllegalArgumentException if the model is not a Regula network or has no dropout, or an example is
     *                                  invalid (as for {@link Model#predict(Example)}).
     */
    public <T extends Output<T>> List<MonteCarloPrediction<T>> predict(Model<T> model, Iterable<Example<T>> examples) {
        if (!(model instanceof AbstractMLPModel<T> mlp)) {
            throw new IllegalArgumentException("Monte-Carlo dropout needs a Regula network model, found "
                    + model.getClass().getName());
        }
        Blas blas = Backends.get();
        DropoutSampler sampler = new DropoutSampler(mlp.network, blas);
        if (!sampler.hasDropout()) {
            throw new IllegalArgumentException("model " + model.getName() + " was trained without dropout: every "
                    + "Monte-Carlo pass would be the same deterministic prediction; train with dropout (e.g. "
                    + "hiddenLayer(units, dropout) in the builder) to use it");
        }
        List<Example<T>> all = new ArrayList<>();
        examples.forEach(all::add);
        OutputHead<T> head = mlp.head();
        OutputStep step = mlp.onnxOutput();
        List<MonteCarloPrediction<T>> out = new ArrayList<>(all.size());
        for (int start = 0; start < all.size(); start += CHUNK) {
            List<Example<T>> chunk = all.subList(start, Math.min(all.size(), start + CHUNK));
            out.addAll(predictChunk(mlp, sampler, blas, head, step, chunk, start));
        }
        return out;
    }

    private <T extends Output<T>> List<MonteCarloPrediction<T>> predictChunk(AbstractMLPModel<T> model,
            DropoutSampler sampler, Blas blas, OutputHead<T> head, OutputStep step, List<Example<T>> chunk, int first) {
        int n = chunk.size();
        int units = head.units();
        int[] active = new int[n];
        boolean sparse = model.getInputKind() == InputKind.SPARSE;
        @Nullable CsrMatrix xs = sparse ? model.sparseInputs(chunk, active) : null;
        float @Nullable [] x = sparse ? null : model.inputs(chunk, active, blas);
        boolean probabilities = step.kind() != OutputStep.Kind.IDENTITY;
        double[] sum = new double[n * units];
        double[] sumSquares = new double[n * units];
        double[] entropySum = new double[n];
        float[] pass = new float[n * units];
        for (int t = 0; t < samples; t++) {
            if (xs != null) {
                sampler.sample(xs, first, pass, head.loss(), seed, t);
            } else {
                sampler.sample(Objects.requireNonNull(x), n, first, pass, head.loss(), seed, t);
            }
            for (int i = 0; i < n * units; i++) {
                if (!Float.isFinite(pass[i])) {
                    throw new IllegalArgumentException("example " + (first + i / units) + ": Monte-Carlo pass " + t
                            + " gave " + pass[i] + " (float32 overflowed inside the network)");
                }
                sum[i] += pass[i];
                sumSquares[i] += (double) pass[i] * pass[i];
            }
            if (probabilities) {
                for (int r = 0; r < n; r++) {
                    entropySum[r] += entropy(pass, r * units, units, step.kind());
                }
            }
        }
        float[] mean = new float[n * units];
        double[] meanD = new double[n * units];
        for (int i = 0; i < n * units; i++) {
            meanD[i] = sum[i] / samples;
            mean[i] = (float) meanD[i];
        }
        List<Prediction<T>> predictions = head.predictions(mean, chunk, active);
        List<MonteCarloPrediction<T>> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            double[] sd = new double[units];
            for (int j = 0; j < units; j++) {
                int i = r * units + j;
                double variance = Math.max(0, sumSquares[i] / samples - meanD[i] * meanD[i]);
                double scale = step.scale() == null ? 1 : Math.abs(step.scale()[j]);
                sd[j] = Math.sqrt(variance) * scale;
            }
            double predictive = probabilities ? entropy(meanD, r * units, units, step.kind()) : Double.NaN;
            double expected = probabilities ? entropySum[r] / samples : Double.NaN;
            out.add(new MonteCarloPrediction<>(predictions.get(r), samples, predictive, expected, sd));
        }
        return out;
    }

    /** Entropy in nats of one row of probabilities: categorical for softmax, summed Bernoulli for sigmoid. */
    private static double entropy(float[] p, int offset, int units, OutputStep.Kind kind) {
        double h = 0;
        for (int j = 0; j < units; j++) {
            h += kind == OutputStep.Kind.SOFTMAX ? plogp(p[offset + j]) : plogp(p[offset + j]) + plogp(1.0 - p[offset + j]);
        }
        return h;
    }

    private static double entropy(double[] p, int offset, int units, OutputStep.Kind kind) {
        double h = 0;
        for (int j = 0; j < units; j++) {
            h += kind == OutputStep.Kind.SOFTMAX ? plogp(p[offset + j]) : plogp(p[offset + j]) + plogp(1.0 - p[offset + j]);
        }
        return h;
    }

    /** {@code −p ln p}, 0 at p = 0 (and for rounding below 0). */
    private static double plogp(double p) {
        return p > 0 ? -p * Math.log(p) : 0;
    }

    /** Builds a {@link MonteCarloDropout}; the values are checked as they are set. */
    public static final class Builder {
        private int samples = 30;
        private long seed = 1;

        private Builder() {}

        /**
         * The number of stochastic passes T (default 30): the mean and the uncertainty converge as 1/√T.
         * @param t at least 2, at most {@value #MAX_SAMPLES}.
         * @return this builder.
         */
        public Builder samples(int t) {
            if (t < 2 || t > MAX_SAMPLES) {
                throw new IllegalArgumentException("samples must be in [2, " + MAX_SAMPLES + "] (one pass measures no "
                        + "disagreement), found " + t);
            }
            this.samples = t;
            return this;
        }

        /**
         * The seed of the dropout masks (default 1).
         * @param s any value.
         * @return this builder.
         */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** @return the configured Monte-Carlo dropout. */
        public MonteCarloDropout build() {
            return new MonteCarloDropout(samples, seed);
        }
    }
}
