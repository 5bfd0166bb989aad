/**
 * ONNX export of the trained networks: the graph of the whole prediction path (the fixed input transform, the dense
 * layers and their activations, the output step) written through Tribuo's {@code tribuo-util-onnx} builders, the
 * operators that 4.3.2 lacks, and the model file written atomically. The models implement
 * {@link org.tribuo.ONNXExportable} by delegating here.
 */
@NullMarked
package dev.regula.onnx;

import org.jspecify.annotations.NullMarked;
