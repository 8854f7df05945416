// Dockerfile.node-crawler cannot be built here (no Docker engine), so this test does its steps: pack and install the
// package, `npm ci --omit=dev` of examples/crawlee/ from its lockfile (npm's cache serves what the root's
// devDependency already fetched), and run `tini -- start-crawl` in an empty working directory, as Scrapy Cloud runs
// it in /scrapinghub, against a local site.

import { execFileSync, spawn, type ChildProcess, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, FIXTURES, ROOT, runProgram } from '../helpers/cli.js';
import { tempDir } from '../helpers/fifo.js';
import { installPackedTarball, type InstalledPackage } from '../helpers/installed-package.js';

const dockerfile = readFileSync(join(ROOT, 'Dockerfile.node-crawler'), 'utf8');
const instructions = (name: string): string[] =>
  dockerfile.replaceAll('\\\n', ' ').split('\n').filter((line) => line.startsWith(name + ' ')).map((line) => line.slice(name.length + 1).trim());
const EXAMPLE = join(ROOT, 'examples', 'crawlee');
const hasTini = spawnSync('tini', ['--version']).status === 0;

let installed: InstalledPackage;
let app: string;
let server: ChildProcess;
let site: string;

beforeAll(async () => {
  installed = installPackedTarball();
  execFileSync(installed.bin('shub-entrypoint'), ['code-cache'], { env: cleanEnv(), stdio: 'ignore' });
  app = tempDir();
  for (const name of ['package.json', 'package-lock.json']) copyFileSync(join(EXAMPLE, name), join(app, name));
  execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] });
  copyFileSync(join(EXAMPLE, 'main.js'), join(app, 'main.js'));
  writeFileSync(join(app, 'spiders.json'), readFileSync(join(EXAMPLE, 'spiders.json'), 'utf8').replaceAll('/app/', app + '/'));
  server = spawn(process.execPath, [join(FIXTURES, 'pages-server.mjs')], { env: { ...process.env, PAGES: '20' }, stdio: ['pipe', 'pipe', 'inherit'] });
  site = await new Promise((resolve) => server.stdout?.once('data', (port: Buffer) => resolve(`http://127.0.0.1:${String(port).trim()}/`)));
}, 300_000);
afterAll(() => {
  server.stdin?.end();
});

describe('Dockerfile.node-crawler', () => {
  it('installs the tarball, the crawler\'s locked dependencies without dev ones, its spiders.json, which and tini', () => {
    expect(instructions('COPY')).toContain('shub-entrypoint-*.tgz /tmp/');
    expect(instructions('COPY')).toContain('examples/crawlee/package.json examples/crawlee/package-lock.json /app/');
    expect(instructions('RUN').join(' ')).toMatch(/npm ci --omit=dev/);
    expect(instructions('RUN')).toContain('shub-entrypoint code-cache');
    expect(instructions('ENV')).toContain('SPIDERS_CONFIG=/app/spiders.json');
    expect(instructions('RUN').join(' ')).toMatch(/apt-get install .*tini.*debianutils/);
    expect(instructions('ENTRYPOINT')).toEqual(['["tini", "--"]']);
    expect(instructions('CMD')).toEqual(['["start-crawl"]']);
    expect(existsSync(join(EXAMPLE, 'node_modules'))).toBe(false);
    const info = JSON.parse(execFileSync(installed.bin('shub-image-info'), { env: cleanEnv({ SPIDERS_CONFIG: join(app, 'spiders.json') }), encoding: 'utf8' }));
    expect(info.spiders).toEqual(['crawlee']);
  });

  // Skipped on a machine without tini, never on CI (which installs Debian's tini).
  it.runIf(hasTini || process.env.CI === 'true')('runs the Crawlee example as `tini -- start-crawl` in an empty directory: its items and stats reach the job', async () => {
    const home = tempDir();
    const run = await runProgram(['sh', '-c', 'cd "$0" && exec "$@"', home, 'tini', '--', installed.bin('start-crawl')], {
      SPIDERS_CONFIG: join(app, 'spiders.json'), HOME: home, SHUBENTRYPOINT_CODE_CACHE: 'report',
      SHUB_JOB_DATA: JSON.stringify({ key: '1/2/3', spider: 'crawlee', spider_args: { url: site, 'max-pages': '100' } }),
      SHUB_JOBKEY: '1/2/3', SHUB_SPIDER: 'crawlee',
    });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('shub-entrypoint: code cache of dist/start-crawl.cjs: used');
    expect(run.job.outcome).toBe('finished');
    // The start page, 20 pages and /big; /broken fails.
    expect(run.job.items).toHaveLength(22);
    expect(run.job.items.filter((item) => String(item.title).startsWith('Страница '))).toHaveLength(20);
    expect(run.job.stats.at(-1)).toMatchObject({ 'crawlee/items_from_dataset': 22, 'crawlee/requestsFailed': 1, 'scheduler/enqueued': expect.any(Number) });
    expect(existsSync(join(home, 'storage', 'datasets', 'default', '000000022.json'))).toBe(true);
  }, 120_000);
});
