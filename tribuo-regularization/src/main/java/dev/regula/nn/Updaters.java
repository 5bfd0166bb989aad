package dev.regula.nn;

/**
 * Update rules of the supported optimisers, each a single fused element-wise pass over any slice of a tensor.
 * Every array in a loop is indexed by the same {@code j}: on JDK 17 the Adam loop ran 6× slower when its gradient
 * came from a scratch array indexed with a run-time offset instead. The formulas are
 * Keras 3's (see {@code docs/mlp.md} for the comparison with PyTorch).
 */
public final class Updaters {
    private Updaters() {}

    /** A learning rate set during training (a schedule may reach 0, as Keras' CosineDecay with alpha 0 does). */
    private static void requireRate(double rate) {
        if (!(rate >= 0 && rate <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException("learningRate must be finite and >= 0, found " + rate);
        }
    }

    private static float[][] zerosLike(int[] sizes, float value) {
        float[][] out = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            out[i] = new float[sizes[i]];
            if (value != 0f) {
                java.util.Arrays.fill(out[i], value);
            }
        }
        return out;
    }

    /**
     * Adam, optionally with decoupled weight decay (AdamW). At step t:
     * <pre>
     * w ← w − lr·wd·w                                   (AdamW only, before the moments)
     * m ← m + (1−β1)(g − m);  v ← v + (1−β2)(g² − v)
     * w ← w − α·m / (√v + ε),   α = lr·√(1−β2^t) / (1−β1^t)
     * </pre>
     * @param sizes tensor lengths.
     * @param initialRate learning rate (until {@link Updater#setLearningRate} changes it).
     * @param beta1 first-moment decay.
     * @param beta2 second-moment decay.
     * @param epsilon denominator constant.
     * @param weightDecay decoupled weight decay factor (0 for plain Adam).
     * @return the updater.
     */
    public static Updater adam(int[] sizes, double initialRate, double beta1, double beta2, double epsilon, double weightDecay) {
        float[][] m = zerosLike(sizes, 0f);
        float[][] v = zerosLike(sizes, 0f);
        return new Updater() {
            private long t;
            private float a;
            private double lr = initialRate;

            @Override
            public void beginStep() {
                t++;
                a = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
            }

            @Override
            public void update(int tensor, float[] w, float[] g, int from, int to) {
                step(tensor, w, g, true, from, to);
            }

            /** The same loop with {@code g[j]} replaced by 0: the same arithmetic, one array fewer. */
            @Override
            public void updateWithoutGradient(int tensor, float[] w, float[] zeros, int from, int to) {
                step(tensor, w, zeros, false, from, to);
            }

            /** One fused pass; {@code readGradient} is loop-invariant, so the JIT compiles a loop for each case. */
            private void step(int tensor, float[] w, float[] g, boolean readGradient, int from, int to) {
                float b1 = (float) (1 - beta1);
                float b2 = (float) (1 - beta2);
                float eps = (float) epsilon;
                float[] mi = m[tensor];
                float[] vi = v[tensor];
                if (weightDecay != 0) {
                    float decay = (float) (1 - lr * weightDecay);
                    for (int j = from; j < to; j++) {
                        w[j] *= decay;
                    }
                }
                for (int j = from; j < to; j++) {
                    float gj = readGradient ? g[j] : 0f;
                    float mj = mi[j] + b1 * (gj - mi[j]);
                    float vj = vi[j] + b2 * (gj * gj - vi[j]);
                    mi[j] = mj;
                    vi[j] = vj;
                    w[j] -= a * mj / ((float) Math.sqrt(vj) + eps);
                }
            }

            @Override
            public double learningRate() {
                return lr;
            }

            @Override
            public UpdaterState saveState() {
                return UpdaterState.of(t, m, v);
            }

            @Override
            public void restoreState(UpdaterState state) {
                state.copyInto(weightDecay == 0 ? "Adam" : "AdamW", m, v);
                t = state.step();
                a = 0f; // recomputed by the next beginStep from t
            }

            @Override
            public void setLearningRate(double rate) {
                requireRate(rate);
                lr = rate;
            }
        };
    }

