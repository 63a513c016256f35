"""Writes a PyTorch-named safetensors file for the bench `mlp` architecture, with random weights:
(1, 28, 28) -> flatten -> 512 (batch norm, relu, dropout) -> 256 (batch norm, relu, dropout) -> 10.
Standard library only (no torch needed). Usage: make_bench_model.py OUT.safetensors SEED
"""
import json
import random
import struct
import sys


def main(path, seed):
    rng = random.Random(seed)
    shapes = {}
    for index, (fan_in, units) in zip((1, 5, 9), ((784, 512), (512, 256), (256, 10))):
        shapes[f"{index}.weight"] = (units, fan_in)
        shapes[f"{index}.bias"] = (units,)
        if index < 9:
            bn = index + 1
            for name in ("weight", "bias", "running_mean", "running_var"):
                shapes[f"{bn}.{name}"] = (units,)
    header, blobs, offset = {}, [], 0
    for name, shape in shapes.items():
        count = 1
        for d in shape:
            count *= d
        if name.endswith("running_var") or (name.endswith("weight") and len(shape) == 1):
            values = [0.5 + rng.random() for _ in range(count)]
        else:
            scale = (2.0 / shape[1]) ** 0.5 if len(shape) == 2 else 0.1
            values = [rng.gauss(0, scale) for _ in range(count)]
        data = struct.pack("<%df" % count, *values)
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
