// The environment the command runs with: the wrapper's own, plus what makes its output arrive in time and whole.

import { existsSync } from 'node:fs';

// Python block-buffers stdout on a pipe: without this, a plain `print` arrives only when 8 KiB have piled up or the
// program exits, stamped with the wrong time, out of order with stderr, and lost if it is killed. A value the
// environment already has (even an empty one, which is how a user turns this off) is left alone.
export function commandEnvironment(env: NodeJS.ProcessEnv, fifoPath: string): NodeJS.ProcessEnv {
  const unbuffered = env.PYTHONUNBUFFERED === undefined ? { PYTHONUNBUFFERED: '1' } : {};
  return { ...env, ...unbuffered, ...utf8CharacterSet(env), SHUB_FIFO_PATH: fifoPath };
}

// A container's environment often names no locale, and a program then runs in the C locale, whose character set is
// ASCII: Java writes every other character as `?` (`title: ????? ? ???`), lost before the wrapper reads it. As Python
// does for itself (PEP 538), the command gets the character set of C.UTF-8 (LC_CTYPE alone: no language, no date
// formats, no sort order), when no locale variable is set and the system has that locale (else a C program's
// setlocale would fail, and some say so on stderr).
function utf8CharacterSet(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.LC_ALL || env.LC_CTYPE || env.LANG) return {};
  return UTF8_LOCALE_DIRECTORIES.some((directory) => existsSync(directory)) ? { LC_CTYPE: 'C.UTF-8' } : {};
}

// Where glibc keeps the locale (Debian, Ubuntu, Fedora and RHEL name it C.utf8).
const UTF8_LOCALE_DIRECTORIES = ['/usr/lib/locale/C.utf8', '/usr/lib/locale/C.UTF-8'];
