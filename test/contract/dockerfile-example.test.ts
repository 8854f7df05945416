// Dockerfile.example cannot be built here (no Docker engine), so this test does its steps: pack, install the
// tarball, take the crawlers and spiders.json it copies, and run its ENTRYPOINT + CMD the way Scrapy Cloud would.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, commandLogs, ROOT, runProgram } from '../helpers/cli.js';
import { tempDir } from '../helpers/fifo.js';
import { installPackedTarball, type InstalledPackage } from '../helpers/installed-package.js';

const dockerfile = readFileSync(join(ROOT, 'Dockerfile.example'), 'utf8');
const instruction = (name: string): string[] =>
  dockerfile.replaceAll('\\\n', ' ').split('\n').filter((line) => line.startsWith(name + ' ')).map((line) => line.slice(name.length + 1).trim());

let installed: InstalledPackage;
let config: string;
const hasTini = spawnSync('tini', ['--version']).status === 0;

beforeAll(() => {
  installed = installPackedTarball();
  execFileSync(installed.bin('shub-entrypoint'), ['code-cache'], { env: cleanEnv(), stdio: 'ignore' });
  // The image's /app is the checkout's examples/: point the copied spiders.json at them.
  const copied = readFileSync(join(ROOT, 'examples', 'spiders.json'), 'utf8').replaceAll('/app/', join(ROOT, 'examples') + '/');
  config = join(tempDir(), 'spiders.json');
  writeFileSync(config, copied);
}, 180_000);

describe('Dockerfile.example', () => {
  it('installs the packed tarball, copies spiders.json, sets SPIDERS_CONFIG, brings which and tini, and runs start-crawl under tini', () => {
    expect(instruction('FROM')[0]).toMatch(/^node:24/);
    expect(instruction('COPY')).toContain('shub-entrypoint-*.tgz /tmp/');
    expect(instruction('RUN').join(' ')).toMatch(/npm install --global .*shub-entrypoint-\*\.tgz/);
    expect(instruction('COPY').some((line) => line.includes('examples/spiders.json'))).toBe(true);
    expect(instruction('ENV')).toContain('SPIDERS_CONFIG=/app/spiders.json');
    expect(instruction('RUN').join(' ')).toMatch(/apt-get install .*tini.*debianutils/);
    const runs = instruction('RUN');
    expect(runs.findIndex((line) => line === 'shub-entrypoint code-cache')).toBeGreaterThan(runs.findIndex((line) => line.includes('npm install --global')));
    expect(instruction('ENTRYPOINT')).toEqual(['["tini", "--"]']);
    expect(instruction('CMD')).toEqual(['["start-crawl"]']);
  });

  it('answers shub-image-info with the example spiders', () => {
    const info = JSON.parse(execFileSync(installed.bin('shub-image-info'), { env: cleanEnv({ SPIDERS_CONFIG: config }), encoding: 'utf8' }));
    expect(info.spiders).toEqual(['books-node', 'books-python', 'books-shell']);
    expect(execFileSync('sh', ['-c', 'command -v which']).toString()).toMatch(/which/);
  });

  // Skipped on a machine without tini, never on CI (which installs Debian's tini).
  it.runIf(hasTini || process.env.CI === 'true').each(['books-node', 'books-python', 'books-shell'])('runs %s as `tini -- start-crawl`, with the platform\'s environment', async (spider) => {
    const home = tempDir();
    const run = await runProgram(['tini', '--', installed.bin('start-crawl')], {
      SPIDERS_CONFIG: config, HOME: home, SHUBENTRYPOINT_CODE_CACHE: 'report',
      SHUB_JOB_DATA: JSON.stringify({ key: '1/2/3', spider, spider_args: { currency: 'EUR' } }),
      SHUB_JOBKEY: '1/2/3', SHUB_SPIDER: spider,
    });
    expect(run.status).toBe(0);
    // The image's code-cache step: start-crawl loads its code from the cache it wrote.
    expect(run.stderr).toContain('shub-entrypoint: code cache of dist/start-crawl.cjs: used');
    expect(run.job.items.length).toBeGreaterThan(0);
    expect(run.job.outcome).toBe('finished');
    expect(commandLogs(run.job).some((log) => log.message === 'Crawling the catalogue')).toBe(true);
  });
});
