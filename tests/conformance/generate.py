"""Writes the ONNX backend node tests from the installed onnx wheel into target/onnx-node-tests/.

For each test: <name>/model.onnx, <name>/test_data_set_0/{input,output}_<i>.pb (as onnx's own
cmd_tools writes them) and the same tensors as raw little-endian .bin files, described in
index.json, so the Rust and Node runners need no protobuf reader. Only tests whose graph inputs
and outputs are all plain tensors (no sequence, map or optional) are kept.

Usage: .venv/bin/python tests/conformance/generate.py [--out target/onnx-node-tests]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper
from onnx.backend.test.case import node as node_cases

# onnxruntime-web style dtype names; the others keep onnx's lower-cased name.
DTYPE_NAMES = {
    TensorProto.FLOAT: "float32",
    TensorProto.DOUBLE: "float64",
    TensorProto.FLOAT16: "float16",
    TensorProto.INT8: "int8",
    TensorProto.UINT8: "uint8",
    TensorProto.INT16: "int16",
    TensorProto.UINT16: "uint16",
    TensorProto.INT32: "int32",
    TensorProto.UINT32: "uint32",
    TensorProto.INT64: "int64",
    TensorProto.UINT64: "uint64",
    TensorProto.BOOL: "bool",
    }

# The defaults onnx's backend runner compares node tests with (TestCase.rtol/atol).
DEFAULT_RTOL = 1e-3
DEFAULT_ATOL = 1e-7


def dtype_name(elem_type: int) -> str:
    return DTYPE_NAMES.get(elem_type, TensorProto.DataType.Name(elem_type).lower())


def skip_reason(graph: onnx.GraphProto) -> str | None:
    """Why a test is outside the plain-tensor set (None when it is in)."""
    values = list(graph.input) + list(graph.output)
    if not all(v.type.WhichOneof("value") == "tensor_type" for v in values):
        return "sequence, map or optional input/output"
    types = {v.type.tensor_type.elem_type for v in values}
    if TensorProto.STRING in types:
        return "string tensor"
    if not types <= set(DTYPE_NAMES):
        return "element type with no typed array (bfloat16, float8, int4, int2, float4)"
    return None


def to_proto(value, name: str) -> TensorProto:
    if isinstance(value, TensorProto):
        return value
    return numpy_helper.from_array(np.asarray(value), name)


def write_tensor(proto: TensorProto, elem_type: int, folder: Path, stem: str) -> dict:
    """Writes <stem>.pb and <stem>.bin; returns the index entry (dtype, shape, file)."""
    (folder / f"{stem}.pb").write_bytes(proto.SerializeToString())
    arr = numpy_helper.to_array(proto)
    entry = {
        "dtype": dtype_name(proto.data_type or elem_type),
        "shape": [int(d) for d in arr.shape],
    }
    if arr.dtype == object or proto.data_type == TensorProto.STRING:
        raise ValueError("string tensors are outside the selected set")
    raw = np.ascontiguousarray(arr)
    if raw.dtype.byteorder == ">":
        raw = raw.byteswap().view(raw.dtype.newbyteorder("<"))
    (folder / f"{stem}.bin").write_bytes(raw.tobytes())  # little-endian, row-major, bool as bytes
    entry["file"] = f"{stem}.bin"
    return entry


def assign_groups(index: list[dict]) -> None:
    """The op a test is about: its only op, or (for function-expanded and multi-node tests) the
    op whose snake_case name is the longest prefix of the test name."""
    single = {e["ops"][0] for e in index if len(e["ops"]) == 1}
    snake = {op: "".join("_" + c.lower() if c.isupper() else c for c in op).lstrip("_") for op in single}
    for e in index:
        if len(e["ops"]) == 1:
            e["group"] = e["ops"][0]
            continue
        bare = e["name"][len("test_"):].replace("_", "")
        fits = [op for op in single if bare.startswith(op.lower())]
        fits += [op for op in single if e["name"][len("test_"):].startswith(snake[op])]
        e["group"] = max(fits, key=len) if fits else e["ops"][0]


def apply_tolerances(index: list[dict]) -> None:
    """Per-test overrides from tolerances.json (beside this file), as onnxruntime's backend test
    series has them; each states why."""
    overrides = json.loads((Path(__file__).parent / "tolerances.json").read_text())["tests"]
    by_name = {e["name"]: e for e in index}
    for name, o in overrides.items():
        if name not in by_name:
            raise SystemExit(f"tolerances.json names {name}, which is not a generated test")
        by_name[name]["rtol"] = o.get("rtol", by_name[name]["rtol"])
        by_name[name]["atol"] = o.get("atol", by_name[name]["atol"])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="target/onnx-node-tests")
    args = parser.parse_args()
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    cases = node_cases.collect_testcases()
    index = []
    skipped: dict[str, list[str]] = {}
    for case in sorted(cases, key=lambda c: c.name):
        model = case.model
        graph = model.graph
        reason = skip_reason(graph)
        if reason:
            skipped.setdefault(reason, []).append(case.name)
            continue
        folder = out / case.name
        data_dir = folder / "test_data_set_0"
        data_dir.mkdir(parents=True)
        (folder / "model.onnx").write_bytes(model.SerializeToString())
        inputs, outputs = case.data_sets[0]
        entry = {
            "name": case.name,
            "ops": sorted({n.op_type for n in graph.node}),
            "opset": {o.domain or "ai.onnx": o.version for o in model.opset_import},
            "rtol": case.rtol if case.rtol is not None else DEFAULT_RTOL,
            "atol": case.atol if case.atol is not None else DEFAULT_ATOL,
            "inputs": [],
            "outputs": [],
        }
        for i, (vi, value) in enumerate(zip(graph.input, inputs)):
            tensor = write_tensor(to_proto(value, vi.name), vi.type.tensor_type.elem_type, data_dir, f"input_{i}")
            entry["inputs"].append({"name": vi.name, **tensor})
        for i, (vi, value) in enumerate(zip(graph.output, outputs)):
            tensor = write_tensor(to_proto(value, vi.name), vi.type.tensor_type.elem_type, data_dir, f"output_{i}")
            entry["outputs"].append({"name": vi.name, **tensor})
        index.append(entry)

    assign_groups(index)
    apply_tolerances(index)
    (out / "index.json").write_text(
        json.dumps({"onnx": onnx.__version__, "tests": index, "skipped": skipped}, indent=1)
    )
    print(f"onnx {onnx.__version__}: {len(index)} node tests with plain tensor inputs/outputs -> {out}")
    for reason, names in skipped.items():
        print(f"  skipped {len(names)}: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
