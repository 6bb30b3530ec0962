import type { Command } from 'commander';
import {
  appendTokenFile,
  generateToken,
  hashToken,
  readTokenFile,
  revokeTokenFile,
  TOKEN_ROLES,
  type TokenRole,
} from '../../server/auth/tokens.js';
import { resolveServerSettings } from '../../server/settings.js';
import { type GlobalOptions, openContext, withGlobalOptions } from '../context.js';
import { CliError } from '../errors.js';

interface TokenCreateOptions {
  role: string;
  name: string;
  person?: string;
  team?: string[];
  json?: boolean;
}

async function tokensFileOf(cmd: Command): Promise<string> {
  const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
  return resolveServerSettings({
    config: ctx.config.server,
    env: process.env,
    home: ctx.home,
    dbPath: ctx.dbPath,
    flags: {},
    expand: ctx.expand,
  }).tokensFile;
}

export function registerToken(program: Command): void {
  const token = program.command('token').description('API tokens for the server (stored hashed)');
  withGlobalOptions(token.command('create'))
    .description('create a token, store its hash in the tokens file and print it once')
    .requiredOption('--role <role>', `one of ${TOKEN_ROLES.join(', ')}`)
    .requiredOption('--name <name>', 'what the token is for (a machine, a team’s collector, a person)')
    .option('--person <id>', 'the person an engineer or manager token belongs to (any alias)')
    .option('--team <team...>', 'teams a manager manages (or the team an ingest token sends for)')
    .option('--json', 'print JSON')
    .action(async (opts: TokenCreateOptions, cmd: Command) => {
      if (!TOKEN_ROLES.includes(opts.role as TokenRole))
        throw new CliError(`--role must be one of ${TOKEN_ROLES.join(', ')}`);
      const role = opts.role as TokenRole;
      if ((role === 'engineer' || role === 'manager') && !opts.person)
        throw new CliError(`--person is required for a ${role} token`);
      const tokensFile = await tokensFileOf(cmd);
      const secret = generateToken();
      const teams = opts.team?.flatMap((t) => t.split(',')).filter(Boolean);
      appendTokenFile(tokensFile, {
        name: opts.name,
        role,
        ...(opts.person ? { person: opts.person } : {}),
        ...(teams?.length ? { teams } : {}),
        hash: hashToken(secret),
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ name: opts.name, role, token: secret, tokensFile })}\n`);
        return;
      }
      process.stdout.write(
        `${secret}\n\nA ${role} token "${opts.name}", stored hashed in ${tokensFile}. It is shown only now.\n` +
          `A running \`tokenyield serve\` accepts it within a second.\n`,
      );
    });

  withGlobalOptions(token.command('list'))
    .description('list the tokens of the tokens file (names, roles, people, teams; never the tokens)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const tokensFile = await tokensFileOf(cmd);
      const rows = readTokenFile(tokensFile).map(({ hash: _hash, ...rest }) => rest);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ tokensFile, tokens: rows })}\n`);
        return;
      }
      if (rows.length === 0) {
        process.stdout.write(`No tokens in ${tokensFile}.\n`);
        return;
      }
      for (const t of rows)
        process.stdout.write(
          `${t.name}\t${t.role}${t.person ? `\t${t.person}` : ''}${t.teams ? `\tteams: ${t.teams.join(', ')}` : ''}\n`,
        );
    });

  withGlobalOptions(token.command('revoke'))
    .description('remove a token from the tokens file; a running server refuses it within a second')
    .argument('<name>', 'the name given at `token create`')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const tokensFile = await tokensFileOf(cmd);
      if (!revokeTokenFile(tokensFile, name))
        throw new CliError(`No token named "${name}" in ${tokensFile}.`);
      process.stdout.write(`Revoked "${name}".\n`);
    });
}
