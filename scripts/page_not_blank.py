#!/usr/bin/env python3
"""Exits non-zero when a PNG screenshot is blank: almost every pixel the background colour.

Standard library only: decodes 8-bit RGB/RGBA PNGs (all five row filters) with zlib.
"""
import struct
import sys
import zlib
from collections import Counter


def pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG file")
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise SystemExit(f"{path}: expected an 8-bit RGB or RGBA PNG without interlacing")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        previous = line
    return [row[x * channels:x * channels + 3] for row in rows for x in range(0, width, 4)]


def main():
    for path in sys.argv[1:]:
        sample = pixels(path)
        counts = Counter(sample)
        background, most = counts.most_common(1)[0]
        ink = 1 - most / len(sample)
        if ink < 0.02 or len(counts) < 16:
            raise SystemExit(f"{path}: looks blank ({ink:.1%} of pixels differ from the background, {len(counts)} colours)")
        print(f"{path}: {ink:.1%} of pixels drawn, {len(counts)} colours")


main()
