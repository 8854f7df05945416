// The package as users get it: `npm pack`, then `npm install -g` of the tarball into a private prefix, exactly the
// steps of Dockerfile.example. Tests run the installed commands, never the checkout's.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';
import { tempDir } from './fifo.js';

export interface InstalledPackage {
  prefix: string;
  bin: (name: string) => string;
  tarball: string;
  // What `npm install --global` of the tarball printed on stderr.
  installWarnings: string;
}

export function installPackedTarball(): InstalledPackage {
  const packDirectory = tempDir();
  // --ignore-scripts: `prepack` would rebuild dist/ while other test files run the CLI from it (a half-written
  // module makes those runs crash at random). The suite's global setup has built it before any test starts.
  execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', packDirectory], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const tarball = join(packDirectory, readdirSync(packDirectory).find((name) => name.endsWith('.tgz')) as string);
  const prefix = tempDir();
  // As in an image's /usr/local: every user can run what is installed, nobody included (`check` runs jobs as nobody).
  chmodSync(prefix, 0o755);
  const install = spawnSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`npm install --global of ${tarball} failed: ${install.stderr}`);
  return { prefix, tarball, bin: (name) => join(prefix, 'bin', name), installWarnings: install.stderr };
}
