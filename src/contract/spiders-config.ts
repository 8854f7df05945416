// spiders.json: which spiders an image has and how each one runs. Read from $SPIDERS_CONFIG, else ./spiders.json,
// and validated when read, so a mistake is reported at deploy time (shub-image-info) instead of at crawl time.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isJsonObject, type JsonObject } from '../protocol/message.js';
import { parseSettingJson, SettingError, SETTINGS, type WrapperSettings } from '../settings.js';

export const CONFIG_ENV = 'SPIDERS_CONFIG';
export const DEFAULT_CONFIG_PATH = 'spiders.json';
export const DEFAULT_ARGS_TEMPLATE = ['--{name}={value}'];
const PROJECT_TYPES = ['other', 'scrapy', 'casperjs'];

// The deploy tool silently drops spider names that do not match this.
export const SPIDER_NAME = /^[a-z0-9][-._a-z0-9]+$/i;

export interface SpiderConfig {
  command: string[];
  args: string[];
  description?: string;
  env: Record<string, string>;
  // Wrapper settings for this spider (settings.ts); unset ones come from the environment or the defaults.
  settings: Partial<WrapperSettings>;
}

export interface SpidersConfig {
  path: string;
  projectType: string;
  spiders: Map<string, SpiderConfig>;
}

export class ConfigError extends Error {}

export function configPath(env: NodeJS.ProcessEnv): string {
  return resolve(env[CONFIG_ENV] || DEFAULT_CONFIG_PATH);
}

// The config, or, when none is named (no SPIDERS_CONFIG) and there is no ./spiders.json, one with no spiders: an
// image for script jobs only (job_cmd), which need none. A config that is named but missing is an error still.
export function loadSpidersConfigIfAny(env: NodeJS.ProcessEnv): SpidersConfig {
  if (!env[CONFIG_ENV] && !existsSync(configPath(env))) return { path: '', projectType: 'other', spiders: new Map() };
  return loadSpidersConfig(env);
}

export function loadSpidersConfig(env: NodeJS.ProcessEnv): SpidersConfig {
  const path = configPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const how = env[CONFIG_ENV] ? `${CONFIG_ENV}=${env[CONFIG_ENV]}` : `no ${CONFIG_ENV} set, so ./${DEFAULT_CONFIG_PATH}`;
    throw new ConfigError(`cannot read the spiders config ${path} (${how}): ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseSpidersConfig(value, path);
}

export function parseSpidersConfig(value: unknown, path: string): SpidersConfig {
  const fail = (what: string): never => {
    throw new ConfigError(`${path}: ${what}`);
  };
  if (!isJsonObject(value)) fail('expected a JSON object with "spiders"');
  const top = value as JsonObject;
  rejectUnknownKeys(top, ['project_type', 'spiders'], 'the top level', fail);
  const projectType = top.project_type ?? 'other';
  if (typeof projectType !== 'string' || !PROJECT_TYPES.includes(projectType)) {
    fail(`"project_type" must be one of ${PROJECT_TYPES.join(', ')}, got ${JSON.stringify(projectType)}`);
  }
  if (!isJsonObject(top.spiders)) fail('"spiders" must be an object of spider name → { "command": [...] }');
  const spiders = new Map<string, SpiderConfig>();
  for (const [name, spider] of Object.entries(top.spiders as JsonObject)) {
    if (!SPIDER_NAME.test(name)) {
      fail(`spider "${name}": the name must match ${SPIDER_NAME.source} (letters, digits, - . _; at least two ` +
        'characters), or Scrapy Cloud silently ignores it');
    }
    spiders.set(name, parseSpider(spider, (what) => fail(`spider "${name}": ${what}`)));
  }
  return { path, projectType: projectType as string, spiders };
}

function parseSpider(value: unknown, fail: (what: string) => never): SpiderConfig {
  if (!isJsonObject(value)) fail('expected an object with "command"');
  const spider = value as JsonObject;
  rejectUnknownKeys(spider, ['command', 'args', 'description', 'env', ...SETTINGS.map(({ name }) => name)], 'its settings', fail);
  if (!isStringArray(spider.command) || spider.command.length === 0 || spider.command[0] === '') {
    fail('"command" must be a non-empty array of strings, the program and its arguments (no shell is used)');
  }
  const args = spider.args ?? DEFAULT_ARGS_TEMPLATE;
  if (!isStringArray(args)) fail('"args" must be an array of strings such as ["--{name}={value}"]');
  if (spider.description !== undefined && typeof spider.description !== 'string') fail('"description" must be a string');
  const env = spider.env ?? {};
  if (!isJsonObject(env) || !Object.values(env).every((item) => typeof item === 'string')) {
    fail('"env" must be an object of variable name → string');
  }
  const settings: Record<string, boolean | number> = {};
  for (const spec of SETTINGS) {
    if (spider[spec.name] === undefined) continue;
    try {
      settings[spec.name] = parseSettingJson(spec, spider[spec.name], 'the setting');
    } catch (error) {
      if (!(error instanceof SettingError)) throw error;
      fail(error.message.replace(/^the setting: /, ''));
    }
  }
  return {
    command: spider.command as string[],
    args: args as string[],
    description: spider.description as string | undefined,
    env: env as Record<string, string>,
    settings: settings as Partial<WrapperSettings>,
  };
}

function rejectUnknownKeys(value: JsonObject, known: string[], where: string, fail: (what: string) => never): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail(`unknown key "${key}" in ${where} (known: ${known.join(', ')})`);
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

// The spider's arguments as argv words: each argument through the template, in name order, values as strings.
export function spiderArgv(template: readonly string[], spiderArgs: JsonObject): string[] {
  const words: string[] = [];
  for (const name of Object.keys(spiderArgs).sort()) {
    const raw = spiderArgs[name];
    const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
    // One pass over each word, so a value containing "{name}" is never substituted again.
    for (const word of template) words.push(word.replace(/\{(name|value)\}/g, (_match, key: string) => (key === 'name' ? name : value)));
  }
  return words;
}
