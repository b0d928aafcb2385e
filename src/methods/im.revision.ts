// im.revision.get: the API revision whose behaviour b24im implements.
import type { MethodDef } from './registry.ts';

/** rest revision 30 added im.recent.list, the newest behaviour b24im implements. */
export const REVISION = { rest: 30, web: 130, mobile: 23, desktop: 6 };

export const imRevisionMethods: MethodDef[] = [
  {
    name: 'im.revision.get',
    scope: 'im',
    params: [],
    async handler() {
      return { ...REVISION, im_revision_mobile: REVISION.mobile };
    },
  },
];
