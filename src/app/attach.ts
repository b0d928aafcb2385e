// ATTACH as a portal keeps it: the rich blocks of a message, validated and rebuilt on input
// (CIMMessageParamAttach::GetAttachByJson): {ID, BLOCKS, DESCRIPTION, COLOR, COLOR_TOKEN}. What is not valid is
// dropped; nothing left answers ATTACH_ERROR.
import { colorFor } from './colors.ts';
import { asList, colorToken, decodeStructure, HEX_COLOR, int, isAssoc, isDict, oneLine, SAFE_LINK, str, type Dict } from './structures.ts';

export interface Attach {
  ID: number;
  BLOCKS: Dict[];
  DESCRIPTION: string;
  COLOR?: string;
  COLOR_TOKEN: string;
}

/** One item or a list of them, as the portal accepts both for USER, LINK, RICH_LINK, IMAGE and FILE. */
function items(v: unknown): unknown[] {
  if (isAssoc(v)) return [v];
  return asList(v) ?? [];
}

const has = (d: Dict, key: string) => d[key] !== undefined && d[key] !== null;
const link = (v: unknown) => (SAFE_LINK.test(str(v)) ? str(v) : undefined);

function userItem(p: Dict, avatarType?: string): Dict | undefined {
  if (str(p.NAME).trim() === '') return undefined;
  const add: Dict = { NAME: oneLine(str(p.NAME)), AVATAR_TYPE: 'USER' };
  if (has(p, 'NETWORK_ID')) add.NETWORK_ID = str(p.NETWORK_ID).slice(0, 1) + int(str(p.NETWORK_ID).slice(1));
  else if (int(p.USER_ID) > 0) add.USER_ID = int(p.USER_ID);
  else if (int(p.CHAT_ID) > 0) {
    add.CHAT_ID = int(p.CHAT_ID);
    add.AVATAR_TYPE = 'CHAT';
  } else if (int(p.BOT_ID) > 0) {
    add.BOT_ID = int(p.BOT_ID);
    add.AVATAR_TYPE = 'BOT';
  } else if (link(p.LINK)) add.LINK = link(p.LINK);
  if (link(p.AVATAR)) add.AVATAR = link(p.AVATAR);
  const type = avatarType ?? str(p.AVATAR_TYPE);
  if (['CHAT', 'USER', 'BOT'].includes(type)) add.AVATAR_TYPE = type;
  return add;
}

function linkItem(p: Dict, rich: boolean): Dict | undefined {
  const add: Dict = {};
  if (has(p, 'NETWORK_ID') && has(p, 'NAME')) add.NETWORK_ID = str(p.NETWORK_ID).slice(0, 1) + int(str(p.NETWORK_ID).slice(1));
  else if (int(p.USER_ID) > 0 && has(p, 'NAME')) add.USER_ID = int(p.USER_ID);
  else if (int(p.CHAT_ID) > 0 && has(p, 'NAME')) add.CHAT_ID = int(p.CHAT_ID);
  else if (!link(p.LINK)) return undefined;
  if (has(p, 'NAME')) add.NAME = oneLine(str(p.NAME).trim());
  if (has(p, 'LINK')) add.LINK = str(p.LINK);
  if (has(p, 'DESC')) add.DESC = rich ? oneLine(str(p.DESC).trim()) : str(p.DESC);
  if (has(p, 'HTML')) add.HTML = rich ? oneLine(str(p.HTML).trim()) : str(p.HTML);
  if (link(p.PREVIEW) && (rich || !has(p, 'HTML'))) {
    add.PREVIEW = link(p.PREVIEW);
    if (rich) {
      const size = isDict(p.PREVIEW_SIZE) ? p.PREVIEW_SIZE : {};
      add.PREVIEW_SIZE = { HEIGHT: int(size.HEIGHT), WIDTH: int(size.WIDTH) };
    } else {
      if (int(p.WIDTH) > 0) add.WIDTH = int(p.WIDTH);
      if (int(p.HEIGHT) > 0) add.HEIGHT = int(p.HEIGHT);
    }
  } else if (rich && link(p.EXTRA_IMAGE)) add.EXTRA_IMAGE = link(p.EXTRA_IMAGE);
  return add;
}

const GRID_DISPLAY: Record<string, string> = { BLOCK: 'BLOCK', LINE: 'LINE', CARD: 'LINE', ROW: 'ROW', COLUMN: 'ROW', TABLE: 'TABLE' };

function gridItem(g: Dict): Dict | undefined {
  const display = GRID_DISPLAY[str(g.DISPLAY)] ?? 'BLOCK';
  if (str(g.DISPLAY) !== 'LINE' && str(g.NAME).trim() === '' && str(g.VALUE).trim() === '') return undefined;
  const out: Dict = { DISPLAY: display, NAME: oneLine(str(g.NAME).trim()), VALUE: str(g.VALUE).trim().replaceAll('#BR#', '[BR]') };
  if (HEX_COLOR.test(str(g.COLOR))) out.COLOR = str(g.COLOR);
  for (const key of ['WIDTH', 'HEIGHT', 'USER_ID', 'CHAT_ID']) if (int(g[key]) > 0) out[key] = int(g[key]);
  if (link(g.LINK)) out.LINK = link(g.LINK);
  out.COLOR_TOKEN = colorToken(g.COLOR_TOKEN);
  return out;
}

