import { describe, expect, it } from 'vitest';
import { repoKey, repoKeyFromUrl } from './repo-key.js';

describe('repoKeyFromUrl', () => {
  it.each([
    ['https://github.com/acme/api.git', 'acme/api'],
    ['https://github.com/acme/api', 'acme/api'],
    ['https://github.com/acme/api/', 'acme/api'],
    ['https://x-access-token:abc@github.com/acme/api.git', 'acme/api'],
    ['http://git.internal:8080/acme/api.git', 'acme/api'],
    ['ssh://git@github.com/acme/api.git', 'acme/api'],
    ['ssh://git@github.com:22/acme/api', 'acme/api'],
    ['git+ssh://git@github.com/acme/api.git', 'acme/api'],
    ['git://github.com/acme/api.git', 'acme/api'],
    ['git@github.com:acme/api.git', 'acme/api'],
    ['git@github.com:acme/api', 'acme/api'],
    ['github.com:acme/api.git', 'acme/api'],
    ['git@gitlab.com:group/sub/api.git', 'group/sub/api'],
    ['/srv/git/api.git', null],
    ['../api', null],
    ['file:///srv/git/acme/api.git', null],
    ['C:\\repos\\api', null],
    ['https://github.com/api.git', null],
  ])('%s → %s', (url, expected) => {
    expect(repoKeyFromUrl(url)).toBe(expected);
  });
});

describe('repoKey', () => {
  it('falls back to the directory name, without .git for a bare repository', () => {
    expect(repoKey(null, '/home/dev/acme-api')).toBe('acme-api');
    expect(repoKey('/local/path/x.bundle', '/home/dev/acme-api')).toBe('acme-api');
    expect(repoKey(null, '/srv/git/api.git')).toBe('api');
    expect(repoKey('git@github.com:acme/api.git', '/home/dev/whatever')).toBe('acme/api');
  });
});
