// PHP-style query strings (FIELDS[TITLE]=x, USERS[]=1, ATTACH[0][MESSAGE]=..), shared by http/ and batch,
// and the bounds on parameters a client can send in any encoding.
import qs, { type IParseOptions } from 'qs';
import { Errors } from '../errors.ts';

/** Brackets after a parameter name (a[1][2]...[8]); a JSON value may sit under at most MAX_PARAM_DEPTH + 1 keys. */
export const MAX_PARAM_DEPTH = 8;
/** name=value pairs in a query string or form body; scalar values (and empty containers) in a JSON body. */
export const MAX_PARAM_COUNT = 2000;

export const QS_OPTIONS: IParseOptions & { decoder?: never } = {
  depth: MAX_PARAM_DEPTH,
  parameterLimit: MAX_PARAM_COUNT + 1,
  arrayLimit: MAX_PARAM_COUNT,
  allowPrototypes: false,
  plainObjects: true,
  // Deeper keys are an error rather than a silently kept literal key.
  strictDepth: true,
};

export const tooManyParams = () => Errors.invalidRequest(`Too many parameters: at most ${MAX_PARAM_COUNT} are allowed`);
export const tooDeepParams = () => Errors.invalidRequest(`Parameters are nested too deeply: at most ${MAX_PARAM_DEPTH} levels are allowed`);

/** Parses a PHP-style query string within the bounds; exceeding one is 400 INVALID_REQUEST. */
export function parsePhpQuery(text: string): Record<string, unknown> {
  if (text === '') return {};
  let pairs = 0;
  for (const part of text.split('&')) if (part !== '' && ++pairs > MAX_PARAM_COUNT) throw tooManyParams();
  try {
    return qs.parse(text, QS_OPTIONS) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof RangeError) throw tooDeepParams();
    throw err;
  }
}

/** Checks a decoded JSON body against the same bounds (an explicit stack: deep input must not overflow ours). */
export function checkJsonBounds(root: unknown): void {
  let count = 0;
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value !== null && typeof value === 'object') {
      const children = Array.isArray(value) ? value : Object.values(value);
      if (children.length === 0 && depth > 0 && ++count > MAX_PARAM_COUNT) throw tooManyParams();
      if (children.length > 0 && depth > MAX_PARAM_DEPTH) throw tooDeepParams();
      for (const child of children) stack.push([child, depth + 1]);
    } else if (++count > MAX_PARAM_COUNT) {
      throw tooManyParams();
    }
  }
}
