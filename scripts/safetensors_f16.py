"""Rewrites a safetensors file with every f32 tensor rounded to f16 (IEEE round-to-nearest-even,
as numpy and candle round); tensors of other types (all-MiniLM-L6-v2's integer
`embeddings.position_ids` buffer, which the model does not use) are left out. Standard library
only, converted in slices so that memory stays small; the output is deterministic, so
scripts/model.sh can check its sha256.

    python3 scripts/safetensors_f16.py IN.safetensors OUT.safetensors
"""
import json
import struct
import sys

SLICE = 1 << 20  # values per conversion step


def main(src: str, dst: str) -> None:
    with open(src, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        base = 8 + n
        meta = header.pop("__metadata__", None)
        names = [k for k in sorted(header, key=lambda k: header[k]["data_offsets"][0]) if header[k]["dtype"] == "F32"]
        out, off = {}, 0
        for name in names:
            a, b = header[name]["data_offsets"]
            size = (b - a) // 2
            out[name] = {"dtype": "F16", "shape": header[name]["shape"], "data_offsets": [off, off + size]}
            off += size
        if meta is not None:
            out["__metadata__"] = meta
        h = json.dumps(out, separators=(",", ":")).encode()
        h += b" " * (-len(h) % 8)
        with open(dst, "wb") as o:
            o.write(struct.pack("<Q", len(h)))
            o.write(h)
            for name in names:
                a, b = header[name]["data_offsets"]
                f.seek(base + a)
                left = (b - a) // 4
                while left:
                    k = min(left, SLICE)
                    o.write(struct.pack(f"<{k}e", *struct.unpack(f"<{k}f", f.read(4 * k))))
                    left -= k


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
