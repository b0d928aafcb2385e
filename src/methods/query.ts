// PHP-style query strings (FIELDS[TITLE]=x, USERS[]=1, ATTACH[0][MESSAGE]=..), shared by http/ and batch.
import type { IParseOptions } from 'qs';

export const MAX_PARAM_DEPTH = 8;
export const MAX_PARAM_COUNT = 2000;

export const QS_OPTIONS: IParseOptions & { decoder?: never } = {
  depth: MAX_PARAM_DEPTH,
  parameterLimit: MAX_PARAM_COUNT,
  arrayLimit: MAX_PARAM_COUNT,
  allowPrototypes: false,
  plainObjects: true,
  strictDepth: false,
};
