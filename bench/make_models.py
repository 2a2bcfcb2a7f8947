"""The large benchmark models, made on demand (not committed): target/bench-models/*.onnx + manifest.json.

Run with a Python that has torch and torchvision (not the project venv, not CI):
    /path/to/torch-venv/bin/python bench/make_models.py [--ocr-wheel-dir DIR]
- mobilenet_v2, resnet18, squeezenet1_1 from torchvision with random weights (seeded), opset 17, the legacy
  exporter (dynamo=False), batch 1, 3x224x224.
- PP-OCR det and rec: the .onnx files inside the rapidocr-onnxruntime wheel, fetched with `pip download` into
  target/bench-models/cache (a wheel already there is reused).
manifest.json lists each model with its file and input shapes; bench/compare.mjs feeds seeded random inputs.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "bench-models"


def torchvision_models(manifest):
    names = ["mobilenet_v2", "resnet18", "squeezenet1_1"]
    if not all((OUT / f"{name}.onnx").exists() for name in names):
        import torch  # only when a model is missing: the bench runs without torch once they are made
        import torchvision
    for name in names:
        path = OUT / f"{name}.onnx"
        if not path.exists():
            torch.manual_seed(0)
            net = getattr(torchvision.models, name)(weights=None).eval()
            x = torch.rand(1, 3, 224, 224)
            torch.onnx.export(net, (x,), str(path), opset_version=17, input_names=["input"],
                              output_names=["logits"], dynamo=False)
        manifest.append({"name": name, "group": "cnn", "file": path.name,
                         "inputs": {"input": {"type": "float32", "dims": [1, 3, 224, 224]}}})


def ocr_models(manifest, wheel_dir):
    wheel_dir.mkdir(parents=True, exist_ok=True)
    wheels = sorted(wheel_dir.glob("rapidocr_onnxruntime-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "rapidocr-onnxruntime",
                        "-d", str(wheel_dir)], check=True)
        wheels = sorted(wheel_dir.glob("rapidocr_onnxruntime-*.whl"))
    with zipfile.ZipFile(wheels[-1]) as whl:
        names = [n for n in whl.namelist() if n.endswith(".onnx")]
        for kind, dims in [("det", [1, 3, 320, 320]), ("rec", [1, 3, 48, 320])]:
            member = next(n for n in names if f"_{kind}_" in n.rsplit("/", 1)[-1])
            path = OUT / f"ppocr_{kind}.onnx"
            if not path.exists():
                path.write_bytes(whl.read(member))
            manifest.append({"name": f"ppocr_{kind}", "group": "ocr", "file": path.name, "source": member,
                             "inputs": {"x": {"type": "float32", "dims": dims}}})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ocr-wheel-dir", type=pathlib.Path, default=OUT / "cache")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = []
    torchvision_models(manifest)
    ocr_models(manifest, args.ocr_wheel_dir)
    (OUT / "manifest.json").write_text(json.dumps({"models": manifest}, indent=2) + "\n")
    print(f"wrote {len(manifest)} models to {OUT}")


if __name__ == "__main__":
    main()
