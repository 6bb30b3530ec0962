import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ty-config-'));
}

describe('config file', () => {
  it('is optional at its default place', async () => {
    const home = tmp();
    await expect(loadConfig(undefined, {}, home)).resolves.toEqual({ config: {}, path: null });
  });

  it('must exist when named', async () => {
    const home = tmp();
    await expect(loadConfig(join(home, 'nope.json'), {}, home)).rejects.toThrow(ConfigError);
    await expect(loadConfig(undefined, { TOKENYIELD_CONFIG: join(home, 'nope.json') }, home)).rejects.toThrow(
      /Cannot read/,
    );
  });

  it('names the file and the field that is wrong', async () => {
    const dir = tmp();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "pricing": ');
    await expect(loadConfig(bad, {}, dir)).rejects.toThrow(/not valid JSON/);
    writeFileSync(bad, JSON.stringify({ identity: { person: 42 } }));
    await expect(loadConfig(bad, {}, dir)).rejects.toThrow(/identity\.person/);
    writeFileSync(bad, JSON.stringify({ colour: 'blue' }));
    await expect(loadConfig(bad, {}, dir)).rejects.toThrow(/invalid/);
  });

  it('reads identity and pricing', async () => {
    const dir = tmp();
    const path = join(dir, 'config.json');
    writeFileSync(
      path,
      JSON.stringify({
        identity: { person: 'jane@acme.example' },
        pricing: { overrides: { 'x-model': { input: 1, output: 2 } } },
      }),
    );
    const { config } = await loadConfig(path, {}, dir);
    expect(config.identity?.person).toBe('jane@acme.example');
    expect(config.pricing?.overrides?.['x-model']).toMatchObject({ input: 1, output: 2 });
  });
});
