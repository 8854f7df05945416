// start-crawl: what Scrapy Cloud runs in a custom image. It reads the job from the environment, finds the spider in
// spiders.json (or takes the job's own `job_cmd`), and runs it under the wrapper.

import { Command, CommanderError } from 'commander';
import { EXIT_WRAPPER_FAILURE } from '../process/exit-status.js';
import { keepYoungGenerationSmall } from '../process/young-generation.js';
import { isJsonObject, type JsonObject } from '../protocol/message.js';
import { reportFailure, runJob, type JobOptions } from '../run.js';
import { resolveSettings, SettingError } from '../settings.js';
import { VERSION } from '../version.js';
import { decodeJobData, JobDataError } from './job-data.js';
import { jobEnvironment } from './job-environment.js';
import { ConfigError, loadSpidersConfig, spiderArgv } from './spiders-config.js';

type Plan = Omit<JobOptions, 'pipePath' | 'stdout'>;

// What the job runs, from its data and the image's config; throws ConfigError or JobDataError when it cannot run.
export function planJob(env: NodeJS.ProcessEnv): Plan {
  const jobData = decodeJobData(env.SHUB_JOB_DATA);
  if (jobData.job_cmd !== undefined) return planScript(env, jobData);

  const spiderName = typeof jobData.spider === 'string' ? jobData.spider : env.SHUB_SPIDER;
  if (!spiderName) throw new JobDataError('the job names no spider: SHUB_JOB_DATA has no "spider" and SHUB_SPIDER is not set');
  const config = loadSpidersConfig(env);
  const spider = config.spiders.get(spiderName);
  if (!spider) {
    const known = [...config.spiders.keys()].sort().join(', ') || 'none';
    throw new ConfigError(`unknown spider "${spiderName}": ${config.path} defines ${known}`);
  }
  const spiderArgs = jobData.spider_args ?? {};
  if (!isJsonObject(spiderArgs)) throw new JobDataError('the job data\'s "spider_args" must be an object');
  const [command, ...args] = [...spider.command, ...spiderArgv(spider.args, spiderArgs)] as [string, ...string[]];
  const jobEnv = jobEnvironment(env, jobData, spider.env);
  return { command, args, settings: resolveSettings({}, jobEnv, spider.settings), env: jobEnv };
}

// A script job (`job_cmd`) runs its own command line; spiders.json is not needed for it.
function planScript(env: NodeJS.ProcessEnv, jobData: JsonObject): Plan {
  const jobCommand = jobData.job_cmd;
  // The platform gives an array; a single string is one command line, split at spaces as a user who wrote
  // "python3 crawl.py" meant (no shell quoting is read: give an array for arguments with spaces).
  const words = Array.isArray(jobCommand) ? jobCommand.map(String) : String(jobCommand).trim().split(/\s+/);
  if (words.length === 0 || words[0] === '') throw new JobDataError('the job data\'s "job_cmd" is empty');
  const [command, ...args] = words as [string, ...string[]];
  const jobEnv = jobEnvironment(env, jobData);
  // A script job has no spiders.json entry: the environment (the image's, or the job's SHUB_JOB_ENV) sets it up.
  return { command, args, settings: resolveSettings({}, jobEnv), env: jobEnv };
}

export async function startCrawl(argv: readonly string[]): Promise<number> {
  // Before anything else: the job takes all the command's output (young-generation.ts).
  keepYoungGenerationSmall();
  const program = new Command('start-crawl')
    .description('Run the Scrapy Cloud job described by SHUB_JOB_DATA: the spider\'s command from spiders.json, or the job\'s job_cmd.')
    .version(VERSION, '-V, --version')
    .exitOverride();
  try {
    program.parse([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_WRAPPER_FAILURE;
    throw error;
  }
  const pipePath = process.env.SHUB_FIFO_PATH || undefined;
  let plan: Plan;
  try {
    plan = planJob(process.env);
  } catch (error) {
    // Whatever went wrong, the platform hears of it: a crash here would leave the job with nothing on the pipe.
    const known = error instanceof ConfigError || error instanceof JobDataError || error instanceof SettingError;
    const reason = known ? error.message : `the job could not be planned (${String(error)}); please report this as a bug`;
    return reportFailure(pipePath, process.stdout, `start-crawl: ${reason}`);
  }
  return runJob({ ...plan, pipePath, stdout: process.stdout });
}
