import { describe, expect, it } from 'vitest';
import { maskSecrets } from '../../src/process/mask-secrets.js';

describe('maskSecrets', () => {
  it.each([
    [['api_key=abc'], ['api_key=***']],
    [['-a', 'apiKey=abc'], ['-a', 'apiKey=***']],
    [['--password', 'hunter2', 'next'], ['--password', '***', 'next']],
    [['--access-token=t0k'], ['--access-token=***']],
    [['-s', 'AUTH=x', 'X-Auth-Token=y'], ['-s', 'AUTH=***', 'X-Auth-Token=***']],
    [['client_secret=s', 'db_passwd=p'], ['client_secret=***', 'db_passwd=***']],
    [['--secret'], ['--secret']],
    // Names that only contain a secret-sounding word stay as they are.
    [['author=Tolkien', 'keyword=books', '--tokenizer', 'basic'], ['author=Tolkien', 'keyword=books', '--tokenizer', 'basic']],
    [['scrapy', 'crawl', 'books', '-a', 'page=2'], ['scrapy', 'crawl', 'books', '-a', 'page=2']],
  ])('%j → %j', (argv, masked) => {
    expect(maskSecrets(argv)).toEqual(masked);
  });
});
