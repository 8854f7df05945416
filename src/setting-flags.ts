// The settings of settings.ts as command-line flags, generated from the SETTINGS table, so the wrapper and `check`
// accept exactly the same flags and a new row in the table needs no edit here.

import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  defaultText, envName, flagName, parseSettingText, SettingError, SETTINGS, type SettingSpec, type WrapperSettings,
} from './settings.js';

// The settings given on the command line; those not given are undefined, so the environment can supply them.
export type GivenSettings = Partial<WrapperSettings>;

// Each setting as flags. A switch gets both forms, `--NAME` and `--no-NAME`, so the command line can override the
// environment either way; help shows the form that changes the default.
export function addSettingFlags(command: Command): Command {
  for (const spec of SETTINGS) {
    const flag = flagName(spec.name);
    const env = `(env ${envName(spec.name)})`;
    if (spec.kind === 'switch') {
      // `--NAME` first: commander gives a lone `--no-NAME` a default of true, which would hide the environment's value.
      const on = new Option(`--${flag}`, `${spec.help} ${env}`);
      const off = new Option(`--no-${flag}`, `${spec.help} ${env}`);
      command.addOption(spec.default ? on.hideHelp() : on).addOption(spec.default ? off : off.hideHelp());
    } else {
      command.addOption(new Option(`--${flag} <${spec.unit}>`, `${spec.help} (default: ${defaultText(spec)}, env ${envName(spec.name)})`)
        .argParser((text) => parseFlag(spec, text)));
    }
  }
  return command;
}

function parseFlag(spec: SettingSpec, text: string): boolean | number {
  try {
    return parseSettingText(spec, text, `--${flagName(spec.name)}`);
  } catch (error) {
    if (error instanceof SettingError) throw new InvalidArgumentError(error.message.replace(/^[^:]*: /, '') + '.');
    throw error;
  }
}

// The settings given on the command line as the SHUBENTRYPOINT_* variables a wrapper reads, for a job run in
// another process (`check` passes its flags to the job this way).
export function settingsAsEnvironment(given: GivenSettings): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const spec of SETTINGS) {
    const value = given[spec.name];
    if (value !== undefined) variables[envName(spec.name)] = String(value);
  }
  return variables;
}

// The first option given before `subcommand` (`shub-entrypoint --no-items check`), which shapes the wrapper's own job
// and so would be ignored by a subcommand that runs none, or runs its job with the options given after its name.
export function optionBefore(argv: readonly string[], subcommand: string): string | undefined {
  return argv.slice(2, argv.indexOf(subcommand)).find((word) => word.startsWith('-'));
}
