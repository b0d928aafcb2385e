// Writes docs/im.recent.get.md: the behaviour b24im implements, with request/response examples produced by running
// a real server on a temporary database and building a small scenario through the REST API.
//   node --import tsx scripts/gen-recent-docs.ts [output.md]
import fs from 'node:fs';
import path from 'node:path';
import { ok, rest, startServer, ROOT } from '../test/helpers/server.ts';

const out = process.argv[2] ?? path.join(ROOT, 'docs/im.recent.get.md');

interface Example {
  title: string;
  method: string;
  params: Record<string, unknown>;
  status: number;
  body: unknown;
}

/** The `time` block varies from run to run and says nothing about the method: shown once, then elided. */
function show(body: any, keepTime: boolean): string {
  const copy = { ...body };
  if (!keepTime && copy.time) copy.time = '…';
  return JSON.stringify(copy, null, 2);
}

function block(e: Example, keepTime = false): string {
  const curl = `curl -s -H 'Content-Type: application/json' -d '${JSON.stringify(e.params)}' "$HOOK/${e.method}"`;
  return [`#### ${e.title}`, '', '```sh', curl, '```', '', `HTTP ${e.status}`, '', '```json', show(e.body, keepTime), '```', ''].join('\n');
}

async function main(): Promise<void> {
  const srv = await startServer({ env: { B24IM_TIMEZONE: 'Europe/Berlin', B24IM_LANGUAGE: 'en' } });
  const strict = await startServer({ args: ['--strict'] });
  try {
    const anna = await srv.addUser('Anna', 'Smirnova', ['--work-position', 'Engineer', '--gender', 'F']);
    const boris = await srv.addUser('Boris', 'Ivanov', ['--gender', 'M']);
    const clara = await srv.addUser('Clara', 'Lind');
    const hA = await srv.webhook(anna.id);
    const hB = await srv.webhook(boris.id);
    const hC = await srv.webhook(clara.id);
    const examples: Example[] = [];
    const record = async (title: string, hook: string, method: string, params: Record<string, unknown> = {}) => {
      const r = await rest(hook, method, params);
      const e = { title, method, params, status: r.status, body: r.body };
      examples.push(e);
      return e;
    };

    // The scenario: a dialog, a group chat with an attachment, a system message, an empty chat.
    await ok(hB, 'im.message.add', { DIALOG_ID: anna.id, MESSAGE: 'Hi Anna,\nthe [b]report[/b] is ready: [url=https://example.com/r]link[/url]' });
    const team = await ok(hA, 'im.chat.add', { TITLE: 'Release team', USERS: [boris.id, clara.id] });
    await ok(hC, 'im.message.add', { DIALOG_ID: `chat${team}`, MESSAGE: `[USER=${anna.id}][/USER] totals attached`, ATTACH: [{ MESSAGE: 'Q3: 42' }] });
    const open = await ok(hB, 'im.chat.add', { TYPE: 'OPEN', TITLE: 'Coffee', USERS: [anna.id] });
    await ok(hA, 'im.chat.add', { TITLE: 'Nothing said yet' });

    const full = await record('The whole list (no parameters)', hA, 'im.recent.get');
    const dialogsOnly = await record('Only one-to-one dialogs', hA, 'im.recent.get', { SKIP_CHAT: 'Y', SKIP_OPENLINES: 'Y' });
    const noCounters = await record('Without counters', hA, 'im.recent.get', { SKIP_DIALOG: 'Y', WITH_COUNTERS: 'N' });
    const newest = (full.body as any).result[0].date_update as string;
    const delta = await record('Changes since a date (LAST_SYNC_DATE, at or after it)', hA, 'im.recent.get', { LAST_SYNC_DATE: newest });
    const pin = await record('Pin an item', hA, 'im.recent.pin', { DIALOG_ID: `chat${team}` });
    const afterPin = await record('The list after pinning: pinned first', hA, 'im.recent.get', { SKIP_DIALOG: 'Y', WITH_COUNTERS: 'N' });
    const unread = await record('Mark a dialog unread (the counter stays as it is)', hA, 'im.recent.unread', { DIALOG_ID: boris.id, ACTION: 'Y' });
    const noDialog = await record('Unread mark on a dialog that does not exist', hA, 'im.recent.unread', { DIALOG_ID: 9999 });
    const hide = await record('Hide an item', hA, 'im.recent.hide', { DIALOG_ID: `chat${open}` });
    const afterHide = await record('Hidden items are gone from the list and from every delta', hA, 'im.recent.get', { SKIP_DIALOG: 'Y', WITH_COUNTERS: 'N' });
    const page = await record('im.recent.list, first page of one', hA, 'im.recent.list', { LIMIT: 1 });
    const page2 = await record('im.recent.list, next page (start = next)', hA, 'im.recent.list', { LIMIT: 1, start: (page.body as any).next });
    const revision = await record('im.revision.get', hA, 'im.revision.get');
    const empty = await record('DIALOG_ID missing', hA, 'im.recent.pin', {});
    const sHook = await strict.webhook(1);
    const strictBad = await record('Strict mode: a bad flag value', sHook, 'im.recent.get', { SKIP_CHAT: 'yes' });
    const strictDate = await record('Strict mode: an unparseable date', sHook, 'im.recent.get', { LAST_UPDATE: '2019-07-11 10:45' });
    const lenientBad = await record('Lenient mode (default): the same bad flag means N, the bad date is dropped', hA, 'im.recent.get', {
      SKIP_CHAT: 'yes',
      LAST_UPDATE: '2019-07-11 10:45',
      WITH_COUNTERS: 'N',
      SKIP_DIALOG: 'Y',
    });

    const doc = [
      '# im.recent.get and the im.recent family',
      '',
      '<!-- Generated by scripts/gen-recent-docs.ts from a running server: do not edit by hand. -->',
      '',
      'The recent list is a user\'s sidebar: one item per one-to-one dialog or chat, with its last message, the',
      'unread counter and the user\'s own marks (pinned, unread). b24im serves it as a Bitrix24 portal does, in the',
      'typed modern shape that is also a superset of the old documentation page (`DECISIONS.md` 1–11).',
      'Every example below was produced by running the server (portal zone Europe/Berlin, language en) and',
      'calling it through a webhook; `$HOOK` is such a webhook URL.',
      '',
      '## im.recent.get',
      '',
      '| parameter | values | behaviour |',
      '|---|---|---|',
      '| `SKIP_OPENLINES` | `Y`/`N` | drops open-line items (chat type `L`) |',
      '| `SKIP_CHAT` | `Y`/`N` | drops group chats (`C` closed, `O` open) |',
      '| `SKIP_DIALOG` | `Y`/`N` | drops one-to-one dialogs (`P`) |',
      '| `ONLY_OPENLINES` | `Y`/`N` | only open-line items; the `SKIP_*` flags are then ignored, and so is the 30-day window |',
      '| `LAST_UPDATE` | ATOM date | items whose `date_update` is **at or after** the date; no clamp. Wins over `LAST_SYNC_DATE` |',
      '| `LAST_SYNC_DATE` | ATOM date | the same, but a date older than 7 days is raised to now minus 7 days |',
      '| `WITH_COUNTERS` | `Y`/`N` | undocumented; `N` omits the `counter` key from every item |',
      '',
      '- Names are case-insensitive (`skip_chat` works); values are not: a flag is on only when it is exactly `Y`.',
      '- Without a date, the list holds the items updated in the last 30 days (`B24IM_RECENT_WINDOW_DAYS`).',
      '- Dates are RFC 3339 / ATOM in any offset (`2019-07-11T10:45:31+02:00`, `...Z`, with or without fractions);',
      '  answers are in the portal time zone (`B24IM_TIMEZONE`) with whole seconds. Because dates have whole',
      '  seconds, the comparison is `>=`: a client that sends back the `time.date_start` of its previous call gets',
      '  every change made in that second, and may see an unchanged item twice, never miss one.',
      '- The answer is a plain array: no `total`, no `next`, and `start` is ignored.',
      '',
      block(full, true),
      block(dialogsOnly),
      block(noCounters),
      block(delta),
      '### Items',
      '',
      '| key | type | meaning |',
      '|---|---|---|',
      '| `id` | number / string | the peer\'s user id for a dialog, `"chatN"` for a chat |',
      '| `chat_id` | number | the chat id (a dialog has one too) |',
      '| `type` | string | `user` or `chat` |',
      '| `avatar` | object | `{url, color}`: the peer\'s or the chat\'s; `url` is `""` when none |',
      '| `title` | string | the peer\'s full name or the chat title |',
      '| `message` | object | the last message: `id`, `text` (preview, see below), `file`, `attach` (booleans), `author_id` (0 for system messages), `sticker` (null), `date`, `status` (`delivered` once someone other than the author has read it, else `received`), `uuid` (the client\'s UUID or null). An item without a message (a pinned dialog nobody wrote in) has id 0, empty text, the item\'s own date and no `uuid` key |',
      '| `counter` | number | messages after the user\'s last read one, not deleted, not written by the user |',
      '| `last_id` | number | id of the last message the user has read |',
      '| `pinned`, `unread` | boolean | the user\'s pin and the manual unread mark (`im.recent.unread`); the mark does not change `counter` |',
      '| `has_reminder` | boolean | always false (as on a portal) |',
      '| `date` | ATOM | the last message\'s date (the old page\'s key) |',
      '| `date_update` | ATOM | when the item last changed for this user: what `LAST_UPDATE` / `LAST_SYNC_DATE` compare with |',
      '| `date_last_activity` | ATOM | the last message posted (a deletion does not undo it) or when the user joined; `im.recent.list` orders by it |',
      '| `user` | object | a dialog: the peer (the im user object, with `idle`, `mobile_last_date`, `desktop_last_date` false as a portal forces them). A chat: the last message\'s author, or `{"id": 0}` for a system message |',
      '| `chat` | object | a chat: the full chat object (`name` and `title`, `owner`, `type` `chat`/`open`/`lines`, `message_type` letter, `user_counter`, `role` in upper case, `mute_list` and `manager_list` naming only the current user, `restrictions`, `permissions`, ...). A dialog: `{text_field_enabled, background_id, mute_list}` |',
      '| `lines` | object | open-line items only: `{id, status, date_create}` |',
      '| `options` | array | `[]` |',
      '',
      'Empty maps are `[]`, as PHP encodes them (`mute_list`, `options`).',
      '',
      '#### Message preview text',
      '',
      'The preview is one line: line breaks become spaces; `[b]`, `[i]`, `[u]`, `[url]`, `[url=...]`, `[USER=n]`,',
      '`[CHAT=n]`, `[dialog=...]`, `[context=...]`, `[SEND]`, `[PUT]`, `[CALL]`, `[PCH]`, `[size]`, `[color]` keep their',
      'text; `[s]...[/s]` is dropped; `[USER=n][/USER]` becomes the user\'s name; `[ICON=... title=T]` becomes `(T)`;',
      'a quoted block (between two lines of 54 dashes, or `[quote]...[/quote]`) becomes ` [Quote] `; `[ATTACH=n]`',
      'becomes ` [Attachment] `, `[RATING=n]` ` [Rating] `; a message with an attachment ends in ` [Attachment]` and one',
      'with a file in ` [File]`. The markers follow the portal language (`B24IM_LANGUAGE=ru`: `[Вложение]`, `[Файл]`,',
      '`[Цитата]`, `[Оценка]`). Other spacing is kept as written (a portal does not collapse spaces).',
      '',
      '### Order and what is left out',
      '',
      '- Pinned items first, then the last message date, newest first, then the item id descending (the user id of',
      '  a dialog, the chat id of a chat; a chat id breaks a remaining tie).',
      '- Not listed: a chat without any message; a chat the user left or was removed from; a dialog with an',
      '  inactive user when nothing in it is unread (bots, connectors and network users stay); hidden items.',
      '- None of these removals shows in a `LAST_UPDATE` / `LAST_SYNC_DATE` answer (a portal deletes its row):',
      '  a client that merges deltas learns about them from other calls, or by reloading the whole list.',
      '',
      '## im.recent.pin',
      '',
      '`DIALOG_ID` (required), `PIN` (`Y` default, `N` unpins) or its old name `ACTION` (wins over `PIN`). The answer',
      'is `true` (also when nothing changes), or `false` when 45 items are already pinned. Pinning a user the caller',
      'never wrote to opens the dialog and lists it with an empty message. No access to the chat: `400 ACCESS_ERROR`.',
      '',
      block(pin),
      block(afterPin),
      '## im.recent.unread',
      '',
      '`DIALOG_ID` (required), `ACTION` (`Y` default sets the mark, `N` removes it and reads the dialog to its end;',
      '`UNREAD` is accepted as the portal\'s own name). `false` when the dialog does not exist.',
      '',
      block(unread),
      block(noDialog),
      '## im.recent.hide',
      '',
      '`DIALOG_ID` (required). The item leaves the list (and loses its pin and unread mark) until the chat\'s next',
      'message, or a pin or unread mark, brings it back; the counter keeps counting meanwhile. `true`, also when',
      'there was nothing to hide.',
      '',
      block(hide),
      block(afterHide),
      '## im.recent.list',
      '',
      'The paged form: no date window, ordered by pin, then `date_last_activity` newest first (then item id).',
      '`SKIP_OPENLINES`, `SKIP_CHAT`, `SKIP_DIALOG`; `UNREAD_ONLY=Y` (counter above zero or the unread mark);',
      '`LAST_MESSAGE_DATE` (alias `DATE_LAST_ACTIVITY`): items whose last activity is at or before the date, and',
      'then `OFFSET` is ignored; `OFFSET` or REST\'s `start` (which wins when given); `LIMIT` 1–200, default 50 (0',
      'or less gives 50, more than 200 gives 200); `GET_ORIGINAL_TEXT=Y` returns the stored text (short mentions',
      'filled with names); `ONLY_COPILOT` / `ONLY_CHANNEL` give an empty page (b24im has no such chats).',
      'The answer is `{items, hasMorePages, hasMore, copilot: null, messagesAutoDeleteConfigs: []}` with',
      '`"total": -1` and, when there is more, `"next"` = offset + items on the page.',
      '',
      block(page),
      block(page2),
      '## im.revision.get',
      '',
      'b24im reports REST revision 30: the revision that added `im.recent.list`, the newest behaviour of the',
      'recent family it implements in full. Clients compare `rest` with the revision a feature needs; claiming the',
      'current portal\'s 32–33 would promise methods b24im does not have.',
      '',
      block(revision),
      '## Errors, lenient and strict',
      '',
      '`DIALOG_ID` missing or malformed: `400 DIALOG_ID_EMPTY`. A portal silently ignores bad values (a flag other',
      'than `Y` is `N`, an unparseable date is dropped, unknown parameters are ignored); b24im does the same and logs',
      'each case. With strict mode (`B24IM_STRICT=on` or `serve --strict`) each of them is `400 ERROR_ARGUMENT` with',
      'an `argument` key naming the parameter: the flags, dates, `WITH_COUNTERS`, `PIN` / `ACTION` / `UNREAD`',
      'values other than `Y`/`N`, `LIMIT` outside 1–200, a negative `OFFSET`, and unknown parameters.',
      '',
      block(empty),
      block(lenientBad),
      block(strictBad),
      block(strictDate),
      '## Storage and speed',
      '',
      'A user\'s recent rows are their memberships (`members`). `im.recent.get` reads the rows changed since the date',
      'through the index `members(user_id, large, date_update)`: for a chat of up to `B24IM_FANOUT_LIMIT` members',
      'every change is written to each member\'s row, so the index range is the answer; a larger chat keeps its',
      'changes on the chat row (one write per message whatever its size), and the user\'s few large-chat rows are',
      'read whole and compared with the chat\'s date. Counters are arithmetic on per-chat sequence numbers, so no',
      'list reads messages beyond each item\'s last one.',
      '',
      '`im.recent.list` walks the index `members(user_id, large, pinned, date_last_activity, item_id, chat_id)`',
      'backwards and stops after OFFSET + LIMIT + 1 rows of small chats; the large-chat rows, whose activity is the',
      'chat\'s last post date, are merged in. A page therefore costs its offset plus its size, not the user\'s',
      'number of chats. Hidden items and chats without messages are excluded in the same query, so `hasMore` and',
      '`next` count listed items.',
      '',
      '## Where the public documentation is ambiguous, and what b24im chose',
      '',
      '| question | sources | b24im |',
      '|---|---|---|',
      '| Type of `id` and of numbers | old page: strings (`"1"`, `"3"`); current docs table: string; current examples: numbers | numbers and booleans as a current portal sends them; `id` is a number for a dialog, `"chatN"` for a chat |',
      '| `LAST_UPDATE` vs `LAST_SYNC_DATE` | docs: two parameters; current portal: `LAST_UPDATE` is an alias of `LAST_SYNC_DATE` (clamped) | `LAST_UPDATE` is unclamped (the revision-23 meaning), `LAST_SYNC_DATE` clamped to 7 days; `LAST_UPDATE` wins when both are given |',
      '| "returns data no older than 7 days" | docs | a clamp of the date, not an error |',
      '| Plain call without a date | not documented | the last 30 days (as a portal), configurable |',
      '| Comparison at the given date | not documented | `>=` with whole seconds |',
      '| Shape of a sync answer | docs suggest "changes" | the same flat array; removals (hidden, left) are not reported |',
      '| `WITH_COUNTERS` | undocumented | accepted; only `N` removes `counter` |',
      '| `message.file`, `message.attach` | docs: boolean; portal: sometimes an object / a string | booleans |',
      '| `chat.title` | old page lists it; portal sends `name` | both |',
      '| Top-level `date` | old page only | kept: the last message date |',
      '| `has_reminder` | documented, never set by a portal | always false |',
      '| Order among pinned items | not documented (the portal keeps a pin order column) | by last message date like the rest (decision 8) |',
      '| Pin limit | 25 in older portals, 45 now | 45; one more answers `false`, not an error |',
      '| `im.recent.unread` on a missing dialog | docs: false | false; a missing `DIALOG_ID` is `DIALOG_ID_EMPTY` |',
      '| `im.recent.pin` on a chat without access | docs: `ACCESS_ERROR` | `400 ACCESS_ERROR`; a user id that does not exist is the same |',
      '| Hidden item coming back | docs: "removed from the list" | back with the chat\'s next message, a pin or an unread mark; a deletion of that message does not hide it again |',
      '| `message.status` of system messages | not documented | like any message: `delivered` once a member has read it |',
      '| Items changing without a new message | not documented | a read by the user, the last message turning `delivered`, an edit of the last message, a deletion, a pin, an unread mark, a hide, a join or leave bump `date_update` of the items they change, so a delta never misses them |',
      '| `im.recent.list` `hasMore` | portal: true when the page is exactly full | true only when at least one more listed row exists |',
      '| `im.recent.list` `birthdayList` | portal: first page only | not sent |',
      '| `PARSE_TEXT`, `CAN_MANAGE_MESSAGES`, `SKIP_UNDISTRIBUTED_OPENLINES` | im.recent.list | accepted and ignored (b24im keeps no HTML rendering, no queue of undistributed lines) |',
      '| `im.revision.get` | docs example: rest 32 | 30, see above |',
      '',
    ].join('\n');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, doc);
    process.stdout.write(`wrote ${out} (${examples.length} examples)\n`);
  } finally {
    await srv.cleanup();
    await strict.cleanup();
  }
}

await main();
