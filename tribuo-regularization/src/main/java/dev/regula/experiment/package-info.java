/**
 * Experiment tooling for notebooks and the study CLI: the regularization study's variants, provenance diffs and
 * re-training a model from its provenance alone.
 */
@NullMarked
package dev.regula.experiment;

import org.jspecify.annotations.NullMarked;
