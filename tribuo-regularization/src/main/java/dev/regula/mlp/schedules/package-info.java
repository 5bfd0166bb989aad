/**
 * Learning-rate schedules with Keras 3 semantics and names ({@code keras.optimizers.schedules}): the learning rate
 * of every optimiser step as a function of the step count, starting from the optimiser's own learning rate
 * (Keras' {@code initial_learning_rate}). Set one with {@code MLPTrainerBuilder.learningRateSchedule}; the
 * learning rate of each epoch's last step is the {@code learning_rate} column of the training history. The exact
 * formulas are in each class and in {@code docs/toolbox.md}.
 */
@NullMarked
package dev.regula.mlp.schedules;

import org.jspecify.annotations.NullMarked;
