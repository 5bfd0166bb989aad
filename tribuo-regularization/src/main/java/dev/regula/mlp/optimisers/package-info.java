/**
 * Configurable optimisers for {@link dev.regula.mlp.MLPTrainer}: Adam, AdamW, SGD (momentum, Nesterov), RMSProp
 * and AdaGrad, with Keras 3's update rules and defaults.
 */
@NullMarked
package dev.regula.mlp.optimisers;

import org.jspecify.annotations.NullMarked;
