"""The reference bench/variants.mjs checks mobilenet_v2 against: torch's logits for a seeded input.

Run after bench/make_models.py, with the same Python (torch + torchvision; not the project venv, not CI):
    /path/to/torch-venv/bin/python bench/make_variant_reference.py
Rebuilds the network exactly as make_models.py does (seed 0, random weights, eval mode), so its logits belong to
target/bench-models/mobilenet_v2.onnx, and writes target/bench-models/mobilenet_v2.reference.json.
"""
import json
import pathlib

import torch
import torchvision

OUT = pathlib.Path(__file__).resolve().parent.parent / "target" / "bench-models"


def main():
    if not (OUT / "mobilenet_v2.onnx").exists():
        raise SystemExit(f"{OUT / 'mobilenet_v2.onnx'} is missing: run bench/make_models.py first")
    torch.manual_seed(0)  # as make_models.py, before building the net
    net = torchvision.models.mobilenet_v2(weights=None).eval()
    x = torch.rand(1, 3, 224, 224, generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        logits = net(x)
    (OUT / "mobilenet_v2.reference.json").write_text(json.dumps({
        "source": f"torch {torch.__version__} eval() logits of torchvision mobilenet_v2 (seed 0 weights)",
        "input": {"name": "input", "dims": list(x.shape), "data": x.flatten().tolist()},
        "output": {"name": "logits", "dims": list(logits.shape), "data": logits.flatten().tolist()},
    }))


if __name__ == "__main__":
    main()
