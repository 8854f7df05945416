// start-crawl: what Scrapy Cloud runs in a custom image. It reads the job from the environment, finds the spider in
// spiders.json (or takes the job's own `job_cmd`), and runs it under the wrapper.

import { Command, CommanderError } from 'commander';
import { DEFAULT_KILL_AFTER_SECONDS, DEFAULT_STATS_INTERVAL_SECONDS } from '../defaults.js';
import { EXIT_WRAPPER_FAILURE } from '../process/exit-status.js';
import { isJsonObject, type JsonObject } from '../protocol/message.js';
import { reportFailure, runJob, type JobOptions } from '../run.js';
import { VERSION } from '../version.js';
import { decodeJobData, JobDataError } from './job-data.js';
import { jobEnvironment } from './job-environment.js';
import { ConfigError, loadSpidersConfig, spiderArgv, type SpiderConfig } from './spiders-config.js';

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
  return { command, args, ...wrapperOptions(spider), env: jobEnvironment(env, jobData, spider.env) };
}

// A script job (`job_cmd`) runs its own command line; spiders.json is not needed for it.
function planScript(env: NodeJS.ProcessEnv, jobData: JsonObject): Plan {
  const jobCommand = jobData.job_cmd;
  const words = Array.isArray(jobCommand) ? jobCommand.map(String) : [String(jobCommand)];
  if (words.length === 0 || words[0] === '') throw new JobDataError('the job data\'s "job_cmd" is empty');
  const [command, ...args] = words as [string, ...string[]];
  return { command, args, ...wrapperOptions({}), env: jobEnvironment(env, jobData) };
}

function wrapperOptions(spider: Partial<SpiderConfig>): Pick<JobOptions, 'items' | 'detectLevels' | 'killAfterMs' | 'statsIntervalMs'> {
  return {
    items: spider.items ?? true,
    detectLevels: spider.detectLevels ?? false,
    killAfterMs: (spider.killAfter ?? DEFAULT_KILL_AFTER_SECONDS) * 1000,
    statsIntervalMs: (spider.statsInterval ?? DEFAULT_STATS_INTERVAL_SECONDS) * 1000,
  };
}

export async function startCrawl(argv: readonly string[]): Promise<number> {
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
    if (!(error instanceof ConfigError || error instanceof JobDataError)) throw error;
    return reportFailure(pipePath, process.stdout, `start-crawl: ${error.message}`);
  }
  return runJob({ ...plan, pipePath, stdout: process.stdout });
}
