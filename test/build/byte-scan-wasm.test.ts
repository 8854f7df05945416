// The WebAssembly module is reproducible: compiling assembly/byte-scan.ts again, in a process of its own, gives the
// bytes whose SHA-256 is recorded beside the source, and the bundle embeds exactly those.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/fifo.js';

const RECORD = join(ROOT, 'assembly', 'byte-scan.sha256');
const [, recordedSha256, recordedCompiler] = /^([0-9a-f]{64}) {2}byte-scan\.wasm\ncompiled by assemblyscript (\S+)\n$/
  .exec(readFileSync(RECORD, 'utf8')) ?? [];
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const UPDATE = 'after a change to assembly/ or to the compiler, write `sha256sum build/byte-scan.wasm` and the compiler\'s version '
  + 'into assembly/byte-scan.sha256';

describe('the byte-scan module', () => {
  it('is recorded for the compiler installed', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'assemblyscript', 'package.json'), 'utf8')) as { version: string };
    expect(recordedSha256, `${RECORD} is not "SHA-256  byte-scan.wasm" then "compiled by assemblyscript VERSION"`).toBeDefined();
    expect(recordedCompiler, UPDATE).toBe(version);
  });

  it('compiles again to the recorded bytes, which the bundle embeds', () => {
    const directory = tempDir();
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'compile-wasm.js'), directory]);
    const compiled = readFileSync(join(directory, 'byte-scan.wasm'));
    expect(sha256(compiled), UPDATE).toBe(recordedSha256);
    // The build before the tests (test/build-once.ts) compiled it once already.
    expect(sha256(readFileSync(join(ROOT, 'build', 'byte-scan.wasm')))).toBe(recordedSha256);
    expect(readFileSync(join(ROOT, 'dist', 'cli.cjs'), 'utf8')).toContain(compiled.toString('base64'));
  });
});
