import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ty-config-'));
}

describe('config file', () => {
  it('is optional at its default place', () => {
    const home = tmp();
    expect(loadConfig(undefined, {}, home)).toEqual({ config: {}, path: null });
  });

  it('must exist when named', () => {
    const home = tmp();
    expect(() => loadConfig(join(home, 'nope.json'), {}, home)).toThrow(ConfigError);
    expect(() => loadConfig(undefined, { TOKENYIELD_CONFIG: join(home, 'nope.json') }, home)).toThrow(
      /Cannot read/,
    );
  });

  it('names the file and the field that is wrong', () => {
    const dir = tmp();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "pricing": ');
    expect(() => loadConfig(bad, {}, dir)).toThrow(/not valid JSON/);
    writeFileSync(bad, JSON.stringify({ identity: { person: 42 } }));
    expect(() => loadConfig(bad, {}, dir)).toThrow(/identity\.person/);
    writeFileSync(bad, JSON.stringify({ colour: 'blue' }));
    expect(() => loadConfig(bad, {}, dir)).toThrow(/invalid/);
  });

  it('reads identity and pricing', () => {
    const dir = tmp();
    const path = join(dir, 'config.json');
    writeFileSync(
      path,
      JSON.stringify({
        identity: { person: 'jane@acme.example' },
        pricing: { overrides: { 'x-model': { input: 1, output: 2 } } },
      }),
    );
    const { config } = loadConfig(path, {}, dir);
    expect(config.identity?.person).toBe('jane@acme.example');
    expect(config.pricing?.overrides?.['x-model']).toMatchObject({ input: 1, output: 2 });
  });
});
