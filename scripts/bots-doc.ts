// Writes docs/bots.md: the prose below plus event payloads captured from a real server run
// (a temporary database, a real application install, real messages). Run: npm run docs:bots
import fs from 'node:fs';
import path from 'node:path';
import { HandlerServer, addApp, install, type Received } from '../test/helpers/handler.ts';
import { ROOT, ok, startServer } from '../test/helpers/server.ts';

const OUT = path.join(ROOT, 'docs/bots.md');

function block(lang: string, text: string): string {
  return `\`\`\`${lang}\n${text}\n\`\`\``;
}

/** The decoded form as a PHP handler sees $_POST, with long random values shortened for reading. */
function decoded(r: Received): string {
  const shorten = (v: unknown): unknown => {
    if (typeof v === 'string') return /^[0-9a-f]{32,}$/.test(v) ? `${v.slice(0, 12)}…` : v;
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shorten(x)]));
    return v;
  };
  return JSON.stringify(shorten(r.body), null, 2);
}

async function main(): Promise<void> {
  const srv = await startServer({ env: { B24IM_EVENT_RETRY_BASE_MS: '200', B24IM_EVENT_POLL_MS: '100' } });
  const handler = await HandlerServer.start();
  try {
    const anna = await srv.addUser('Anna', 'Smirnova', ['--work-position', 'Support', '--gender', 'F']);
    const hook = await srv.webhook(anna.id);
    await addApp(srv, 'helpdesk', `${handler.url}/install`);
    await install(srv, 'helpdesk', anna.id);
    const installed = await handler.waitFor((r) => r.body.event === 'ONAPPINSTALL');
    const auth = installed.body.auth;
    const call = (method: string, params: Record<string, unknown>) => ok(auth.client_endpoint, method, { ...params, auth: auth.access_token });
    const botId = await call('imbot.register', {
      CODE: 'helpdesk_bot',
      TYPE: 'B',
      EVENT_HANDLER: `${handler.url}/bot`,
      PROPERTIES: { NAME: 'Helpdesk', LAST_NAME: 'Bot', COLOR: 'AQUA', WORK_POSITION: 'Answers questions' },
    });
    const supervisor = await call('imbot.register', {
      CODE: 'audit_bot',
      TYPE: 'S',
      EVENT_HANDLER: `${handler.url}/bot`,
      PROPERTIES: { NAME: 'Audit' },
    });

    const dm = await ok(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'Hello, how do I reset my password?' });
    const chatId = await ok(hook, 'im.chat.add', { TITLE: 'Support team', USERS: [botId, supervisor] });
    const mention = await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: `[USER=${botId}]Helpdesk Bot[/USER] is the VPN down?` });
    const edited = await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'Meeting at 10' });
    await ok(hook, 'im.message.update', { MESSAGE_ID: edited, MESSAGE: 'Meeting at 11' });
    await ok(hook, 'im.message.delete', { MESSAGE_ID: edited });
    // Commands: a typed /echo, then a keyboard button of the bot's answer.
    const lang = [{ LANGUAGE_ID: 'en', TITLE: 'Echo', PARAMS: 'text' }];
    const echoCommand = await call('imbot.command.register', { BOT_ID: botId, COMMAND: 'echo', COMMON: 'Y', LANG: lang, EVENT_COMMAND_ADD: `${handler.url}/bot` });
    const typed = await ok(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: '/echo ping' });
    const answered = await call('imbot.command.answer', {
      COMMAND_ID: echoCommand,
      MESSAGE_ID: typed,
      MESSAGE: 'pong',
      ATTACH: [{ MESSAGE: 'reply: ping' }],
      KEYBOARD: [{ TEXT: 'Again', COMMAND: 'echo', COMMAND_PARAMS: 'again', DISPLAY: 'LINE' }],
    });
    await ok(hook, 'im.message.command', { MESSAGE_ID: answered, BOT_ID: botId, COMMAND: 'echo', COMMAND_PARAMS: 'again' });
    const answeredMessage = (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: botId, LIMIT: 1 })).messages[0];
    const gone = await call('imbot.register', { CODE: 'temp_bot', EVENT_HANDLER: `${handler.url}/bot`, PROPERTIES: { NAME: 'Temp' } });
    await call('imbot.unregister', { BOT_ID: gone });

    const of = (event: string, pred: (r: Received) => boolean = () => true) => handler.waitFor((r) => r.body.event === event && pred(r));
    const joinP = await of('ONIMBOTJOINCHAT', (r) => r.body.data.PARAMS.CHAT_TYPE === 'P');
    const joinC = await of('ONIMBOTJOINCHAT', (r) => r.body.data.PARAMS.CHAT_TYPE === 'C' && r.body.data.PARAMS.BOT_ID === String(botId));
    const addP = await of('ONIMBOTMESSAGEADD', (r) => r.body.data.PARAMS.MESSAGE_ID === String(dm));
    const addC = await of('ONIMBOTMESSAGEADD', (r) => r.body.data.PARAMS.MESSAGE_ID === String(mention));
    const update = await of('ONIMBOTMESSAGEUPDATE', (r) => r.body.data.PARAMS.MESSAGE_ID === String(edited));
    const del = await of('ONIMBOTMESSAGEDELETE', (r) => r.body.data.PARAMS.MESSAGE_ID === String(edited));
    const botDelete = await of('ONIMBOTDELETE');
    const commandTyped = await of('ONIMCOMMANDADD', (r) => r.body.data.PARAMS.MESSAGE_ID === String(typed));
    const commandButton = await of('ONIMCOMMANDADD', (r) => r.body.data.COMMAND[String(echoCommand)].COMMAND_CONTEXT === 'KEYBOARD');

    const doc = `# Chat bots and events

<!-- Generated by \`npm run docs:bots\` (scripts/bots-doc.ts) from a real server run; edit the script, not this file. -->

b24im runs chat bots written for a Bitrix24 portal unchanged: the classic bot API (\`imbot.*\`), application
installation with \`ONAPPINSTALL\`, OAuth tokens that expire and refresh, and events POSTed to the bot's handler
exactly as a portal posts them. The example in \`examples/echo-bot/\` is such a bot.

## Run a bot against b24im

\`\`\`sh
npx b24im serve                                                  # the server, http://localhost:8080
PORT=8090 node --import tsx examples/echo-bot/bot.ts             # the bot (any language, any host)
npx b24im app add --code echo --scope im,imbot --handler http://127.0.0.1:8090/
npx b24im app install --code echo --user 1                       # ONAPPINSTALL -> the bot calls imbot.register
\`\`\`

\`app add\` prints the application's \`client_id\` and \`client_secret\` (for the refresh grant). \`app install\` marks
the application installed and posts \`ONAPPINSTALL\` with a fresh \`auth\` block to its handler; the first attempt is
made by the command itself and its result printed, a failure stays queued for the running server to retry.
Events are only sent to installed applications, as on a portal.

## Authorisation

- \`imbot.*\` and \`event.*\` need an application's token (the \`auth\` of an event or of the install); a webhook gets
  \`ACCESS_DENIED\` (imbot) or \`WRONG_AUTH_TYPE\` (event.bind). Bots registered through webhooks with \`CLIENT_ID\` are
  not supported.
- Access tokens live 3600 s; then calls answer \`401 expired_token\`. Refresh them as a portal application does, at the
  OAuth server's token endpoint — b24im serves it at \`/oauth/token/\` (GET or POST):
  \`/oauth/token/?grant_type=refresh_token&client_id=…&client_secret=…&refresh_token=…\`. It answers a new pair
  (\`access_token, expires, expires_in, scope, domain, server_endpoint, status, client_endpoint, member_id, user_id,
  refresh_token\`); the old refresh token stops working. A wrong secret is \`401 invalid_client\`, an unknown or used
  refresh token \`400 invalid_grant\`. A bot that derives the endpoint from \`server_endpoint\`
  (\`…/rest/\` -> \`…/oauth/token/\`) works against both.
- Every event carries fresh tokens minted when it is sent: \`auth\` for the user who caused it, \`data[BOT][id]\` for each
  bot it is for, and the application's \`application_token\` to check that the event comes from the portal.

## Methods

| method | notes |
|---|---|
| \`imbot.register\` | \`CODE\`, \`TYPE\` (B, O, H, S), \`OPENLINE\`, \`EVENT_HANDLER\` or \`EVENT_MESSAGE_ADD\` / \`EVENT_WELCOME_MESSAGE\` / \`EVENT_BOT_DELETE\` (+ \`EVENT_MESSAGE_UPDATE\` / \`EVENT_MESSAGE_DELETE\` for S and open-line bots), \`PROPERTIES\` (NAME, LAST_NAME, COLOR, EMAIL, PERSONAL_BIRTHDAY, WORK_POSITION, PERSONAL_WWW, PERSONAL_GENDER; PERSONAL_PHOTO is accepted and not stored). Registering a code again answers the same bot. At most 5 bots per application. One set of handler URLs per application: a new URL replaces the previous one. |
| \`imbot.unregister\` | sends \`ONIMBOTDELETE\`; the bot user is deactivated |
| \`imbot.update\` | \`BOT_ID\`, \`FIELDS\` (CODE, handlers, PROPERTIES) |
| \`imbot.bot.list\` | every bot of the portal: \`{ "<id>": { ID, NAME, CODE, OPENLINE } }\` |
| \`imbot.message.add\` / \`update\` / \`delete\` | as the bot (\`BOT_ID\`, or the application's first bot); \`FROM_USER_ID\` + \`TO_USER_ID\` posts a system message between two users. \`ATTACH\`, \`KEYBOARD\`, \`MENU\` are rebuilt as a portal rebuilds them (see below); an update that changes only them is not marked edited |
| \`imbot.message.like\` | as the bot; \`ACTION\` plus / minus / auto; the likers' ids show in the message's \`params.LIKE\`; \`WITHOUT_CHANGES\` when nothing changed |
| \`imbot.command.register\` | \`BOT_ID\`, \`COMMAND\` (a leading \`/\` is dropped), \`COMMON\`, \`HIDDEN\`, \`EXTRANET_SUPPORT\`, \`LANG\` (\`[{LANGUAGE_ID, TITLE, PARAMS}]\`), \`EVENT_COMMAND_ADD\`; the same command of the same bot answers the same id; one \`ONIMCOMMANDADD\` handler per application (a new URL replaces it) |
| \`imbot.command.update\` / \`unregister\` | \`COMMAND_ID\`, \`FIELDS\` (COMMAND, EVENT_COMMAND_ADD, HIDDEN, EXTRANET_SUPPORT, LANG); a bot's commands go with it on \`imbot.unregister\` |
| \`imbot.command.answer\` | \`COMMAND_ID\` or \`COMMAND\`, \`MESSAGE_ID\` (from the event), \`MESSAGE\`, \`ATTACH\`, \`KEYBOARD\`, \`MENU\`, \`SYSTEM\`, \`URL_PREVIEW\`: the bot's answer in that dialog. In a chat the bot is not in (a \`COMMON\` command), or a dialog of two people, it is a system message \`Bot [USER=id][/USER] answered:\` + text. Allowed for ten minutes after the command in that dialog (the portal's bot token), or in the bot's own dialogs |
| \`im.message.command\` | a user pressing a keyboard button: \`MESSAGE_ID\`, \`BOT_ID\`, \`COMMAND\`, \`COMMAND_PARAMS\` -> \`ONIMCOMMANDADD\` with \`COMMAND_CONTEXT=KEYBOARD\` and the keyboard message's id; \`PARAMS_ERROR\` for someone outside the dialog |
| \`imbot.chat.add\`, \`imbot.chat.user.add\`, \`imbot.chat.leave\` | as the bot |
| \`imbot.chat.get\` | \`ENTITY_TYPE\` + \`ENTITY_ID\` -> \`{ID}\` of a chat the bot can read (a portal names any), or \`null\` |
| \`imbot.chat.setOwner\`, \`imbot.chat.setManager\` | as the bot, which must own the chat; \`IS_MANAGER=N\` takes the role back |
| \`imbot.chat.updateTitle\`, \`imbot.chat.updateColor\` | as the bot, a member |
| \`imbot.chat.updateAvatar\` | \`AVATAR\`: a base64 PNG, JPEG, GIF or WebP image. b24im has no file storage, so the image is kept inline as a \`data:\` URL and must be at most 64 KB (\`AVATAR_ERROR\` otherwise) |
| \`imbot.chat.user.list\`, \`imbot.chat.user.delete\` | as the bot |
| \`imbot.dialog.get\` | as the token's user |
| \`imopenlines.bot.session.operator\` / \`transfer\` / \`finish\` / \`message.send\` | the application's bot in an open-line chat hands the session to the line's queue (\`WRONG_CHAT\` when an operator already has it), transfers it (\`USER_ID\`, \`QUEUE_ID\` or \`TRANSFER_ID\` = \`queueN\` / a user id; \`LEAVE=Y\` the bot leaves, otherwise it stays beside the new operator), closes it, or posts the line's welcome text (\`NAME=WELCOME\`) or \`MESSAGE\` as a system message |
| \`imbot.chat.sendTyping\`, \`im.dialog.writing\` | accepted (b24im has no real-time channel to carry typing) |
| \`event.bind\`, \`event.unbind\`, \`event.get\`, \`events\` | an application's handlers for the events below; \`event_type=offline\` is not supported |

A bot is a user with \`bot: true\`: it appears in \`im.user.get\`, chat member lists and recent lists like anyone.

## Events

| event | sent when | to |
|---|---|---|
| \`ONAPPINSTALL\` | \`b24im app install\` | the application's handler URL (and handlers bound to it) |
| \`ONIMBOTJOINCHAT\` | a user opens a dialog with a bot (first message), or a bot is added to a chat | \`EVENT_WELCOME_MESSAGE\` |
| \`ONIMBOTMESSAGEADD\` | a message in a dialog with a bot; in a chat, a message that mentions the bot (\`[USER=id]…[/USER]\`), or any message for a supervisor (\`TYPE=S\`) bot | \`EVENT_MESSAGE_ADD\` |
| \`ONIMBOTMESSAGEUPDATE\` / \`ONIMBOTMESSAGEDELETE\` | an edited / deleted message the bot would have received (S and open-line bots only) | \`EVENT_MESSAGE_UPDATE\` / \`EVENT_MESSAGE_DELETE\` |
| \`ONIMBOTDELETE\` | \`imbot.unregister\` | \`EVENT_BOT_DELETE\` |
| \`ONIMCOMMANDADD\` | a line of a message starts with a registered \`/command\` (\`COMMAND_CONTEXT=TEXTAREA\`), or a keyboard button runs one (\`KEYBOARD\`). A \`COMMON=N\` command runs only where its bot is (its dialog, or a chat it is in); a message that runs a command is not an \`ONIMBOTMESSAGEADD\` for any bot | \`EVENT_COMMAND_ADD\` |

A bot gets no event for its own messages or for system messages. One delivery per handler carries every bot of the
application the event is for (\`data[BOT]\`; for \`ONIMCOMMANDADD\`, \`data[COMMAND][commandId]\` with the command's
bot's auth block and \`BOT_ID, BOT_CODE, COMMAND, COMMAND_ID, COMMAND_PARAMS, COMMAND_CONTEXT, MESSAGE_ID\`). A bot
that writes first to someone gets \`ONIMBOTJOINCHAT\` for that dialog, as when the user writes first. The \`im.v2\`
polling API and Bots 2.0 (\`imbot.v2\`) are not implemented.

Open-line bots (\`TYPE=O\` or \`OPENLINE=Y\`) in an open-line chat get every message of it, not only mentions. A line
whose settings have \`WELCOME_BOT_ENABLE=Y\` and \`WELCOME_BOT_ID\` (an open-line bot) gives each new session to that
bot first: the bot joins the chat (\`ONIMBOTJOINCHAT\` with \`CHAT_ENTITY_TYPE=LINES\`) instead of the queue's
operators, answers the customer with \`imbot.message.add\`, and hands over with \`imopenlines.bot.session.*\`. The
portal's timed hand-over (\`WELCOME_BOT_TIME\`, \`WELCOME_BOT_LEFT\`) is not implemented: the bot keeps the session until
it hands it over.

## Keyboards, attachments and menus

\`ATTACH\`, \`KEYBOARD\` and \`MENU\` (JSON text or nested form arrays) are validated and rebuilt on the way in exactly as
a portal does (\`chats/messages/attachments.md\`, \`keyboards.md\`, \`menu.md\`), and every reader sees the rebuilt
form: history (\`im.dialog.messages.get\`) and bot events (the web client shows the text only for now).

- \`ATTACH\`: a bare list of blocks or \`{BLOCKS, COLOR, DESCRIPTION, COLOR_TOKEN}\` becomes \`[{ID, BLOCKS, DESCRIPTION,
  COLOR, COLOR_TOKEN}]\`. Blocks: MESSAGE, USER, LINK, RICH_LINK, GRID (DISPLAY BLOCK / LINE / ROW / TABLE; CARD is
  LINE, COLUMN is ROW), IMAGE, FILE, DELIMITER. Links must be \`http(s)://\` or \`/...\`; invalid items are dropped;
  no valid block left is \`ATTACH_ERROR\`. \`COLOR\` is a \`#hex\` or \`TRANSPARENT\`; without one a portal picks a
  palette colour at random, b24im picks it from the attach's \`ID\` (the unix time).
- \`KEYBOARD\`: \`{BUTTONS, COLORS, VOTE}\` or a bare list. Each button becomes \`{BOT_ID, TYPE: "BUTTON", LINK | APP_ID |
  ACTION + ACTION_VALUE | COMMAND + COMMAND_PARAMS, TEXT, VOTE, BLOCK, WAIT, CONTEXT, DISABLED, DISPLAY, [WIDTH],
  [BG_COLOR], BG_COLOR_TOKEN, [TEXT_COLOR] ...}\`; \`{TYPE: "NEWLINE"}\` breaks a row. COMMAND buttons are kept only
  in a bot's messages (a person's are dropped, as on a portal); \`FUNCTION\` buttons are dropped; links are
  HTML-escaped; nothing valid left is \`KEYBOARD_ERROR\`.
- \`MENU\`: \`{ITEMS}\` or a bare list of \`{BOT_ID, LINK | APP_ID | ACTION | COMMAND, TEXT (HTML-escaped), CONTEXT,
  DISABLED}\`; nothing valid left is \`MENU_ERROR\`.
- More than 60,000 characters of JSON is \`ATTACH_OVERSIZE\` / \`KEYBOARD_OVERSIZE\` / \`MENU_OVERSIZE\`. \`"N"\` or an
  empty value on update removes the structure.

An answer as stored (from the same run):

${block('json', JSON.stringify({ text: answeredMessage.text, params: answeredMessage.params }, null, 2))}

## Support status of the classic bot API

Every method and event of \`chat-bots/outdated/\` in the official docs:

| method or event | status |
|---|---|
| \`imbot.register\`, \`imbot.unregister\`, \`imbot.update\`, \`imbot.bot.list\` | supported |
| \`imbot.message.add\`, \`imbot.message.update\`, \`imbot.message.delete\`, \`imbot.message.like\` | supported |
| \`imbot.command.register\`, \`imbot.command.update\`, \`imbot.command.unregister\`, \`imbot.command.answer\` | supported |
| \`imbot.chat.add\`, \`get\`, \`leave\`, \`setOwner\`, \`setManager\`, \`updateTitle\`, \`updateColor\`, \`user.add\`, \`user.delete\`, \`user.list\` | supported |
| \`imbot.chat.updateAvatar\` | supported, images up to 64 KB (kept inline: b24im stores no files) |
| \`imbot.chat.sendTyping\` | accepted; nothing is shown (no real-time channel) |
| \`imbot.dialog.get\` | supported |
| \`imopenlines.bot.session.operator\`, \`transfer\`, \`finish\`, \`message.send\` (open-line bots) | supported |
| \`ONIMBOTMESSAGEADD\`, \`ONIMBOTMESSAGEUPDATE\`, \`ONIMBOTMESSAGEDELETE\`, \`ONIMBOTJOINCHAT\`, \`ONIMBOTDELETE\`, \`ONIMCOMMANDADD\` | sent |
| \`im.message.command\` (keyboard buttons), \`im.message.like\`, \`im.dialog.writing\` | supported (writing: accepted) |
| Bots 2.0 (\`imbot.v2.*\`, \`ONIMBOTV2*\`) | not implemented: a separate API (\`chat-bots-v2/\`), not part of the classic platform |

### Wire format

A \`POST\` with \`Content-Type: application/x-www-form-urlencoded\` and \`User-Agent: Bitrix24 Webhook Engine\`, keys in
PHP's nested form, every value a string. The beginning of a real \`ONIMBOTMESSAGEADD\` body:

${block('text', `${addP.raw.slice(0, 600)}…`)}

Decoded (as \`$_POST\` in PHP; tokens shortened here), every example below comes from the same run.

#### ONAPPINSTALL

${block('json', decoded(installed))}

#### ONIMBOTJOINCHAT (dialog)

${block('json', decoded(joinP))}

#### ONIMBOTJOINCHAT (group chat)

${block('json', decoded(joinC))}

#### ONIMBOTMESSAGEADD (dialog)

${block('json', decoded(addP))}

#### ONIMBOTMESSAGEADD (group chat, the bot mentioned)

${block('json', decoded(addC))}

#### ONIMBOTMESSAGEUPDATE (supervisor bot)

${block('json', decoded(update))}

#### ONIMBOTMESSAGEDELETE (supervisor bot)

${block('json', decoded(del))}

#### ONIMBOTDELETE

${block('json', decoded(botDelete))}

#### ONIMCOMMANDADD (a typed command)

${block('json', decoded(commandTyped))}

#### ONIMCOMMANDADD (a keyboard button; only data shown)

${block('json', JSON.stringify(JSON.parse(decoded(commandButton)).data.COMMAND, null, 2))}

## Delivery, retries and the log

Events are written to an outbox table (\`event_outbox\`) and sent by a worker inside \`b24im serve\`, never by the
request that caused them: a slow, failing or unreachable handler does not delay or break the sender's call.

- A delivery succeeds on any 2xx answer within \`B24IM_EVENT_TIMEOUT_MS\` (10 s). Redirects are not followed.
- A failure is retried after \`B24IM_EVENT_RETRY_BASE_MS × 3^(n−1)\` (10 s, 30 s, 90 s, … capped at an hour, ±20 %
  jitter) until \`B24IM_EVENT_MAX_ATTEMPTS\` (8) attempts; then the row is \`failed\`. \`b24im event retry --id N\`
  queues it again.
- Every attempt is a row of \`event_log\` (attempt, HTTP status, error, duration): \`b24im event log [--app CODE]
  [--id N]\`; the queue itself: \`b24im event queue [--status pending|done|failed]\`. Failures are also logged by the
  server (\`event delivery failed, will retry\`).
- The queue survives restarts: a stopping server hands back the events it was sending, and the next start sends
  them. Several servers on one database share the queue safely: each claims rows atomically with a lease
  (\`B24IM_EVENT_TIMEOUT_MS\` + 30 s), so a node that dies mid-delivery leaves its rows to the others.
- Delivery is at least once: a handler may see an event twice (after a crash or a timeout that still reached it);
  \`event_handler_id\`, \`data[PARAMS][MESSAGE_ID]\` and \`ts\` identify it.
- Finished events and their log rows are kept for 7 days; tokens that can no longer be refreshed are deleted (every
  event mints new ones).
- The outbox is written right after the messenger's change is committed; a crash in between loses that event.
`;
    fs.writeFileSync(OUT, doc);
    process.stdout.write(`wrote ${path.relative(ROOT, OUT)}\n`);
  } finally {
    await handler.close();
    await srv.cleanup();
  }
}

await main();
