// app.info: what a portal tells an application (or a webhook) about itself.
import { Errors } from '../errors.ts';
import { requireApp } from '../app/apps.ts';
import type { AuthContext } from '../app/auth.ts';
import type { AppRow } from '../store/store.ts';
import type { Params } from './params.ts';
import type { MethodDef } from './registry.ts';

/** app.option.* and user.option.* need an application's token (the portal's AccessException otherwise). */
function appContext(auth: AuthContext): AppRow {
  if (!auth.app) throw Errors.method('AccessException', 'Application context required');
  return requireApp(auth.app);
}

function optionsParam(params: Params): Record<string, unknown> {
  const raw = params.structure('options') ?? params.structure('OPTIONS');
  if (!raw || Array.isArray(raw) || Object.keys(raw).length === 0) throw Errors.method('ArgumentNullException', 'options is empty');
  return raw as Record<string, unknown>;
}

/** One option's value, or every option as a map (an empty one as [], as PHP sends it). */
function optionAnswer(all: Record<string, unknown>, name: string | undefined): unknown {
  if (name !== undefined) return all[name] ?? null;
  return Object.keys(all).length ? all : [];
}

export const appMethods: MethodDef[] = [
  {
    name: 'app.info',
    scope: 'basic',
    params: [],
    async handler({ app, auth }) {
      // A self-hosted portal names its license by language, as CRestProvider::appInfo does without bitrix24.
      const license = `${app.config.language}_selfhosted`;
      if (auth.app) {
        return {
          ID: auth.app.id,
          CODE: auth.app.code,
          VERSION: auth.app.version,
          STATUS: 'L', // a local application
          INSTALLED: auth.app.installed === 1,
          PAYMENT_EXPIRED: 'N',
          DAYS: null,
          LANGUAGE_ID: app.config.language,
          LICENSE: license,
        };
      }
      if (auth.kind === 'webhook') return { SCOPE: [...auth.scopes].sort(), LICENSE: license };
      throw Errors.accessDenied('Access denied! Application context required');
    },
  },
  {
    name: 'app.option.get',
    scope: 'basic',
    params: ['option', 'OPTION'],
    async handler({ app, auth, params }) {
      const owner = appContext(auth);
      const name = params.string('option') ?? params.string('OPTION');
      return optionAnswer(await app.lifecycle.options(owner, 0, name), name);
    },
  },
  {
    name: 'app.option.set',
    scope: 'basic',
    params: ['options', 'OPTIONS'],
    async handler({ app, auth, params }) {
      const owner = appContext(auth);
      if (auth.user.is_admin !== 1) throw Errors.method('AccessException', 'Administrator authorization required');
      await app.lifecycle.setOptions(owner, 0, optionsParam(params));
      return true;
    },
  },
  {
    name: 'user.option.get',
    scope: 'basic',
    params: ['option', 'OPTION'],
    async handler({ app, auth, params }) {
      const owner = appContext(auth);
      const name = params.string('option') ?? params.string('OPTION');
      return optionAnswer(await app.lifecycle.options(owner, auth.user.id, name), name);
    },
  },
  {
    name: 'user.option.set',
    scope: 'basic',
    params: ['options', 'OPTIONS'],
    async handler({ app, auth, params }) {
      const owner = appContext(auth);
      await app.lifecycle.setOptions(owner, auth.user.id, optionsParam(params));
      return true;
    },
  },
];
