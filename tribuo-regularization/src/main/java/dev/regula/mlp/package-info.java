/**
 * A Tribuo {@link org.tribuo.Trainer} and {@link org.tribuo.Model} for feed-forward networks (multi-layer
 * perceptrons) with L1/L2 penalties, max-norm constraints, dropout and early stopping.
 * <p>
 * The trainer core is shared by every output type: {@link dev.regula.mlp.AbstractMLPTrainer} holds the
 * configuration and runs one training (data split and conversion in {@code TrainingSplit}, minibatches from a
 * {@code BatchSource}, the epoch loop in {@code TrainingLoop}, scores in {@code EpochEvaluator}); an output type
 * contributes an {@code OutputHead} and a small trainer subclass ({@link dev.regula.mlp.MLPTrainer} for labels).
 * See {@code docs/architecture.md}.
 */
@NullMarked
package dev.regula.mlp;

import org.jspecify.annotations.NullMarked;
