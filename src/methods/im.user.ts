// im.user.* methods.
import { Errors } from '../errors.ts';
import { imUser } from '../present/users.ts';
import { presentOptions } from './present-options.ts';
import type { MethodDef } from './registry.ts';

export const imUserMethods: MethodDef[] = [
  {
    name: 'im.user.get',
    scope: 'im',
    params: ['ID', 'AVATAR_HR'],
    async handler({ app, auth, params }) {
      const id = params.has('ID') ? params.int('ID') ?? 0 : auth.user.id;
      if (id <= 0) throw Errors.method('ID_EMPTY', 'User ID can\'t be empty');
      const user = await app.store.users.get(id);
      if (!user) throw Errors.method('USER_NOT_EXISTS', 'User not found');
      return imUser(user, presentOptions(app));
    },
  },
];
