"""Independent reference for src/variants/rng.ts: xoshiro128** transcribed from
Blackman and Vigna's C code (https://prng.di.unimi.it/xoshiro128starstar.c),
seeded with the first 16 bytes of SHA-256(f"{seed}-{k}") as four little-endian
32-bit words. Prints the values test/variants/rng.test.ts expects.
Run: python3 test/variants/xoshiro_oracle.py"""
import hashlib
import json
import struct

M = 0xFFFFFFFF


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M


def stream(seed, k):
    s = list(struct.unpack("<4I", hashlib.sha256(f"{seed}-{k}".encode()).digest()[:16]))

    def nxt():
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 9) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 11)
        return result

    return nxt


def below(nxt, n):
    limit = 2**32 - (2**32 % n)
    while True:
        u = nxt()
        if u < limit:
            return u % n


out = {}
for seed, k in [("7", 1), ("7", 2), ("2026", 13)]:
    nxt = stream(seed, k)
    out[f"{seed}-{k}"] = [nxt() for _ in range(6)]
# the reference C code from the state {1, 2, 3, 4}
s = [1, 2, 3, 4]


def nxt_fixed():
    result = (rotl((s[1] * 5) & M, 7) * 9) & M
    t = (s[1] << 9) & M
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = rotl(s[3], 11)
    return result


out["state-1-2-3-4"] = [nxt_fixed() for _ in range(6)]
nxt = stream("7", 3)
out["below-61-7-3"] = [below(nxt, 61) for _ in range(10)]
print(json.dumps(out))
