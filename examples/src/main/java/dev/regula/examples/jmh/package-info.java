/**
 * JMH micro-benchmarks of Regula's numerical kernels: matrix products per backend, a full training step of the
 * reference network, the optimiser update, augmentation and batched prediction. Run with
 * {@code java -cp examples/target/regula.jar org.openjdk.jmh.Main dev.regula.examples.jmh}.
 */
@NullMarked
package dev.regula.examples.jmh;

import org.jspecify.annotations.NullMarked;
