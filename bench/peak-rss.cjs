// Preloaded into a measured Node process: at exit, writes its own peak resident set (VmHWM, kept by the kernel, so
// no spike is missed) to the file named by BENCH_PEAK_RSS_FILE.
const { readFileSync, writeFileSync } = require('node:fs');

process.on('exit', () => {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'latin1'));
  if (match && process.env.BENCH_PEAK_RSS_FILE) writeFileSync(process.env.BENCH_PEAK_RSS_FILE, match[1]);
});
