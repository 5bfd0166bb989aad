"""Checks exported ONNX files with the reference checker (Debian's python3-onnx) and describes each one.

Usage: python3 check_onnx.py FILE...

For each file: onnx.checker.check_model with full_check (which also runs shape inference), then one line
    OK <file> ir=<ir_version> opset=<default-domain opset> ops=<sorted operator types> input=<name>:<dims> output=<name>:<dims>
Exit status 0 if every file passes; 1 with the checker's message on stderr otherwise; 2 if the onnx package is missing.
"""
import sys

try:
    import onnx
    from onnx import checker
except ImportError as e:
    sys.stderr.write("the Python package onnx is missing (%s); install Debian's python3-onnx "
                     "(apt-get install python3-onnx, as .ci/run does)\n" % e)
    sys.exit(2)


def dims(value):
    shape = value.type.tensor_type.shape
    return "[" + ",".join(d.dim_param if d.dim_param else str(d.dim_value) for d in shape.dim) + "]"


status = 0
for path in sys.argv[1:]:
    try:
        model = onnx.load(path)
        checker.check_model(model, full_check=True)
    except Exception as e:  # the checker raises ValidationError, a malformed file DecodeError
        sys.stderr.write("FAIL %s: %s\n" % (path, e))
        status = 1
        continue
    opset = [o.version for o in model.opset_import if o.domain in ("", "ai.onnx")]
    ops = sorted({n.op_type for n in model.graph.node})
    inputs = ";".join(i.name + ":" + dims(i) for i in model.graph.input)
    outputs = ";".join(o.name + ":" + dims(o) for o in model.graph.output)
    print("OK %s ir=%d opset=%s ops=%s input=%s output=%s onnx=%s" % (
        path, model.ir_version, ",".join(map(str, opset)), ",".join(ops), inputs, outputs, onnx.__version__))
sys.exit(status)