function imageItem(p: Dict): Dict | undefined {
  if (!link(p.LINK)) return undefined;
  const out: Dict = {};
  if (str(p.NAME).trim() !== '') out.NAME = str(p.NAME).trim();
  out.LINK = str(p.LINK);
  if (int(p.WIDTH) > 0) out.WIDTH = int(p.WIDTH);
  if (int(p.HEIGHT) > 0) out.HEIGHT = int(p.HEIGHT);
  if (link(p.PREVIEW)) out.PREVIEW = link(p.PREVIEW);
  return out;
}

function fileItem(p: Dict): Dict | undefined {
  if (!link(p.LINK)) return undefined;
  const out: Dict = { LINK: str(p.LINK) };
  if (str(p.NAME).trim() !== '') out.NAME = oneLine(str(p.NAME).trim());
  if (int(p.SIZE) > 0) out.SIZE = int(p.SIZE);
  return out;
}

/** Each block's rebuilt form, or undefined when the block holds nothing valid. */
function block(data: Dict, attach: Attach): Dict | Dict[] | undefined {
  const many = (key: string, build: (p: Dict) => Dict | undefined) => {
    const list = items(data[key]).filter(isDict).map(build).filter((x): x is Dict => !!x);
    // USER, LINK and RICH_LINK: one block per valid item, as the portal adds them one by one.
    return list.map((item) => ({ [key]: [item] }));
  };
  if (has(data, 'USER')) return many('USER', (p) => userItem(p));
  if (has(data, 'LINK')) return many('LINK', (p) => linkItem(p, false));
  if (has(data, 'RICH_LINK')) return many('RICH_LINK', (p) => linkItem(p, true));
  if (has(data, 'MESSAGE')) {
    const m = data.MESSAGE;
    const asObject = isDict(m) && has(m, 'TEXT');
    const text = (asObject ? str(m.TEXT) : str(m)).trim().replaceAll('#BR#', '[BR]');
    if (text === '') return undefined;
    if (asObject && str(m.AS_DESCRIPTION) === 'Y') attach.DESCRIPTION = text;
    return { MESSAGE: text };
  }
  if (has(data, 'GRID')) {
    const grid = (asList(data.GRID) ?? []).filter(isDict).map(gridItem).filter((x): x is Dict => !!x);
    return grid.length ? { GRID: grid } : undefined;
  }
  if (has(data, 'IMAGE')) {
    const list = items(data.IMAGE).filter(isDict).map(imageItem).filter((x): x is Dict => !!x);
    return list.length ? { IMAGE: list } : undefined;
  }
  if (has(data, 'FILE')) {
    const list = items(data.FILE).filter(isDict).map(fileItem).filter((x): x is Dict => !!x);
    return list.length ? { FILE: list } : undefined;
  }
  if (has(data, 'DELIMITER')) {
    const d = isDict(data.DELIMITER) ? data.DELIMITER : {};
    const out: Dict = { SIZE: int(d.SIZE) > 0 ? int(d.SIZE) : 200 };
    if (HEX_COLOR.test(str(d.COLOR))) out.COLOR = str(d.COLOR);
    return { DELIMITER: out };
  }
  return undefined;
}

/**
 * Rebuilds an ATTACH value (JSON text, `{BLOCKS, COLOR, DESCRIPTION, COLOR_TOKEN}` or a bare list of blocks);
 * undefined when nothing valid is left. `id` is the attach's ID (the portal uses the current unix time).
 */
export function normalizeAttach(input: unknown, id: number): Attach | undefined {
  const value = decodeStructure(input);
  if (!isDict(value) && !Array.isArray(value)) return undefined;
  let blocks: unknown[];
  let color = 'CHAT';
  let description = '';
  let token: unknown;
  if (isDict(value) && has(value, 'BLOCKS')) {
    blocks = asList(value.BLOCKS) ?? (isDict(value.BLOCKS) ? [value.BLOCKS] : []);
    if (has(value, 'COLOR')) color = str(value.COLOR);
    if (has(value, 'DESCRIPTION')) description = str(value.DESCRIPTION);
    token = value.COLOR_TOKEN;
  } else {
    blocks = asList(value) ?? [value];
  }
  // A portal colours an attach without its own colour at random from its palette; b24im picks by ID.
  const attach: Attach = { ID: id, BLOCKS: [], DESCRIPTION: '', COLOR: colorFor(id), COLOR_TOKEN: 'base' };
  if (color === 'TRANSPARENT') attach.COLOR = 'transparent';
  else if (color !== 'CHAT' && HEX_COLOR.test(color)) attach.COLOR = color;
  attach.COLOR_TOKEN = colorToken(token);
  attach.DESCRIPTION = oneLine(description).trim();
  for (const data of blocks) {
    if (!isDict(data)) continue;
    const built = block(data, attach);
    if (Array.isArray(built)) attach.BLOCKS.push(...built);
    else if (built) attach.BLOCKS.push(built);
  }
  return attach.BLOCKS.length ? attach : undefined;
}
