// KEYBOARD and MENU as a portal keeps them (Bitrix\Im\Bot\Keyboard, ContextMenu): every button rebuilt with its
// defaults; invalid buttons dropped, COMMAND buttons kept only when a bot sends them (BOT_ID); nothing left is
// KEYBOARD_ERROR / MENU_ERROR.
import { asList, colorToken, decodeStructure, escapeHtml, HEX_COLOR, int, isDict, SAFE_LINK, str, type Dict } from './structures.ts';

const ACTIONS = ['PUT', 'SEND', 'COPY', 'CALL', 'DIALOG', 'LIVECHAT', 'HELP'];
const MENU_ACTIONS = ['PUT', 'SEND', 'COPY', 'CALL', 'DIALOG'];
const COLOR_KEYS = ['BG_COLOR', 'TEXT_COLOR', 'OFF_BG_COLOR', 'OFF_TEXT_COLOR'] as const;

/** The button's target (LINK, FUNCTION, APP_ID, ACTION or COMMAND), or undefined when it has none valid. */
function target(p: Dict, botId: number, actions: string[]): Dict | undefined {
  const linkText = str(p.LINK);
  if (linkText && SAFE_LINK.test(linkText)) return { LINK: escapeHtml(linkText) };
  if (str(p.FUNCTION)) return { FUNCTION: escapeHtml(str(p.FUNCTION)) };
  if (int(p.APP_ID) > 0 || (p.APP_ID !== undefined && str(p.APP_ID) !== '' && str(p.APP_ID) !== '0')) {
    const out: Dict = { APP_ID: int(p.APP_ID) };
    if (str(p.APP_PARAMS).trim() !== '') out.APP_PARAMS = str(p.APP_PARAMS);
    return out;
  }
  if (actions.includes(str(p.ACTION)) && str(p.ACTION_VALUE).trim() !== '') return { ACTION: str(p.ACTION), ACTION_VALUE: str(p.ACTION_VALUE) };
  const command = str(p.COMMAND);
  if (botId > 0 && command.trim() !== '') {
    return { COMMAND: command.startsWith('/') ? command.slice(1) : command, COMMAND_PARAMS: str(p.COMMAND_PARAMS).trim() !== '' ? str(p.COMMAND_PARAMS) : '' };
  }
  return undefined;
}

function button(p: Dict, botId: number, colors: Dict, vote: boolean): Dict | undefined {
  if (str(p.TEXT).trim() === '') return undefined;
  const to = target(p, botId, ACTIONS);
  if (!to) return undefined;
  const out: Dict = { BOT_ID: botId, TYPE: 'BUTTON', ...to, TEXT: str(p.TEXT).trim() };
  out.VOTE = vote ? 'Y' : 'N';
  out.BLOCK = str(p.BLOCK) === 'Y' ? 'Y' : 'N';
  out.WAIT = 'N';
  out.CONTEXT = ['MOBILE', 'DESKTOP'].includes(str(p.CONTEXT)) ? str(p.CONTEXT) : 'ALL';
  out.DISABLED = str(p.DISABLED) === 'Y' ? 'Y' : 'N';
  out.DISPLAY = ['BLOCK', 'LINE'].includes(str(p.DISPLAY)) ? str(p.DISPLAY) : 'BLOCK';
  if (int(p.WIDTH) > 0) out.WIDTH = int(p.WIDTH);
  for (const key of COLOR_KEYS) {
    if (HEX_COLOR.test(str(p[key]))) out[key] = str(p[key]);
    else if (colors[key] !== undefined) out[key] = colors[key];
    // The colour token sits right after the background colour, as the portal writes it.
    if (key === 'BG_COLOR') out.BG_COLOR_TOKEN = colorToken(p.BG_COLOR_TOKEN);
  }
  return out;
}

/** `{BUTTONS: [...], COLORS, VOTE}` or a bare list of buttons; JSON text is decoded first. */
export function normalizeKeyboard(input: unknown, botId: number): Dict[] | undefined {
  const value = decodeStructure(input);
  if (!isDict(value) && !Array.isArray(value)) return undefined;
  const kb: Dict = isDict(value) && value.BUTTONS !== undefined ? value : { BUTTONS: value };
  const colors: Dict = {};
  if (isDict(kb.COLORS)) for (const key of COLOR_KEYS) if (HEX_COLOR.test(str(kb.COLORS[key]))) colors[key] = str(kb.COLORS[key]);
  const vote = str(kb.VOTE) === 'Y';
  const out: Dict[] = [];
  for (const b of asList(kb.BUTTONS) ?? []) {
    if (!isDict(b)) continue;
    if (str(b.TYPE) === 'NEWLINE') out.push({ TYPE: 'NEWLINE' });
    else if (b.FUNCTION !== undefined) continue; // functions are for the portal's own modules only
    else {
      const built = button(b, botId, colors, vote);
      if (built) out.push(built);
    }
  }
  return out.length ? out : undefined;
}

/** `{ITEMS: [...]}` or a bare list of menu items. */
export function normalizeMenu(input: unknown, botId: number): Dict[] | undefined {
  const value = decodeStructure(input);
  if (!isDict(value) && !Array.isArray(value)) return undefined;
  const list = asList(isDict(value) && value.ITEMS !== undefined ? value.ITEMS : value) ?? [];
  const out: Dict[] = [];
  for (const p of list) {
    if (!isDict(p) || p.FUNCTION !== undefined || str(p.TEXT).trim() === '') continue;
    const to = target(p, botId, MENU_ACTIONS);
    if (!to) continue;
    out.push({
      BOT_ID: botId,
      ...to,
      TEXT: escapeHtml(str(p.TEXT).trim()),
      CONTEXT: ['MOBILE', 'DESKTOP'].includes(str(p.CONTEXT)) ? str(p.CONTEXT) : 'ALL',
      DISABLED: str(p.DISABLED) === 'Y' ? 'Y' : 'N',
    });
  }
  return out.length ? out : undefined;
}
