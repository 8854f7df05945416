// Whether a command given to `check` is already this package's wrapper or start-crawl, in any of the ways people
// write it: the bin names, a path to them (symlinks resolved), `npx shub-entrypoint`, `node …/bin/start-crawl.js`.
// Such a command speaks the protocol itself, so `check` runs it as it is instead of wrapping it a second time.

import { realpathSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

const OWN_NAMES = ['shub-entrypoint', 'start-crawl'];
const OWN_SCRIPTS = OWN_NAMES.map((name) => `${name}.js`);
const NODE_NAMES = ['node', 'nodejs'];
// node's options that run code given on the command line instead of a script file.
const NODE_EVAL_OPTIONS = ['-e', '--eval', '-p', '--print'];
// npx's options that take the next word as their value.
const NPX_VALUE_OPTIONS = ['-p', '--package', '-c', '--call', '-w', '--workspace'];

function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

const OWN_FILES = new Set(OWN_SCRIPTS.map((script) => realPath(join(PACKAGE_ROOT, 'bin', script)) ?? join(PACKAGE_ROOT, 'bin', script)));

// A program word as the shell would find it: a path as it is, a bare name through PATH.
function locate(word: string, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if (word.includes('/')) return realPath(isAbsolute(word) ? word : resolve(cwd, word));
  for (const directory of (env.PATH ?? '').split(delimiter)) {
    if (directory === '') continue;
    const found = realPath(join(directory, word));
    if (found) return found;
  }
  return undefined;
}

function isOwnFile(word: string, env: NodeJS.ProcessEnv, cwd: string): boolean {
  const name = basename(word);
  if (OWN_NAMES.includes(name) || OWN_SCRIPTS.includes(name)) return true;
  const found = locate(word, env, cwd);
  return found !== undefined && OWN_FILES.has(found);
}

// The first word after a launcher's own options (and an optional `--`).
function afterOptions(words: readonly string[], valueOptions: readonly string[]): string | undefined {
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as string;
    if (word === '--') return words[index + 1];
    if (!word.startsWith('-')) return word;
    if (valueOptions.includes(word)) index++;
  }
  return undefined;
}

// Whether `command` starts this package's shub-entrypoint or start-crawl; `env` and `cwd` resolve its first word.
export function isOwnCommand(command: readonly string[], env: NodeJS.ProcessEnv, cwd: string): boolean {
  const [program, ...rest] = command;
  if (program === undefined) return false;
  const name = basename(program);
  const launched = name === 'npx' ? rest : name === 'npm' && (rest[0] === 'exec' || rest[0] === 'x') ? rest.slice(1) : undefined;
  if (launched) {
    const target = afterOptions(launched, NPX_VALUE_OPTIONS);
    return target !== undefined && isOwnFile(target, env, cwd);
  }
  if (NODE_NAMES.includes(name) || program === process.execPath) {
    if (rest.some((word) => NODE_EVAL_OPTIONS.includes(word))) return false;
    const script = afterOptions(rest, ['-r', '--require', '--import', '--loader']);
    return script !== undefined && isOwnFile(script, env, cwd);
  }
  return isOwnFile(program, env, cwd);
}
