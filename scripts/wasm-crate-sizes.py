#!/usr/bin/env python3
"""Raw and gzip -9 bytes of the functions of a .wasm whose names mention each given crate (from
the name section: run it on cargo's output, before wasm-opt strips the names).

  python3 scripts/wasm-crate-sizes.py target/wasm/wasm32-unknown-unknown/wasm-release/onnx_edge_wasm.wasm sha2 ed25519,curve25519 base64 semver
"""
import gzip
import sys


def leb(data, pos):
    result = shift = 0
    while True:
        b = data[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def sections(data):
    pos = 8
    while pos < len(data):
        size, start = leb(data, pos + 1)
        yield data[pos], data[start:start + size]
        pos = start + size


def functions(data):
    """(name, body) of every defined function (rustc's output imports functions only)."""
    imported, bodies, names = 0, [], {}
    for sid, body in sections(data):
        if sid == 2:
            n, p = leb(body, 0)
            for _ in range(n):
                for _ in range(2):
                    ln, p = leb(body, p)
                    p += ln
                if body[p] != 0:
                    raise SystemExit("only function imports are handled")
                _, p = leb(body, p + 1)
                imported += 1
        elif sid == 10:
            n, p = leb(body, 0)
            for _ in range(n):
                size, p = leb(body, p)
                bodies.append(body[p:p + size])
                p += size
        elif sid == 0:
            ln, p = leb(body, 0)
            if body[p:p + ln] != b"name":
                continue
            p += ln
            while p < len(body):
                kind, (size, p) = body[p], leb(body, p + 1)
                if kind == 1:
                    q = p
                    n, q = leb(body, q)
                    for _ in range(n):
                        idx, q = leb(body, q)
                        ln2, q = leb(body, q)
                        names[idx] = body[q:q + ln2].decode("utf8", "replace")
                        q += ln2
                p += size
    return [(names.get(i + imported, ""), b) for i, b in enumerate(bodies)]


def main():
    fns = functions(open(sys.argv[1], "rb").read())
    print(f"{'crates':<28}{'functions':>10}{'raw bytes':>12}{'gzip -9':>10}")
    for group in sys.argv[2:]:
        keys = group.split(",")
        blob = [b for name, b in fns if any(k in name for k in keys)]
        joined = b"".join(blob)
        print(f"{group:<28}{len(blob):>10}{len(joined):>12}{len(gzip.compress(joined, 9)):>10}")
    print(f"{'(all functions)':<28}{len(fns):>10}{sum(len(b) for _, b in fns):>12}")


if __name__ == "__main__":
    main()
