// app.info: what a portal tells an application (or a webhook) about itself.
import { Errors } from '../errors.ts';
import type { MethodDef } from './registry.ts';

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
          VERSION: 1,
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
];
