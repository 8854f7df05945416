// shub-image-info and list-spiders: how Scrapy Cloud's deploy tool learns an image's spiders. Both work with no
// SHUB_* variables and no pipe; any problem goes to stderr with a non-zero exit, never half a line to stdout. An image
// with no spiders config at all (none named, none in the working directory) has no spiders: it runs script jobs.

import { arch, platform, release } from 'node:os';
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { relativePathWarnings } from './relative-paths.js';
import { ConfigError, loadSpidersConfigIfAny, type SpidersConfig } from './spiders-config.js';

const EXIT_CONFIG_ERROR = 1;

export interface ImageInfo {
  project_type: string;
  spiders: string[];
  metadata: Record<string, { description: string }>;
  debug?: string;
}

export function imageInfo(config: SpidersConfig, debug: boolean): ImageInfo {
  const spiders = [...config.spiders.keys()].sort();
  const metadata: ImageInfo['metadata'] = {};
  for (const name of spiders) {
    const description = config.spiders.get(name)?.description;
    if (description !== undefined) metadata[name] = { description };
  }
  const info: ImageInfo = { project_type: config.projectType, spiders, metadata };
  if (debug) {
    // Only here, never in the normal answer: the deploy tool reads stdout as one line of JSON.
    const warnings = relativePathWarnings(config).map((warning) => `; warning: ${warning}`).join('');
    const source = config.path === '' ? 'no spiders config (no SPIDERS_CONFIG set, no ./spiders.json): script jobs only' : `spiders config ${config.path}`;
    info.debug = `shub-entrypoint ${VERSION}; Node ${process.version}; ${platform()} ${release()} ${arch()}; ${source}${warnings}`;
  }
  return info;
}

// Parses argv, loads the config and prints what `print` makes of it; resolves to the exit status.
async function withConfig(name: string, description: string, argv: readonly string[], withDebug: boolean,
  print: (config: SpidersConfig, debug: boolean) => string): Promise<number> {
  const program = new Command(name).description(description).version(VERSION, '-V, --version').exitOverride();
  if (withDebug) program.option('--debug', 'add a plain-text "debug" field: versions, OS and the config used', false);
  try {
    program.parse([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_CONFIG_ERROR;
    throw error;
  }
  let config: SpidersConfig;
  try {
    config = loadSpidersConfigIfAny(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    return EXIT_CONFIG_ERROR;
  }
  process.stdout.write(print(config, program.opts().debug === true));
  return 0;
}

export function shubImageInfo(argv: readonly string[]): Promise<number> {
  return withConfig('shub-image-info', 'Print this image\'s spiders as one line of JSON, for Scrapy Cloud\'s deploy tool.', argv, true,
    (config, debug) => JSON.stringify(imageInfo(config, debug)) + '\n');
}

// The names on stdout; relative paths in the config are warned about on stderr.
export function listSpiders(argv: readonly string[]): Promise<number> {
  return withConfig('list-spiders', 'Print this image\'s spider names, one per line.', argv, false, (config) => {
    for (const warning of relativePathWarnings(config)) process.stderr.write(`list-spiders: warning: ${warning}\n`);
    return [...config.spiders.keys()].sort().map((name) => name + '\n').join('');
  });
}
