#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Renders the application icon (packaging/linux/zaibridge.svg: two circles and a triangle) to the
PNG sizes of the hicolor theme, the Windows .ico and the macOS .icns, with nothing but the Python
standard library (no SVG renderer is needed on the build machines). The outputs are committed; run
this again only when the icon changes:  python3 packaging/icons/make-icons.py
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGING = os.path.dirname(HERE)

# The SVG's shapes, in its 64x64 user space; colours as (r, g, b, alpha).
WHITE_RING = (28.2, 5.1, (255, 255, 255, 0.9))
GREEN_DISC = (23.6, (0x1E, 0x9E, 0x4A, 1.0))
DARK_RING = (23.6, 5.1, (0, 0, 0, 0.78))
TRIANGLE = ((25.6, 19.2), (46.1, 32.0), (25.6, 44.8))
TRIANGLE_COLOUR = (255, 255, 255, 1.0)


def inside_triangle(x, y):
    (ax, ay), (bx, by), (cx, cy) = TRIANGLE
    d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by)
    d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy)
    d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay)
    neg = d1 < 0 or d2 < 0 or d3 < 0
    pos = d1 > 0 or d2 > 0 or d3 > 0
    return not (neg and pos)


def sample(x, y):
    """Premultiplied (r, g, b, a) in 0..1 at a point of the 64x64 space, shapes painted in order."""
    r = g = b = a = 0.0
    d = ((x - 32.0) ** 2 + (y - 32.0) ** 2) ** 0.5

    def over(colour):
        nonlocal r, g, b, a
        cr, cg, cb, ca = colour
        r = cr / 255.0 * ca + r * (1 - ca)
        g = cg / 255.0 * ca + g * (1 - ca)
        b = cb / 255.0 * ca + b * (1 - ca)
        a = ca + a * (1 - ca)

    if abs(d - WHITE_RING[0]) <= WHITE_RING[1] / 2:
        over(WHITE_RING[2])
    if d <= GREEN_DISC[0]:
        over(GREEN_DISC[1])
    if abs(d - DARK_RING[0]) <= DARK_RING[1] / 2:
        over(DARK_RING[2])
    if inside_triangle(x, y):
        over(TRIANGLE_COLOUR)
    return r, g, b, a


def render(size):
    n = 4 if size <= 64 else 2  # n x n samples per pixel
    scale = 64.0 / size
    rows = []
    for py in range(size):
        row = bytearray([0])  # PNG filter type 0
        for px in range(size):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sy in range(n):
                for sx in range(n):
                    s = sample((px + (sx + 0.5) / n) * scale, (py + (sy + 0.5) / n) * scale)
                    for i in range(4):
                        acc[i] += s[i]
            k = n * n
            pr, pg, pb, pa = (v / k for v in acc)
            if pa > 0:
                row += bytes((round(pr / pa * 255), round(pg / pa * 255), round(pb / pa * 255),
                              round(pa * 255)))
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    return png(size, b"".join(rows))


def png(size, raw):
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def ico(images):
    """Windows .ico with PNG-compressed entries (Vista and later)."""
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    body = b""
    for size, data in images:
        dim = 0 if size >= 256 else size
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(body))
        body += data
    return out + body


def icns(entries):
    """macOS .icns with PNG entries."""
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in entries)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    print(os.path.relpath(path, PACKAGING))


def main():
    sizes = [16, 22, 24, 32, 48, 64, 128, 256, 512]
    pngs = {s: render(s) for s in sizes}
    for s in sizes:
        write(os.path.join(HERE, "hicolor", f"{s}x{s}", "apps", "zaibridge.png"), pngs[s])
    write(os.path.join(PACKAGING, "windows", "zaibridge.ico"),
          ico([(s, pngs[s]) for s in (16, 24, 32, 48, 64, 256)]))
    # icp4 16, icp5 32, icp6 64, ic07 128, ic08 256, ic09 512; ic11-ic14 are the @2x variants.
    write(os.path.join(PACKAGING, "macos", "zaibridge.icns"),
          icns([(b"icp4", pngs[16]), (b"icp5", pngs[32]), (b"icp6", pngs[64]),
                (b"ic07", pngs[128]), (b"ic08", pngs[256]), (b"ic09", pngs[512]),
                (b"ic11", pngs[32]), (b"ic12", pngs[64]), (b"ic13", pngs[256]),
                (b"ic14", pngs[512])]))


if __name__ == "__main__":
    main()
