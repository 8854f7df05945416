// The environment a job's command sees, as the reference entrypoint prepares it, plus the job's settings and extra
// variables in a form any language can read.
//
//   SHUB_JOBKEY      PROJECT/SPIDER/JOB, from the job data's `key`
//   SHUB_JOBNAME     the job's name: `job_name`, else the spider, else the first word of `job_cmd`
//   SHUB_JOB_TAGS    the job's tags, comma-separated
//   JOB_SETTINGS     SHUB_SETTINGS merged into one JSON object: organization < project < spider < job settings
//   (each variable)  from the job data's `job_env` and from SHUB_JOB_ENV (a JSON object), values as strings

import { isJsonObject, type JsonObject } from '../protocol/message.js';
import { JobDataError } from './job-data.js';

export const MERGED_SETTINGS_ENV = 'JOB_SETTINGS';
const SETTINGS_LAYERS = ['organization_settings', 'project_settings', 'spider_settings', 'job_settings'];

export function jobName(jobData: JsonObject): string | undefined {
  if (typeof jobData.job_name === 'string') return jobData.job_name;
  if (typeof jobData.spider === 'string') return jobData.spider;
  return Array.isArray(jobData.job_cmd) ? String(jobData.job_cmd[0]) : undefined;
}

export function mergedSettings(raw: string | undefined): JsonObject {
  if (raw === undefined || raw.trim() === '') return {};
  let settings: unknown;
  try {
    settings = JSON.parse(raw);
  } catch (error) {
    throw new JobDataError(`SHUB_SETTINGS is not valid JSON: ${(error as Error).message}`);
  }
  if (!isJsonObject(settings)) throw new JobDataError('SHUB_SETTINGS must be a JSON object');
  const merged: JsonObject = {};
  for (const layer of SETTINGS_LAYERS) {
    const values = settings[layer];
    if (isJsonObject(values)) Object.assign(merged, values);
  }
  return merged;
}

function variablesFrom(value: unknown, what: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value)) throw new JobDataError(`${what} must be a JSON object of variable name → value`);
  const variables: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) variables[name] = typeof item === 'string' ? item : JSON.stringify(item);
  return variables;
}

export function jobEnvironment(env: NodeJS.ProcessEnv, jobData: JsonObject, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  let jobEnv: unknown;
  if (env.SHUB_JOB_ENV) {
    try {
      jobEnv = JSON.parse(env.SHUB_JOB_ENV);
    } catch (error) {
      throw new JobDataError(`SHUB_JOB_ENV is not valid JSON: ${(error as Error).message}`);
    }
  }
  const tags = Array.isArray(jobData.tags) ? jobData.tags.map(String).join(',') : '';
  return {
    ...env,
    ...extra,
    ...variablesFrom(jobData.job_env, 'the job data\'s "job_env"'),
    ...variablesFrom(jobEnv, 'SHUB_JOB_ENV'),
    SHUB_JOBKEY: typeof jobData.key === 'string' ? jobData.key : env.SHUB_JOBKEY ?? '',
    SHUB_JOBNAME: jobName(jobData) ?? env.SHUB_SPIDER ?? '',
    SHUB_JOB_TAGS: tags,
    [MERGED_SETTINGS_ENV]: JSON.stringify(mergedSettings(env.SHUB_SETTINGS)),
  };
}
