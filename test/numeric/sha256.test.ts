// The variants' own SHA-256 (no node:crypto, so a page draws the same variants): FIPS 180-4 vectors
// printed by Python's hashlib, padding edges (55, 56, 64, 119 bytes), UTF-8, and many random strings
// against node:crypto.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/numeric/sha256.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('sha256', () => {
  it('matches hashlib on the standard vector and the padding edges', () => {
    // python3 -c "import hashlib; print(hashlib.sha256(s.encode()).hexdigest())"
    const vectors: Array<[string, string]> = [
      ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
      ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
      ['a'.repeat(55), '9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318'],
      ['a'.repeat(56), 'b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a'],
      ['a'.repeat(64), 'ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb'],
      ['a'.repeat(119), '31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb'],
      ['σ-seed-é-1', '21eb68e9fb38c2356a3d97376445202d8d69e8391219e79ebc21159fe280d129'],
      ['x'.repeat(1000), '44f8354494a5ba03ba1792a8d3e9c534c47a9181980fde7a3f44b06ef2ae7c7f'],
    ];
    for (const [s, want] of vectors) expect(hex(sha256(s)), `${s.length} chars`).toBe(want);
  });

  it('equals node:crypto on 2000 seed-like and random strings', () => {
    let x = 12345;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 2000; i++) {
      const s = i < 1000 ? `${i % 37}-${i}` : Array.from({ length: next() % 200 }, () => String.fromCharCode(32 + (next() % 500))).join('');
      expect(hex(sha256(s)), s).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
    }
  });
});
