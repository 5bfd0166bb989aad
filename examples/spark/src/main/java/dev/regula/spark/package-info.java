/**
 * Sweeps on Apache Spark: {@link dev.regula.spark.SparkTrialRunner} runs the trials of a sweep
 * ({@link dev.regula.experiment.Trial}, configuration text only) as Spark tasks, each executor re-creating the data
 * from its configuration once per JVM; {@link dev.regula.spark.SparkTrialRunnerFactory} makes it available to
 * {@code regula grid --spark MASTER} and {@code regula study --spark MASTER};
 * {@link dev.regula.spark.SweepBenchmark} measures parallel trials against sequential ones. A module of its own, so
 * the library and {@code regula.jar} carry no Spark dependency.
 */
@NullMarked
package dev.regula.spark;

import org.jspecify.annotations.NullMarked;
