// A command line fit for the job's log: the values of arguments whose names say they are secret are masked, since
// the log is visible to everyone with access to the project.

const MASK = '***';

// One word of a name (`api`, `key` in `api_key`, `apiKey`, `--api-key`) that marks its value as secret.
const SECRET_WORD = /^(\w*key|\w*token|\w*secret|\w*password|passwd|pwd|auth|authorization|authentication|credentials?)$/;

function isSecretName(name: string): boolean {
  return name.split(/[^a-zA-Z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).some((word) => SECRET_WORD.test(word.toLowerCase()));
}

// Masks `name=value`, `--name=value` (so `-a name=value` too) and the word after `--name` / `-name`.
export function maskSecrets(argv: readonly string[]): string[] {
  const masked: string[] = [];
  let maskNext = false;
  for (const word of argv) {
    if (maskNext) {
      masked.push(MASK);
      maskNext = false;
      continue;
    }
    const equals = word.indexOf('=');
    if (equals > 0 && isSecretName(word.slice(0, equals))) {
      masked.push(`${word.slice(0, equals + 1)}${MASK}`);
      continue;
    }
    if (equals === -1 && /^--?[a-zA-Z]/.test(word) && isSecretName(word)) maskNext = true;
    masked.push(word);
  }
  return masked;
}
