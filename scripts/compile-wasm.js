// Compiles the AssemblyScript in assembly/ into the WebAssembly the bundle embeds (scripts/build.js). The compiler is
// the assemblyscript devDependency, pinned to one version in package.json (which pins binaryen, its optimizer, in
// turn): the same source and compiler give the same bytes, which test/build/byte-scan-wasm.test.ts holds to the
// SHA-256 recorded in assembly/byte-scan.sha256.
//
// `node scripts/compile-wasm.js DIR` writes byte-scan.wasm and, for reading, byte-scan.wat into DIR.

import asc from 'assemblyscript/asc';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Where the build puts them; src/lines/byte-scan.ts imports the module from there.
const WASM_DIR = join(ROOT, 'build');

const OPTIONS = [
  '--enable', 'simd',
  // Nothing is allocated, so no allocator or collector: the stub runtime, which the optimizer then drops entirely.
  '--runtime', 'stub',
  '--optimizeLevel', '3', '--shrinkLevel', '0',
  // 512 KiB: a pipe read (64 KiB; src/lines/byte-scan.ts scans a larger chunk natively), a block's text as long, the
  // text escapeUnits takes at a time (ESCAPE_UNITS, 8 bytes a unit in and out), and the lines frameLines and
  // recordLines write (a block's text with a line's opening and closing), after a record shape's program. Pages are
  // only backed by memory once written.
  '--initialMemory', '8',
];

export async function compileByteScan(directory = WASM_DIR) {
  const outDir = resolve(directory);
  mkdirSync(outDir, { recursive: true });
  let diagnostics = '';
  const output = { write: (text) => { diagnostics += text; } };
  const { error } = await asc.main(
    ['assembly/byte-scan.ts', '--baseDir', ROOT, ...OPTIONS, '--outFile', join(outDir, 'byte-scan.wasm'), '--textFile', join(outDir, 'byte-scan.wat')],
    { stdout: output, stderr: output, writeFile: (name, contents, baseDir) => writeFileSync(resolve(baseDir, name), contents) },
  );
  if (error) throw new Error(`assembly/byte-scan.ts did not compile: ${error.message}\n${diagnostics}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await compileByteScan(process.argv[2]);
