// `npm run bench`: shub-entrypoint against its floors and a straightforward Node wrapper, side by side, alternating
// runs in rotating order, into a real FIFO drained by a separate reader. Prints a Markdown table. The floors:
// `cat` (the machine's copy limit), a Node program that only copies (node-copy.js: no Node wrapper can be faster),
// and the same transform in C (c-transform.c, built when a C compiler is present: the cost of the work itself).
//
// BENCH_RUNS (default 7) sets the runs per scenario; BENCH_ONLY=logs,prints,items,realistic,dicts,... picks scenarios.

import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.js';
import { memoryScan } from './memory-scan.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
// A pause between runs. On this class of machine a run right after a heavy one is measurably slower, and the effect
// fades within a second: the same build took 0.71 s right after the naive wrapper, 0.62 s a second later.
const SETTLE_MS = 1000;
const PEAK_RSS = join(HERE, 'peak-rss.cjs');
const scratch = mkdtempSync(join(tmpdir(), 'shub-entrypoint-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const C_TRANSFORM = buildCTransform();

function buildCTransform() {
  const binary = join(scratch, 'c-transform');
  try {
    execFileSync('cc', ['-O2', '-o', binary, join(HERE, 'c-transform.c')], { stdio: 'ignore' });
    return binary;
  } catch {
    process.stderr.write('no C compiler (cc): the C transform row is skipped\n');
    return undefined;
  }
}

const WRAPPERS = {
  cat: (file) => ['sh', '-c', `exec cat "${file}" > "$SHUB_FIFO_PATH"`],
  ...(C_TRANSFORM ? { 'C transform': (file) => [C_TRANSFORM, 'cat', file] } : {}),
  'Node copy': (file) => [process.execPath, '-r', PEAK_RSS, join(HERE, 'node-copy.js'), 'cat', file],
  naive: (file) => [process.execPath, '-r', PEAK_RSS, join(HERE, 'naive-wrapper.js'), 'cat', file],
  'shub-entrypoint': (file) => [process.execPath, '-r', PEAK_RSS, join(ROOT, 'bin', 'shub-entrypoint.js'), '--', 'cat', file],
};

let fifoCount = 0;

function makeFifo() {
  const path = join(scratch, `fifo-${fifoCount++}`);
  execFileSync('mkfifo', [path]);
  return path;
}

function exited(child) {
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// One run: the writer into a fresh FIFO, `wc` (or a throttled reader) draining it. Wall time covers both.
async function runOnce(kind, file, slowReader = false) {
  const fifo = makeFifo();
  const rssFile = join(scratch, `rss-${fifoCount}`);
  const reader = slowReader
    ? spawn(process.execPath, [join(HERE, 'slow-reader.js'), fifo], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn('sh', ['-c', `exec wc -lc < "${fifo}"`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let counted = '';
  reader.stdout.on('data', (data) => (counted += data));
  const [command, ...args] = WRAPPERS[kind](file);
  const started = process.hrtime.bigint();
  const writer = spawn(command, args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SHUB_FIFO_PATH: fifo, BENCH_PEAK_RSS_FILE: rssFile },
  });
  const [status] = await Promise.all([exited(writer), exited(reader)]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (status !== 0) throw new Error(`${kind} on ${file} exited ${status}`);
  const [lines, bytes] = counted.trim().split(/\s+/).map(Number);
  let peakMiB;
  try {
    peakMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
  } catch {
    peakMiB = undefined;
  }
  return { seconds, lines, bytes, peakMiB };
}

function countLines(file) {
  return new Promise((resolve) => {
    let lines = 0;
    createReadStream(file).on('data', (chunk) => {
      for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines++;
    }).on('end', () => resolve(lines));
  });
}

const format = {
  seconds: (value) => `${value.toFixed(2)} s`,
  rate: (value) => (value >= 1e6 ? `${(value / 1e6).toFixed(2)} M` : `${(value / 1e3).toFixed(0)} k`),
  mib: (value) => (value === undefined ? '–' : `${value.toFixed(0)} MiB`),
  ratio: (value) => `${value.toFixed(1)}×`,
};

async function scenario(name, file) {
  const inputLines = await countLines(file);
  const inputMiB = readFileSync(file).length / 1048576;
  const results = Object.fromEntries(Object.keys(WRAPPERS).map((kind) => [kind, []]));
  const kinds = Object.keys(results);
  for (let run = 0; run < RUNS; run++) {
    // The order rotates from run to run too, so that no writer always follows the same one.
    for (let turn = 0; turn < kinds.length; turn++) {
      const kind = kinds[(run + turn) % kinds.length];
      results[kind].push(await runOnce(kind, file));
      await delay(SETTLE_MS);
    }
  }
  const time = (kind) => median(results[kind].map((result) => result.seconds));
  const peak = (kind) => Math.max(...results[kind].map((result) => result.peakMiB ?? 0));
  const shub = time('shub-entrypoint');
  return {
    name, inputLines, inputMiB,
    cat: time('cat'), c: C_TRANSFORM ? time('C transform') : undefined, nodeCopy: time('Node copy'), naive: time('naive'), shub,
    linesPerSecond: Math.max(inputLines, 1) / shub, mibPerSecond: inputMiB / shub,
    shubPeak: peak('shub-entrypoint'), naivePeak: peak('naive'),
    versusNaive: time('naive') / shub, versusCat: shub / time('cat'), versusNodeCopy: shub / time('Node copy'),
    outputMiB: median(results['shub-entrypoint'].map((result) => result.bytes)) / 1048576,
  };
}

async function slowReaderScenario(file) {
  const result = await runOnce('shub-entrypoint', file, true);
  return { seconds: result.seconds, peakMiB: result.peakMiB, lines: result.lines };
}

async function startup() {
  const times = { node: [], wrapper: [], uncached: [] };
  const wrapper = [join(ROOT, 'bin', 'shub-entrypoint.js'), '--', 'true'];
  const runs = {
    node: { argv: [process.execPath, '-e', '0'], env: startupEnv() },
    // With the code cache that `npm run build` wrote for this Node, as an image's `code-cache` step writes it.
    wrapper: { argv: wrapper, env: startupEnv() },
    uncached: { argv: wrapper, env: { ...startupEnv(), SHUBENTRYPOINT_CODE_CACHE: 'off' } },
  };
  for (let run = 0; run < Math.max(RUNS * 4, 10); run++) {
    for (const kind of Object.keys(times)) {
      const [command, ...args] = runs[kind].argv;
      const started = process.hrtime.bigint();
      await exited(spawn(command, args, { stdio: 'ignore', env: runs[kind].env }));
      times[kind].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return { node: median(times.node), wrapper: median(times.wrapper), uncached: median(times.uncached) };
}

// NODE_EXTRA_CA_CERTS, where a machine sets it, costs every Node start the same fixed time and would hide the
// wrapper's own share of start-up.
function startupEnv() {
  const env = { ...process.env, SHUB_FIFO_PATH: '' };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

// What an idle wrapper costs: its resident memory and CPU time over a quiet stretch, against bare Node doing nothing.
// The stretch starts once start-up has settled (V8 still compiles and collects for a moment after the first line
// runs) and spans ten of the wrapper's once-a-second wake-ups.
async function idleCost() {
  const SETTLED_MS = 2000;
  const QUIET_MS = 10000;
  const measure = async (args) => {
    const child = spawn(process.execPath, args, { stdio: 'ignore', env: startupEnv() });
    await delay(SETTLED_MS);
    const before = cpuMs(child.pid);
    await delay(QUIET_MS);
    const result = { rssMiB: rssKiB(child.pid) / 1024, cpuMsPerSecond: (cpuMs(child.pid) - before) / (QUIET_MS / 1000) };
    child.kill('SIGKILL');
    await exited(child);
    return result;
  };
  return {
    node: await measure(['-e', 'setTimeout(() => {}, 60000)']),
    wrapper: await measure([join(ROOT, 'bin', 'shub-entrypoint.js'), '--', 'sleep', '60']),
    // Watching for a Crawlee storage directory that never appears, against not watching at all.
    withoutCrawlee: await measure([join(ROOT, 'bin', 'shub-entrypoint.js'), '--no-crawlee', '--', 'sleep', '60']),
  };
}

function rssKiB(pid) {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1]);
}

// utime + stime of /proc/PID/stat, in clock ticks of 10 ms (USER_HZ is 100 on Linux).
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

// How long a line printed by an idle child takes to reach the reader of the pipe.
async function idleLatency() {
  const latencies = [];
  for (let run = 0; run < RUNS; run++) {
    const fifo = makeFifo();
    const wrapper = spawn(process.execPath, [join(ROOT, 'bin', 'shub-entrypoint.js'), '--', process.execPath, '-e',
      'console.log(Date.now()); setTimeout(() => {}, 1500)'], { stdio: 'ignore', env: { ...process.env, SHUB_FIFO_PATH: fifo } });
    await new Promise((resolve) => {
      let text = '';
      createReadStream(fifo, 'latin1').on('data', function onData(chunk) {
        text += chunk;
        const match = /"message":"(\d{13})"/.exec(text);
        if (match) {
          latencies.push(Date.now() - Number(match[1]));
          this.off('data', onData);
          this.resume();
          resolve();
        }
      });
    });
    await exited(wrapper);
  }
  return median(latencies);
}

async function main() {
  process.stderr.write('generating data…\n');
  const files = generate(join(HERE, '.data'));
  const only = process.env.BENCH_ONLY?.split(',');
  const scenarios = [
    ['1,000,000 log lines (~100 B)', files.logs, 'logs'],
    ['1,000,000 plain prints, no level (~100 B)', files.prints, 'prints'],
    ['1,000,000 JSON items (~100 B)', files.items, 'items'],
    ['1,000,000 JSON items with non-ASCII titles (~125 B)', files.nonAsciiItems, 'items-non-ascii'],
    ['1,000,000 JSON log records (pino, ~110 B)', files.records, 'records'],
    ['100,000 progress bars of 10 states (`\\r`, ~60 B each)', files.progress, 'progress'],
    ['50,000 Python tracebacks of 9 frames (21 lines each)', files.tracebacks, 'tracebacks'],
    ['mixed: tracebacks, items, non-ASCII', files.mixed, 'mixed'],
    ['recorded Scrapy, pino and Crawlee output, repeated', files.realistic, 'realistic'],
    ['1,000,000 Python dict reprs (`{\'a\': 1, …}`)', files.dicts, 'dicts'],
    ['one 50 MB line, no newline', files.longLine, 'long'],
    ['one 60 MB line of non-ASCII text, no newline', files.longNonAscii, 'long-non-ascii'],
  ].filter(([, , key]) => !only || only.includes(key));

  const rows = [];
  for (const [name, file] of scenarios) {
    process.stderr.write(`${name}…\n`);
    rows.push(await scenario(name, file));
  }
  process.stderr.write('slow reader, start-up, idle latency, memory guard…\n');
  const slow = !only || only.includes('slow') ? await slowReaderScenario(files.logs) : undefined;
  const start = await startup();
  const latency = await idleLatency();
  const idle = await idleCost();
  const scan = await memoryScan(scratch, ROOT);

  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(`\nMachine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; median of ${RUNS} alternating runs.\n`);
  console.log('| scenario | `cat` | C transform | Node copy | naive wrapper | shub-entrypoint | lines/s | MiB/s | peak RSS (naive) | vs naive | vs Node copy | vs `cat` |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(`| ${row.name} | ${format.seconds(row.cat)} | ${row.c === undefined ? 'no cc' : format.seconds(row.c)} | ${format.seconds(row.nodeCopy)} | ` +
      `${format.seconds(row.naive)} | ${format.seconds(row.shub)} | ` +
      `${row.inputLines === 0 ? '–' : format.rate(row.linesPerSecond)} | ${row.mibPerSecond.toFixed(0)} | ${format.mib(row.shubPeak)} (${format.mib(row.naivePeak)}) | ` +
      `${format.ratio(row.versusNaive)} faster | ${format.ratio(row.versusNodeCopy)} | ${format.ratio(row.versusCat)} |`);
  }
  console.log('');
  if (slow) console.log(`Slow reader (64 KiB, then 1 ms pause), 1,000,000 log lines: ${format.seconds(slow.seconds)}, peak RSS ${format.mib(slow.peakMiB)}, ${slow.lines} lines delivered.`);
  console.log(`Start-up (without NODE_EXTRA_CA_CERTS): \`shub-entrypoint -- true\` ${start.wrapper.toFixed(0)} ms, \`node -e 0\` ${start.node.toFixed(0)} ms (${format.ratio(start.wrapper / start.node)}); ` +
    `without the code cache ${start.uncached.toFixed(0)} ms (${format.ratio(start.uncached / start.node)}).`);
  console.log(`Idle line to pipe: ${latency} ms (median).`);
  console.log(`Idle: wrapper ${idle.wrapper.rssMiB.toFixed(1)} MiB and ${idle.wrapper.cpuMsPerSecond.toFixed(1)} ms CPU/s, ` +
    `with --no-crawlee ${idle.withoutCrawlee.rssMiB.toFixed(1)} MiB and ${idle.withoutCrawlee.cpuMsPerSecond.toFixed(1)} ms CPU/s, ` +
    `bare Node ${idle.node.rssMiB.toFixed(1)} MiB and ${idle.node.cpuMsPerSecond.toFixed(1)} ms CPU/s.`);
  console.log(`Memory guard: one measurement of a ${scan.tree}-process tree, scanning ${scan.processes} processes, ` +
    `${scan.ms.toFixed(2)} ms (median); a sample with no fork since the last, reading the tree's own processes, ` +
    `${scan.sampleMs.toFixed(3)} ms. One sample a second.`);
}

await main();
