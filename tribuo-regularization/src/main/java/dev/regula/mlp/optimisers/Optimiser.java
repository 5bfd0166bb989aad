package dev.regula.mlp.optimisers;

import com.oracle.labs.mlrg.olcut.config.Configurable;
import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenancable;
import dev.regula.nn.Updater;

import java.io.Serializable;

/**
 * A configurable optimiser: its {@code @Config} fields are the hyper-parameters (recorded in provenance), and
 * {@link #createUpdater(int[])} makes fresh state for one training run.
 */
public interface Optimiser extends Configurable, Provenancable<ConfiguredObjectProvenance>, Serializable {
    /**
     * Creates fresh optimiser state for a set of parameter tensors.
     * @param tensorSizes the lengths of the tensors, in update order.
     * @return the updater.
     */
    Updater createUpdater(int[] tensorSizes);
}