    /**
     * Lazy Adam: {@link #adam} with {@link Updater#lazyOnSparseInputs()} — on a sparse first layer only the kernel
     * rows of features present in the batch are updated (their moments and weights, with the bias correction of the
     * global step count), as TensorFlow Addons' {@code LazyAdam} and PyTorch's {@code SparseAdam} do; everything
     * else is Adam.
     * @param sizes tensor lengths.
     * @param initialRate learning rate (until {@link Updater#setLearningRate} changes it).
     * @param beta1 first-moment decay.
     * @param beta2 second-moment decay.
     * @param epsilon denominator constant.
     * @return the updater.
     */
    public static Updater lazyAdam(int[] sizes, double initialRate, double beta1, double beta2, double epsilon) {
        return new Forwarding(adam(sizes, initialRate, beta1, beta2, epsilon, 0)) {
            @Override
            public boolean lazyOnSparseInputs() {
                return true;
            }
        };
    }

    /**
     * Stochastic gradient descent with optional (Nesterov) momentum:
     * <pre>
     * momentum 0:  w ← w − lr·g
     * otherwise:   u ← μ·u − lr·g;  w ← w + u   (Nesterov: w ← w + μ·u − lr·g)
     * </pre>
     * @param sizes tensor lengths.
     * @param initialRate learning rate (until {@link Updater#setLearningRate} changes it).
     * @param momentum momentum μ in [0, 1).
     * @param nesterov whether to use Nesterov momentum.
     * @return the updater.
     */
    public static Updater sgd(int[] sizes, double initialRate, double momentum, boolean nesterov) {
        float[][] u = momentum == 0 ? null : zerosLike(sizes, 0f);
        float mu = (float) momentum;
        return new Updater() {
            private double lr = initialRate;
            private float lr32 = (float) initialRate; // lr in float32

            @Override
            public void update(int tensor, float[] w, float[] g, int from, int to) {
                float flr = lr32; // a local, for the loops below
                if (u == null) {
                    for (int j = from; j < to; j++) {
                        w[j] -= flr * g[j];
                    }
                } else {
                    float[] ui = u[tensor];
                    for (int j = from; j < to; j++) {
                        float uj = mu * ui[j] - flr * g[j];
                        ui[j] = uj;
                        w[j] += nesterov ? mu * uj - flr * g[j] : uj;
                    }
                }
            }

            @Override
            public boolean skipsZeroGradients() {
                return u == null; // w − lr·0 = w; momentum keeps moving
            }

            @Override
            public double learningRate() {
                return lr;
            }

            @Override
            public UpdaterState saveState() {
                return u == null ? UpdaterState.of(0) : UpdaterState.of(0, u);
            }

            @Override
            public void restoreState(UpdaterState state) {
                if (u == null) {
                    state.copyInto("SGD");
                } else {
                    state.copyInto("SGD with momentum", u);
                }
            }

            @Override
            public void setLearningRate(double rate) {
                requireRate(rate);
                lr = rate;
                lr32 = (float) rate;
            }
        };
    }

    /**
     * RMSProp (Keras form, uncentred, no momentum):
     * <pre>
     * s ← ρ·s + (1−ρ)·g²;  w ← w − lr·g / √(s + ε)
     * </pre>
     * @param sizes tensor lengths.
     * @param initialRate learning rate (until {@link Updater#setLearningRate} changes it).
     * @param rho decay of the squared-gradient average.
     * @param epsilon constant inside the square root.
     * @return the updater.
     */
    public static Updater rmsprop(int[] sizes, double initialRate, double rho, double epsilon) {
        float[][] s = zerosLike(sizes, 0f);
        float r = (float) rho;
        float r1 = (float) (1 - rho);
        float eps = (float) epsilon;
        return new Updater() {
            private double lr = initialRate;
            private float lr32 = (float) initialRate; // lr in float32

            @Override
            public void update(int tensor, float[] w, float[] g, int from, int to) {
                float flr = lr32; // a local, for the loops below
                float[] si = s[tensor];
                for (int j = from; j < to; j++) {
                    float gj = g[j];
                    float sj = r * si[j] + r1 * gj * gj;
                    si[j] = sj;
                    w[j] -= flr * gj / (float) Math.sqrt(sj + eps);
                }
            }

            @Override
            public double learningRate() {
                return lr;
            }

            @Override
            public UpdaterState saveState() {
                return UpdaterState.of(0, s);
            }

            @Override
            public void restoreState(UpdaterState state) {
                state.copyInto("RMSProp", s);
            }

            @Override
            public void setLearningRate(double rate) {
                requireRate(rate);
                lr = rate;
                lr32 = (float) rate;
            }
        };
    }

