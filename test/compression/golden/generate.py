# Generates the compression golden files (see README.md). Usage: generate.py <output dir>
import sys, os, json, struct
import lz4.block, lz4.frame, zstandard
from clickhouse_cityhash.cityhash import CityHash128

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
M64 = (1 << 64) - 1

def xorshift_bytes(n, seed):
    x = seed & 0xffffffff
    b = bytearray(n)
    for i in range(n):
        x ^= (x << 13) & 0xffffffff
        x ^= x >> 17
        x ^= (x << 5) & 0xffffffff
        b[i] = x & 0xff
    return bytes(b)

VOCAB = ["select", "from", "where", "stream", "tumble", "window", "count", "sum", "_tp_time",
         "hadron", "clickhouse", "proton", "lz4", "zstd", "block", "\n", "1234567890", "é"]

def text_bytes(n, seed):
    x = seed & 0xffffffff
    parts = []
    total = 0
    while total < n:
        x ^= (x << 13) & 0xffffffff
        x ^= x >> 17
        x ^= (x << 5) & 0xffffffff
        w = (VOCAB[x % len(VOCAB)] + " ").encode()
        parts.append(w)
        total += len(w)
    return b"".join(parts)[:n]

def ch128(data):
    h = CityHash128(data)
    # clickhouse_cityhash returns (first_u64 << 64) | second_u64, where first is CityHash's
    # `low` (written first on the wire).
    return h >> 64, h & M64

# 1. CityHash128 v1.0.2 over prefixes of a xorshift stream.
data = xorshift_bytes(1 << 20, 0x12345678)
lengths = list(range(0, 601)) + [1000, 1023, 1024, 1025, 2047, 2048, 2049, 4095, 4096, 4097,
                                 10000, 65535, 65536, 65537, 100000, 262144, 1000000, 1 << 20]
with open(f"{out}/cityhash128-xorshift.csv", "w") as f:
    f.write("# length,low,high: CityHash128 v1.0.2 (clickhouse-cityhash) of the first `length` bytes of xorshiftBytes(1<<20, 0x12345678)\n")
    for n in lengths:
        lo, hi = ch128(data[:n])
        f.write(f"{n},{lo:016x},{hi:016x}\n")

# 2. Text strings (also re-checks go-faster/city's data.json entries).
# 3. LZ4 blocks
t = text_bytes(20000, 7)
open(f"{out}/lz4-block-text20000-default.lz4", "wb").write(lz4.block.compress(t, store_size=False))
open(f"{out}/lz4-block-text20000-hc.lz4", "wb").write(lz4.block.compress(t, store_size=False, mode="high_compression", compression=12))
r = xorshift_bytes(3000, 99)
open(f"{out}/lz4-block-random3000.lz4", "wb").write(lz4.block.compress(r, store_size=False))

# 4. LZ4 frames (clickhouse-connect sends lz4.frame.compress(data) with defaults)
t2 = text_bytes(140000, 11)
t3 = text_bytes(70000, 12)
open(f"{out}/lz4-frame-text140000-default.lz4", "wb").write(lz4.frame.compress(t2))
open(f"{out}/lz4-frame-text70000-checksums.lz4", "wb").write(lz4.frame.compress(
    t3, block_size=lz4.frame.BLOCKSIZE_MAX64KB, block_linked=True, content_checksum=True,
    block_checksum=True, store_size=True))
open(f"{out}/lz4-frame-text70000-independent.lz4", "wb").write(lz4.frame.compress(
    t3, block_size=lz4.frame.BLOCKSIZE_MAX64KB, block_linked=False, content_checksum=True, store_size=False))
open(f"{out}/lz4-frame-random3000.lz4", "wb").write(lz4.frame.compress(r, content_checksum=True))
open(f"{out}/lz4-frame-empty.lz4", "wb").write(lz4.frame.compress(b""))

# 5. ZSTD frames
open(f"{out}/zstd-text20000-level3.zst", "wb").write(zstandard.ZstdCompressor(level=3).compress(t))
open(f"{out}/zstd-text20000-nosize.zst", "wb").write(
    zstandard.ZstdCompressor(level=1, write_content_size=False, write_checksum=True).compress(t))

# 6. ClickHouse compressed blocks as clickhouse-driver builds them.
def ch_block(method_byte, payload, raw):
    body = struct.pack("<BII", method_byte, 9 + len(payload), len(raw)) + payload
    lo, hi = ch128(body)
    return struct.pack("<QQ", lo, hi) + body
blk = (ch_block(0x82, lz4.block.compress(t, store_size=False), t)
       + ch_block(0x90, zstandard.ZstdCompressor(level=1).compress(r), r)
       + ch_block(0x02, b"Moscow", b"Moscow"))
open(f"{out}/clickhouse-driver-blocks.bin", "wb").write(blk)
print("ok")
