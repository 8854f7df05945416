// Where and as whom `check` runs a job, as Scrapy Cloud does: in a fresh empty directory that is its working
// directory and HOME, as user nobody. A relative path or a file only its owner can read then fails on this machine,
// with a hint, instead of on the platform after a deploy.

import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FifoOwner } from '../fifo/make-fifo.js';

// The user Scrapy Cloud runs jobs as.
export const JOB_USER_NAME = 'nobody';
// nobody's uid and gid on Debian and most distributions, for a machine whose /etc/passwd does not list it.
const NOBODY_ID = 65534;

// The user a job runs as, with the ids spawn needs.
export interface JobUser extends FifoOwner {
  name: string;
}

// One job's place: its directory, its user, and how to clean up after it.
export interface JobSandbox {
  directory: string;
  // Undefined: the job runs as the user running check.
  user: JobUser | undefined;
  remove(): void;
}

// nobody as /etc/passwd gives it.
function nobody(): JobUser {
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    // No passwd file: the usual ids.
  }
  const fields = passwd.split('\n').map((line) => line.split(':')).find((entry) => entry[0] === JOB_USER_NAME);
  const uid = Number(fields?.[2] ?? NOBODY_ID);
  const gid = Number(fields?.[3] ?? NOBODY_ID);
  return { name: JOB_USER_NAME, uid: Number.isInteger(uid) ? uid : NOBODY_ID, gid: Number.isInteger(gid) ? gid : NOBODY_ID };
}

// Only root can run a job as another user; `asMe` keeps root's own identity.
export function createJobSandbox(asMe: boolean): JobSandbox {
  const user = !asMe && process.getuid?.() === 0 ? nobody() : undefined;
  const directory = mkdtempSync(join(tmpdir(), 'shub-entrypoint-job-'));
  if (user) chownSync(directory, user.uid, user.gid);
  return { directory, user, remove: () => rmSync(directory, { recursive: true, force: true }) };
}
