/**
 * Configurable optimisers for {@link dev.regula.mlp.MLPTrainer}: Adam, AdamW, SGD (momentum, Nesterov), RMSProp,
 * AdaGrad, with Keras 3's update rules and defaults, and LazyAdam for sparse inputs (TensorFlow Addons' LazyAdam).
 */
@NullMarked
package dev.regula.mlp.optimisers;

import org.jspecify.annotations.NullMarked;
