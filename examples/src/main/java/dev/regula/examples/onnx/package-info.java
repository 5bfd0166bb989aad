/**
 * JMH benchmarks of an exported network in ONNX Runtime against Regula's own prediction. ONNX Runtime is not in
 * {@code regula.jar} (it is a provided dependency, 93 MB); put its jar on the class path to run them, as
 * {@code docs/onnx.md} shows.
 */
@NullMarked
package dev.regula.examples.onnx;

import org.jspecify.annotations.NullMarked;
