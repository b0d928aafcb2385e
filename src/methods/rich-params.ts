// ATTACH, KEYBOARD and MENU parameters: decoded, rebuilt as a portal rebuilds them, or refused with its errors.
import { normalizeAttach, type Attach } from '../app/attach.ts';
import { normalizeKeyboard, normalizeMenu } from '../app/keyboards.ts';
import { STRUCTURE_MAX_LENGTH } from '../app/limits.ts';
import type { Dict } from '../app/structures.ts';
import { Errors } from '../errors.ts';
import type { Params } from './params.ts';

type Kind = 'ATTACH' | 'KEYBOARD' | 'MENU';

/** The raw value; null when the parameter asks to remove the structure ("N" or empty); undefined when absent. */
function rawStructure(params: Params, name: Kind): unknown | null | undefined {
  if (!params.has(name)) return undefined;
  const raw = params.raw(name);
  if (raw === 'N' || raw === '' || raw === null) return null;
  const length = typeof raw === 'string' ? raw.length : JSON.stringify(raw).length;
  if (length > STRUCTURE_MAX_LENGTH) oversize(name);
  return raw;
}

function oversize(name: Kind): never {
  throw Errors.method(`${name}_OVERSIZE`, `You have exceeded the maximum allowable size of ${name.toLowerCase()}`);
}

function built<T>(name: Kind, value: T | undefined): T {
  if (value === undefined) throw Errors.method(`${name}_ERROR`, `Incorrect ${name.toLowerCase()} params`);
  if (JSON.stringify(value).length >= STRUCTURE_MAX_LENGTH) oversize(name);
  return value;
}

/** ATTACH as the list of attachments a message keeps (`[{ID, BLOCKS, ...}]`). */
export function attachParam(params: Params, now: number): Attach[] | null | undefined {
  const raw = rawStructure(params, 'ATTACH');
  if (raw === undefined || raw === null) return raw;
  return [built('ATTACH', normalizeAttach(raw, now))];
}

/** KEYBOARD buttons; COMMAND buttons need a bot (botId > 0). */
export function keyboardParam(params: Params, botId: number): Dict[] | null | undefined {
  const raw = rawStructure(params, 'KEYBOARD');
  if (raw === undefined || raw === null) return raw;
  return built('KEYBOARD', normalizeKeyboard(raw, botId));
}

export function menuParam(params: Params, botId: number): Dict[] | null | undefined {
  const raw = rawStructure(params, 'MENU');
  if (raw === undefined || raw === null) return raw;
  return built('MENU', normalizeMenu(raw, botId));
}
