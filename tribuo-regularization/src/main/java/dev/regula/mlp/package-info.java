/**
 * A Tribuo {@link org.tribuo.Trainer} and {@link org.tribuo.Model} for feed-forward networks (multi-layer
 * perceptrons) with L1/L2 penalties, max-norm constraints, dropout and early stopping.
 */
@NullMarked
package dev.regula.mlp;

import org.jspecify.annotations.NullMarked;
