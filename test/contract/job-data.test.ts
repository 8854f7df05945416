import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeJobData } from '../../src/contract/job-data.js';
import { jobEnvironment, mergedSettings } from '../../src/contract/job-environment.js';
import { spiderArgv } from '../../src/contract/spiders-config.js';
import { tempDir } from '../helpers/fifo.js';

const DATA = { key: '1/2/3', spider: 'ключ', spider_args: { a: 1 } };
const json = JSON.stringify(DATA);

describe('decodeJobData', () => {
  it.each([
    ['raw JSON', json],
    ['raw JSON with surrounding whitespace', `  ${json}\n`],
    ['a data: URI, percent-encoded', `data:,${encodeURIComponent(json)}`],
    ['a data: URI with a media type and charset', `data:application/json;charset=utf-8,${encodeURIComponent(json)}`],
    ['a base64 data: URI', `data:;base64,${Buffer.from(json).toString('base64')}`],
    ['a base64 data: URI in latin1', `data:application/json;charset=iso-8859-1;base64,${Buffer.from('{"key":"é"}', 'latin1').toString('base64')}`],
  ])('reads %s', (_name, raw) => {
    const decoded = decodeJobData(raw);
    if (raw.includes('iso-8859-1')) expect(decoded).toEqual({ key: 'é' });
    else expect(decoded).toEqual(DATA);
  });

  it('reads an absolute path and a file:// URI', () => {
    const path = join(tempDir(), 'job data.json');
    writeFileSync(path, json);
    expect(decodeJobData(path)).toEqual(DATA);
    expect(decodeJobData(`file://${path.replaceAll(' ', '%20')}`)).toEqual(DATA);
  });

  it.each([
    [undefined, /SHUB_JOB_DATA is not set/],
    ['', /SHUB_JOB_DATA is not set/],
    ['{"a":', /SHUB_JOB_DATA is not valid JSON: [^;]*$/],
    ['jd.json', new RegExp(`SHUB_JOB_DATA is not valid JSON: .*; to name a file, give its absolute path \\(${process.cwd()}/jd\\.json\\) or a file:// URI$`)],
    ['[1]', /must be a JSON object, got an array/],
    ['"text"', /must be a JSON object, got string/],
    ['data:no-comma', /data: URI without a comma/],
    ['data:;charset=nope,{}', /unknown charset "nope"/],
    ['/nonexistent/job.json', /names the file \/nonexistent\/job.json, which cannot be read/],
  ])('refuses %j with a message that says what is wrong', (raw, message) => {
    expect(() => decodeJobData(raw)).toThrow(message);
  });
});

describe('spiderArgv', () => {
  it.each([
    [['--{name}={value}'], { b: 2, a: 'x y' }, ['--a=x y', '--b=2']],
    [['-a', '{name}={value}'], { zeta: true, alpha: null }, ['-a', 'alpha=null', '-a', 'zeta=true']],
    [['{value}'], { list: [1, 2], object: { k: 'v' } }, ['[1,2]', '{"k":"v"}']],
    [['--{name}', '{value}'], { tricky: '{name}' }, ['--tricky', '{name}']],
    [['--{name}={value}'], {}, []],
  ])('%j with %j gives %j', (template, args, expected) => {
    expect(spiderArgv(template, args)).toEqual(expected);
  });
});

describe('the job environment', () => {
  it('merges settings from organization to job, later layers winning', () => {
    expect(mergedSettings(JSON.stringify({
      organization_settings: { A: 1, B: 1, C: 1 }, project_settings: { B: 2, C: 2 }, spider_settings: { C: 3 },
      job_settings: { D: 4 }, enabled_addons: [{ x: 1 }],
    }))).toEqual({ A: 1, B: 2, C: 3, D: 4 });
    expect(mergedSettings(undefined)).toEqual({});
  });

  it('gives variables from job_env and SHUB_JOB_ENV as strings, and the job\'s key, name and tags', () => {
    const env = jobEnvironment({ SHUB_JOB_ENV: JSON.stringify({ N: 5, S: 's' }) }, { key: '1/2/3', job_cmd: ['run.sh'], tags: ['a', 'b'], job_env: { J: true } });
    expect(env).toMatchObject({ N: '5', S: 's', J: 'true', SHUB_JOBKEY: '1/2/3', SHUB_JOBNAME: 'run.sh', SHUB_JOB_TAGS: 'a,b', JOB_SETTINGS: '{}' });
    expect(() => jobEnvironment({ SHUB_JOB_ENV: '[' }, {})).toThrow(/SHUB_JOB_ENV is not valid JSON/);
    expect(() => jobEnvironment({}, { job_env: [1] })).toThrow(/"job_env" must be a JSON object/);
  });
});
