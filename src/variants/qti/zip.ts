/**
 * Deterministic zip archives through fflate (pinned in package.json): entries
 * in the order given, every entry stamped with the same fixed time, so the
 * same files give the same bytes. The fixed time is built from local date
 * parts because fflate writes the DOS date from the local-time getters: that
 * way the stamp is 1980-01-01 00:00 in every time zone.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { assert } from '../../errors.js';

const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);

export function zipFiles(files: ReadonlyArray<readonly [string, string | Uint8Array]>): Buffer {
  const entries: Zippable = {};
  for (const [name, data] of files) {
    assert(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(name) && !name.split('/').includes('..'), `zip entry name '${name}'`);
    assert(!(name in entries), `zip entry '${name}' twice`);
    entries[name] = [typeof data === 'string' ? strToU8(data) : data, {}];
  }
  return Buffer.from(zipSync(entries, { level: 9, mtime: FIXED_TIME }));
}
