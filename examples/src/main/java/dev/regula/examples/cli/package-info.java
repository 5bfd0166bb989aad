/**
 * The {@code regula} command line ({@code regula.jar}): the regularization study, grid search, training,
 * prediction, reproduction from provenance and IDX conversion.
 */
@NullMarked
package dev.regula.examples.cli;

import org.jspecify.annotations.NullMarked;