    /**
     * AdaGrad (Keras form):
     * <pre>
     * s ← s + g²  (s starts at the initial accumulator value);  w ← w − lr·g / √(s + ε)
     * </pre>
     * @param sizes tensor lengths.
     * @param initialRate learning rate (until {@link Updater#setLearningRate} changes it).
     * @param initialAccumulator initial value of s.
     * @param epsilon constant inside the square root.
     * @return the updater.
     */
    public static Updater adagrad(int[] sizes, double initialRate, double initialAccumulator, double epsilon) {
        float[][] s = zerosLike(sizes, (float) initialAccumulator);
        float eps = (float) epsilon;
        return new Updater() {
            private double lr = initialRate;
            private float lr32 = (float) initialRate; // lr in float32

            @Override
            public void update(int tensor, float[] w, float[] g, int from, int to) {
                float flr = lr32; // a local, for the loops below
                float[] si = s[tensor];
                for (int j = from; j < to; j++) {
                    float gj = g[j];
                    float sj = si[j] + gj * gj;
                    si[j] = sj;
                    w[j] -= flr * gj / (float) Math.sqrt(sj + eps);
                }
            }

            @Override
            public boolean skipsZeroGradients() {
                return true; // s + 0² = s and w − lr·0/√(s + ε) = w
            }

            @Override
            public double learningRate() {
                return lr;
            }

            @Override
            public UpdaterState saveState() {
                return UpdaterState.of(0, s);
            }

            @Override
            public void restoreState(UpdaterState state) {
                state.copyInto("AdaGrad", s);
            }

            @Override
            public void setLearningRate(double rate) {
                requireRate(rate);
                lr = rate;
                lr32 = (float) rate;
            }
        };
    }

    /**
     * An optimiser whose learning rate follows a schedule of the step count, as a Keras optimiser given a
     * {@code LearningRateSchedule}: before step t (0 for the first step, Keras' {@code optimizer.iterations}) the
     * inner optimiser's rate is set to {@code schedule(t)}. The rate cannot be set from outside (Keras refuses to
     * assign the rate of a scheduled optimiser, e.g. from ReduceLROnPlateau).
     * @param inner the optimiser.
     * @param schedule the learning rate of each step, finite and &gt; 0.
     * @return the scheduled optimiser.
     */
    public static Updater scheduled(Updater inner, java.util.function.LongToDoubleFunction schedule) {
        return new Forwarding(inner) {
            private long step;

            @Override
            public void beginStep() {
                inner.setLearningRate(schedule.applyAsDouble(step++));
                inner.beginStep();
            }

            @Override
            public void setLearningRate(double rate) {
                throw new UnsupportedOperationException("the learning rate follows a schedule and cannot be set");
            }

            @Override
            public UpdaterState saveState() {
                throw new UnsupportedOperationException("a learning-rate schedule is not part of a backup "
                        + "(BackupAndRestore refuses schedules at configuration time)");
            }

            @Override
            public void restoreState(UpdaterState state) {
                throw new UnsupportedOperationException("a learning-rate schedule is not part of a backup "
                        + "(BackupAndRestore refuses schedules at configuration time)");
            }
        };
    }

    /** An updater that hands every call to another; subclasses change what differs. */
    private abstract static class Forwarding implements Updater {
        private final Updater inner;

        Forwarding(Updater inner) {
            this.inner = inner;
        }

        @Override
        public void beginStep() {
            inner.beginStep();
        }

        @Override
        public void update(int tensor, float[] param, float[] grad, int from, int to) {
            inner.update(tensor, param, grad, from, to);
        }

        @Override
        public void updateWithoutGradient(int tensor, float[] param, float[] zeros, int from, int to) {
            inner.updateWithoutGradient(tensor, param, zeros, from, to);
        }

        @Override
        public boolean skipsZeroGradients() {
            return inner.skipsZeroGradients();
        }

        @Override
        public boolean lazyOnSparseInputs() {
            return inner.lazyOnSparseInputs();
        }

        @Override
        public double learningRate() {
            return inner.learningRate();
        }

        @Override
        public void setLearningRate(double rate) {
            inner.setLearningRate(rate);
        }

        @Override
        public UpdaterState saveState() {
            return inner.saveState();
        }

        @Override
        public void restoreState(UpdaterState state) {
            inner.restoreState(state);
        }
    }
}
