package dev.regula.nn;

/** What the finite-difference gradient checks share: a network's tensors in update order, and a recording updater. */
final class GradientChecks {
    private GradientChecks() {}

    /** The network's parameter tensors (the arrays themselves), kernel and bias of each layer, in update order. */
    static float[][] paramsOf(Network net) {
        float[][] p = new float[2 * net.kernels.length][];
        for (int l = 0; l < net.kernels.length; l++) {
            p[2 * l] = net.kernels[l];
            p[2 * l + 1] = net.biases[l];
        }
        return p;
    }

    /** An optimiser that leaves the weights alone and records the gradients it is handed. */
    static Updater recording(float[][] recorded) {
        return new Updater() {
            @Override
            public void update(int tensor, float[] param, float[] grad, int from, int to) {
                System.arraycopy(grad, from, recorded[tensor], from, to - from);
            }

            @Override
            public double learningRate() {
                return 0;
            }

            @Override
            public UpdaterState saveState() {
                return new UpdaterState(0, java.util.List.of());
            }

            @Override
            public void restoreState(UpdaterState state) {
                throw new UnsupportedOperationException("a recording updater is not resumed");
            }

            @Override
            public void setLearningRate(double rate) {
                throw new UnsupportedOperationException("the recording updater has no learning rate");
            }
        };
    }
}
