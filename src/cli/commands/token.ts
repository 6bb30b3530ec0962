import type { Command } from 'commander';
import {
  appendTokenFile,
  generateToken,
  hashToken,
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
      const ctx = await openContext(cmd.optsWithGlobals<GlobalOptions>());
      const { tokensFile } = resolveServerSettings({
        config: ctx.config.server,
        env: process.env,
        home: ctx.home,
        dbPath: ctx.dbPath,
        flags: {},
        expand: ctx.expand,
      });
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
          `Restart \`tokenyield serve\` to load it.\n`,
      );
    });
}
