import { describe, expect, it } from 'vitest';
import { createRepoResolver, repoName } from './repo-paths.js';

describe('createRepoResolver', () => {
  const repos = ['acme/api', 'acme/web', 'labs/api', 'tools'];

  it('maps a cwd by the longest configured path prefix', () => {
    const resolve = createRepoResolver(
      repos,
      new Map([
        ['/home/alice/src', 'acme/web'],
        ['/home/alice/src/mono/services/api/', 'acme/api'],
      ]),
    );
    expect(resolve('/home/alice/src/mono/services/api/pkg')).toEqual(['acme/api']);
    expect(resolve('/home/alice/src/mono/other')).toEqual(['acme/web']);
    // A sibling that only shares a string prefix is not inside the mapped directory.
    expect(resolve('/home/alice/srcx')).toEqual([]);
  });

  it('falls back to the basename, listing every repository with that name', () => {
    const resolve = createRepoResolver(repos);
    expect(resolve('/work/API')).toEqual(['acme/api', 'labs/api']);
    expect(resolve('C:\\Users\\bob\\web\\')).toEqual(['acme/web']);
    expect(resolve('/work/tools')).toEqual(['tools']);
    expect(resolve('/work/api/src')).toEqual([]);
    expect(resolve(null)).toEqual([]);
  });

  it('takes the name part after the owner', () => {
    expect(repoName('acme/Api')).toBe('api');
    expect(repoName('tools')).toBe('tools');
  });
});
