// Administration commands: users, webhooks, applications, tokens. They work on a live database.
import type { Command } from 'commander';
import { parseScopes, unknownScopes, KNOWN_SCOPES, SERVED_SCOPES } from '../app/scopes.ts';
import { intArg } from './main.ts';
import type { Store } from '../store/store.ts';
import { configFrom, print, withCredentials, withDbOptions, withRuntime, type DbOptions } from './options.ts';

/** A login link stays valid for a working day. */
const LOGIN_LINK_TTL = 24 * 3600;

function scopesOption(value: string | undefined, fallback: readonly string[]): string[] {
  const scopes = value === undefined ? [...fallback] : parseScopes(value);
  const unknown = unknownScopes(scopes);
  if (unknown.length) throw new Error(`Unknown scope(s): ${unknown.join(', ')}. Known: ${KNOWN_SCOPES.join(', ')}`);
  return scopes;
}

async function appByCode(store: Store, code: string) {
  const app = await store.auth.appByCode(code);
  if (!app) throw new Error(`No application with code ${code}`);
  return app;
}

export function registerAdminCommands(program: Command): void {
  const user = program.command('user').description('Manage users');
  withDbOptions(
    user
      .command('add')
      .description('Create a user and print it as JSON')
      .requiredOption('--name <name>', 'first name')
      .option('--last-name <name>', 'last name', '')
      .option('--email <email>', 'e-mail')
      .option('--work-position <text>', 'work position')
      .option('--gender <M|F>', 'gender')
      .option('--admin', 'make the user an administrator'),
  ).action(async (opts: DbOptions & { name: string; lastName: string; email?: string; workPosition?: string; gender?: string; admin?: boolean }) => {
    if (opts.gender !== undefined && !['M', 'F'].includes(opts.gender)) throw new Error('--gender must be M or F');
    await withRuntime(opts, async ({ app }) => {
      const row = await app.users.create({
        name: opts.name,
        lastName: opts.lastName,
        email: opts.email,
        workPosition: opts.workPosition,
        gender: opts.gender as 'M' | 'F' | undefined,
        isAdmin: opts.admin,
      });
      const { imUser } = await import('../present/users.ts');
      print(imUser(row, { zone: app.config.timezone, publicUrl: app.config.publicUrl }));
    });
  });

  const webhook = program.command('webhook').description('Manage inbound webhooks');
  withDbOptions(
    webhook
      .command('add')
      .description('Create an inbound webhook and print its base URL')
      .requiredOption('--user <id>', 'user the webhook acts as', intArg)
      .option('--scope <list>', `comma-separated scopes, any documented one (default: those b24im serves: ${SERVED_SCOPES.join(',')})`)
      .option('--port <n>', 'port used in the printed URL (default: $PORT or 8080)', intArg)
      .option('--json', 'print id, code, scopes and URL as JSON'),
  ).action(async (opts: DbOptions & { user: number; scope?: string; json?: boolean }) => {
    const scopes = scopesOption(opts.scope, SERVED_SCOPES);
    await withCredentials(opts, async ({ auth, config }) => {
      const hook = await auth.createWebhook(opts.user, scopes);
      const { restBaseUrl } = await import('../config.ts');
      const url = `${restBaseUrl(config)}/rest/${hook.userId}/${hook.code}/`;
      print(opts.json ? { ...hook, url } : url);
    });
  });

  withDbOptions(webhook.command('list').description('List inbound webhooks as JSON (their secret codes are not stored, so not shown)')).action(
    async (opts: DbOptions) => {
      await withCredentials(opts, async ({ auth }) => {
        print((await auth.webhooks()).map((h) => ({ id: h.id, user: h.user_id, scopes: h.scopes, title: h.title, created: h.date_create })));
      });
    },
  );

  withDbOptions(
    webhook.command('delete').description('Delete an inbound webhook; its URL stops working at once on every node').argument('<id>', 'webhook id', intArg),
  ).action(async (id: number, opts: DbOptions) => {
    await withCredentials(opts, async ({ auth }) => {
      await auth.deleteWebhook(id);
      print(`webhook ${id} deleted`);
    });
  });

  withDbOptions(
    program
      .command('ca')
      .description('Print the path of the local CA certificate (created on first use), for NODE_EXTRA_CA_CERTS'),
  ).action(async (opts: DbOptions) => {
    // Only the data directory matters here: no database is opened.
    const config = await configFrom(opts);
    const { ensureCa } = await import('../http/tls.ts');
    const ca = await ensureCa(config.dataDir);
    print(ca.certPath);
  });

  const appCmd = program.command('app').description('Manage local applications');
  withDbOptions(
    appCmd
      .command('add')
      .description('Register a local application and print its credentials as JSON')
      .requiredOption('--code <code>', 'application code')
      .option('--scope <list>', 'comma-separated scopes, any documented one (default: those b24im serves)')
      .option('--handler <url>', 'application handler URL (events, installation)'),
  ).action(async (opts: DbOptions & { code: string; scope?: string; handler?: string }) => {
    const scopes = scopesOption(opts.scope, SERVED_SCOPES);
    await withCredentials(opts, async ({ auth }) => {
      const { app: row, clientSecret } = await auth.createApp({ code: opts.code, scopes, handlerUrl: opts.handler });
      print({ id: row.id, code: row.code, client_id: row.client_id, client_secret: clientSecret, scope: row.scopes, handler: row.handler_url, application_token: row.application_token });
    });
  });

  const token = program.command('token').description('Manage OAuth-style access tokens');
  withDbOptions(
    token
      .command('add')
      .description('Issue an access token and refresh token for a user and print them as JSON')
      .requiredOption('--user <id>', 'user the token acts as', intArg)
      .option('--app <code>', 'application whose context (and scopes) the token carries')
      .option('--ttl <seconds>', 'lifetime of the access token (default 3600)', intArg),
  ).action(async (opts: DbOptions & { user: number; app?: string; ttl?: number }) => {
    await withCredentials(opts, async ({ auth, store, config }) => {
      const appRow = opts.app ? await appByCode(store, opts.app) : undefined;
      const issued = await auth.issueToken(opts.user, appRow, opts.ttl);
      const { restBaseUrl } = await import('../config.ts');
      print({
        ...issued,
        domain: new URL(restBaseUrl(config)).host,
        client_endpoint: `${restBaseUrl(config)}/rest/`,
        server_endpoint: `${restBaseUrl(config)}/rest/`,
        status: 'L',
      });
    });
  });

  withDbOptions(
    token
      .command('list')
      .description('List tokens that still work or can be refreshed, as JSON (the secrets themselves are not stored)')
      .option('--user <id>', 'only this user\'s', intArg)
      .option('--app <code>', 'only this application\'s'),
  ).action(async (opts: DbOptions & { user?: number; app?: string }) => {
    await withCredentials(opts, async ({ auth, store }) => {
      const appRow = opts.app ? await appByCode(store, opts.app) : undefined;
      const rows = await auth.liveTokens({ userId: opts.user, appId: appRow?.id });
      print(rows.map((t) => ({ id: t.id, user: t.user_id, app: t.app_id, scopes: t.scopes, expires: t.expires_at, refresh_expires: t.refresh_expires_at, created: t.date_create })));
    });
  });

  withDbOptions(
    token
      .command('revoke')
      .description('Revoke a token (or every token of a user or application); refused at once on every node')
      .argument('[id]', 'token id (from token list)', intArg)
      .option('--user <id>', 'every token of this user', intArg)
      .option('--app <code>', 'every token of this application'),
  ).action(async (id: number | undefined, opts: DbOptions & { user?: number; app?: string }) => {
    if ((id === undefined ? 0 : 1) + (opts.user === undefined ? 0 : 1) + (opts.app === undefined ? 0 : 1) !== 1) {
      throw new Error('token revoke: give exactly one of ID, --user or --app');
    }
    await withCredentials(opts, async ({ auth, store }) => {
      if (id !== undefined) {
        await auth.revokeToken(id);
        print(`token ${id} revoked`);
      } else if (opts.user !== undefined) {
        print(`${await auth.revokeUserTokens(opts.user)} token(s) revoked`);
      } else {
        print(`${await auth.revokeAppTokens((await appByCode(store, opts.app!)).id)} token(s) revoked`);
      }
    });
  });

  withDbOptions(
    program
      .command('login-link')
      .description('Print a URL that opens the web client signed in as a user (it carries a new access token)')
      .requiredOption('--user <id>', 'user the link signs in as', intArg)
      .option('--ttl <seconds>', 'lifetime of the token in the link (default 86400)', intArg),
  ).action(async (opts: DbOptions & { user: number; ttl?: number }) => {
    await withCredentials(opts, async ({ auth, config }) => {
      const issued = await auth.issueToken(opts.user, undefined, opts.ttl ?? LOGIN_LINK_TTL);
      // The token travels in the fragment, which browsers never send to the server, so it stays out of access logs.
      print(`${config.publicUrl}/#token=${issued.access_token}`);
    });
  });
}
