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

    // Bots 2.0: a fetch-mode bot through a webhook and a botToken, and a webhook-mode one, from the same run.
    const ownerHook = await srv.webhook(anna.id, 'imbot,im');
    const v2 = await ok(ownerHook, 'imbot.v2.Bot.register', {
      botToken: 'my_secret_token_123',
      fields: { code: 'support_bot', properties: { name: 'Support Bot', workPosition: 'AI Assistant' }, eventMode: 'fetch' },
    });
    const v2Id = v2.bot.id;
    const v2Msg = await ok(hook, 'im.message.add', { DIALOG_ID: v2Id, MESSAGE: 'Hello bot!' });
    let v2Page: any;
    for (let i = 0; i < 100; i++) {
      v2Page = await ok(ownerHook, 'imbot.v2.Event.get', { botId: v2Id, botToken: 'my_secret_token_123', limit: 50 });
      if (v2Page.events.some((e: any) => e.type === 'ONIMBOTV2MESSAGEADD')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const v2Add = v2Page.events.find((e: any) => e.type === 'ONIMBOTV2MESSAGEADD');
    const v2Hooked = await ok(ownerHook, 'imbot.v2.Bot.register', {
      botToken: 'hooked_token', fields: { code: 'hooked_bot', eventMode: 'webhook', webhookUrl: `${handler.url}/v2`, properties: { name: 'Hooked' } },
    });
    await ok(hook, 'im.message.add', { DIALOG_ID: v2Hooked.bot.id, MESSAGE: 'Hello webhook bot!' });
    const v2Posted = await handler.waitFor((r) => r.body.event === 'ONIMBOTV2MESSAGEADD');
    const v2Answer = await ok(ownerHook, 'imbot.v2.Chat.Message.send', {
      botId: v2Id, botToken: 'my_secret_token_123', dialogId: v2Add.data.chat.dialogId, fields: { message: 'Hello! How can I help you?' },
    });
    void v2Msg;
    void v2Answer;

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
the application installed and posts \`ONAPPINSTALL\` with a fresh \`auth\` block to its handler; the attempt is made
by the command itself (within \`B24IM_EVENT_TIMEOUT_MS\`, whatever the handler does) and its result printed and logged.
Events are only sent to installed applications, as on a portal. A bot can also be written without any application:
see [Webhook bots](#webhook-bots).

## Authorisation

- \`imbot.*\` need an application's token (the \`auth\` of an event or of the install), or an inbound webhook and a
  \`CLIENT_ID\` ([Webhook bots](#webhook-bots)); a webhook call without one answers \`403 ACCESS_DENIED\` "Access
  denied! Client ID not specified". \`event.*\` need an application's token (\`WRONG_AUTH_TYPE\` otherwise).
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
| \`imbot.chat.sendTyping\`, \`im.dialog.writing\` | published over Push & Pull as \`startWriting\` to the chat's other members (docs/realtime.md) |
| \`event.bind\`, \`event.unbind\`, \`event.get\`, \`events\` | an application's handlers for the events below; \`event_type=offline\` keeps them for \`event.offline.*\` ([Offline events](#offline-events)) |
| \`event.offline.get\` / \`list\` / \`clear\` / \`error\` | the application's offline events (administrators) |
| \`app.info\`, \`app.option.get\` / \`set\`, \`user.option.get\` / \`set\` | see [Application lifecycle](#application-lifecycle) |

A bot is a user with \`bot: true\`: it appears in \`im.user.get\`, chat member lists and recent lists like anyone.

## Events

| event | sent when | to |
|---|---|---|
| \`ONAPPINSTALL\` | \`b24im app install\` | the application's handler URL (and handlers bound to it) |
| \`ONAPPUPDATE\` / \`ONAPPUNINSTALL\` | \`b24im app update\` / \`b24im app uninstall\` | handlers bound with \`event.bind\` |
| \`ONAPPPAYMENT\`, \`ONAPPMETHODCONFIRM\` | never (no payments or method confirmations on a self-hosted server); bindable | handlers bound with \`event.bind\` |
| \`ONIMBOTJOINCHAT\` | a user opens a dialog with a bot (first message), or a bot is added to a chat | \`EVENT_WELCOME_MESSAGE\` |
| \`ONIMBOTMESSAGEADD\` | a message in a dialog with a bot; in a chat, a message that mentions the bot (\`[USER=id]…[/USER]\`), or any message for a supervisor (\`TYPE=S\`) bot | \`EVENT_MESSAGE_ADD\` |
| \`ONIMBOTMESSAGEUPDATE\` / \`ONIMBOTMESSAGEDELETE\` | an edited / deleted message the bot would have received (S and open-line bots only) | \`EVENT_MESSAGE_UPDATE\` / \`EVENT_MESSAGE_DELETE\` |
| \`ONIMBOTDELETE\` | \`imbot.unregister\` | \`EVENT_BOT_DELETE\` |
| \`ONIMCOMMANDADD\` | a line of a message starts with a registered \`/command\` (\`COMMAND_CONTEXT=TEXTAREA\`), or a keyboard button runs one (\`KEYBOARD\`). A \`COMMON=N\` command runs only where its bot is (its dialog, or a chat it is in); a message that runs a command is not an \`ONIMBOTMESSAGEADD\` for any bot | \`EVENT_COMMAND_ADD\` |

A bot gets no event for its own messages or for system messages. One delivery per handler carries every bot of the
application the event is for (\`data[BOT]\`; for \`ONIMCOMMANDADD\`, \`data[COMMAND][commandId]\` with the command's
bot's auth block and \`BOT_ID, BOT_CODE, COMMAND, COMMAND_ID, COMMAND_PARAMS, COMMAND_CONTEXT, MESSAGE_ID\`). A bot
that writes first to someone gets \`ONIMBOTJOINCHAT\` for that dialog, as when the user writes first. Bots 2.0 and
\`im.v2\`: [below](#bots-20-imbotv2-run-a-bitrix24-20-bot-locally-with-no-public-url).

Open-line bots (\`TYPE=O\` or \`OPENLINE=Y\`) in an open-line chat get every message of it, not only mentions. A line
whose settings have \`WELCOME_BOT_ENABLE=Y\` and \`WELCOME_BOT_ID\` (an open-line bot) gives each new session to that
bot first: the bot joins the chat (\`ONIMBOTJOINCHAT\` with \`CHAT_ENTITY_TYPE=LINES\`) instead of the queue's
operators, answers the customer with \`imbot.message.add\`, and hands over with \`imopenlines.bot.session.*\`. The
portal's timed hand-over (\`WELCOME_BOT_TIME\`, \`WELCOME_BOT_LEFT\`) is not implemented: the bot keeps the session until
it hands it over.

## Keyboards, attachments and menus

\`ATTACH\`, \`KEYBOARD\` and \`MENU\` (JSON text or nested form arrays) are validated and rebuilt on the way in exactly as
a portal does (\`chats/messages/attachments.md\`, \`keyboards.md\`, \`menu.md\`), and every reader sees the rebuilt
form: history (\`im.dialog.messages.get\`), bot events and the web client (which renders them as elements, never as HTML).

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
| \`imbot.chat.sendTyping\` | supported: \`startWriting\` over Push & Pull, shown by clients as "… is typing" |
| \`imbot.dialog.get\` | supported |
| \`imopenlines.bot.session.operator\`, \`transfer\`, \`finish\`, \`message.send\` (open-line bots) | supported |
| \`ONIMBOTMESSAGEADD\`, \`ONIMBOTMESSAGEUPDATE\`, \`ONIMBOTMESSAGEDELETE\`, \`ONIMBOTJOINCHAT\`, \`ONIMBOTDELETE\`, \`ONIMCOMMANDADD\` | sent |
| \`im.message.command\` (keyboard buttons), \`im.message.like\`, \`im.dialog.writing\` | supported |
| Bots 2.0 (\`imbot.v2.*\`, \`ONIMBOTV2*\`, \`im.v2.Event.*\`) | supported: [Bots 2.0](#bots-20-imbotv2-run-a-bitrix24-20-bot-locally-with-no-public-url) |

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

## Delivery: one attempt, as a portal

Events are recorded in the change log (\`change_log\`) inside the transaction of the change that causes them (a
message, an edit, a join ...), turned into outbox rows (\`event_outbox\`) by a dispatcher in \`b24im serve\`, and sent
by a worker there, never by the request that caused them: a slow, failing or unreachable handler does not delay or
break the sender's call, and a crash at any moment loses no event (\`test/outbox-crash.test.ts\` SIGKILLs the server
during a stream of bot messages and finds every message's event delivered).

- **One attempt** (DECISIONS 17): a portal does not resend an event whose handler failed or did not answer, and
  neither does b24im by default. A failed attempt is logged and the row is \`failed\`; a bot that crashes on an event
  does not get it again and again. \`b24im event retry --id N\` sends it once more by hand.
- \`B24IM_EVENT_RETRY=on\` switches resending on: a failure is retried after \`B24IM_EVENT_RETRY_BASE_MS × 3^(n−1)\`
  (10 s, 30 s, 90 s, … capped at an hour, ±20 % jitter) until \`B24IM_EVENT_MAX_ATTEMPTS\` (8) attempts.
- An attempt succeeds on a complete 2xx answer within \`B24IM_EVENT_TIMEOUT_MS\` (10 s): connecting, the headers and
  the body share that one deadline (an answer body beyond 1 MB is not read further). Redirects are not followed.
- An attempt a crash cut off is made again after the restart (the event still gets its one attempt): a stopping
  server hands back what it was sending; after a SIGKILL the next start on the same machine takes back the rows of
  the dead process at once, and other nodes take them when the claim's lease (\`B24IM_EVENT_TIMEOUT_MS\` + 30 s) runs
  out. So delivery is at least once: \`event_handler_id\`, \`data[PARAMS][MESSAGE_ID]\` and \`ts\` identify a repeat.
- Every attempt is a row of \`event_log\` (attempt, HTTP status, error, duration): \`b24im event log [--app CODE]
  [--id N]\`; the queue itself: \`b24im event queue [--status pending|done|failed]\`. Failures are also logged by the
  server.
- Several servers on one database share the change log (rows taken \`FOR UPDATE SKIP LOCKED\` on PostgreSQL) and the
  outbox (rows claimed atomically with a lease).
- Finished events, their log rows and handled changes are kept for 7 days (changes: 1 day); tokens that can no
  longer be refreshed are deleted (every event mints new ones).

For code inside b24im: a service records a change with \`events.record(tx, kind, payload)\` in its transaction and
calls \`events.committed()\` after it; listeners (\`events.on(kind, (tx, event) => ...)\`) run in the dispatcher's
transaction and queue events with \`outbox.emit(tx, app, EVENT, { data, authUserId, bots })\`, which also fills the
offline queue. A method that causes an event directly calls \`outbox.emit\` inside its own transaction.

## Webhook bots

A bot needs no application: as the docs' first example of \`imbot.register\` shows, it can be registered through an
inbound webhook with a \`CLIENT_ID\` of its choosing (DECISIONS 18). The \`CLIENT_ID\` is then bound to the bot and to
that webhook, and every later \`imbot.*\` call for the bot through the webhook names it; a call without it answers
\`403 ACCESS_DENIED\` "Access denied! Client ID not specified", an unknown one \`BOT_ID_ERROR\`, another bot's
\`APP_ID_ERROR\`. Commands (\`imbot.command.*\`) work the same way.

Events go to the bot's handler URLs like any bot's, with the auth block a portal sends to webhook integrations:
\`domain\`, \`client_endpoint\`, \`server_endpoint\`, \`member_id\`, \`application_token\` (in \`auth\` and in
\`data[BOT][id]\`, which also has \`BOT_ID\`, \`BOT_CODE\`) and no tokens: the bot answers through its webhook URL.
\`examples/webhook-bot/bot.mjs\` is such a bot, configured with nothing but the webhook URL:

\`\`\`sh
npx b24im webhook add --user 1 --scope im,imbot          # prints http://localhost:8080/rest/1/<code>/
WEBHOOK_URL=http://localhost:8080/rest/1/<code>/ PORT=8091 node examples/webhook-bot/bot.mjs
\`\`\`

## Offline events

The reliable path an application can choose instead of handlers (as on a portal): \`event.bind\` with
\`event_type=offline\` (no \`handler\`; administrators) makes b24im keep the application's events of that kind, and
the application fetches them when it likes:

- \`event.offline.get\` (\`filter\` on \`ID\`, \`TIMESTAMP_X\`, \`EVENT_NAME\`, \`MESSAGE_ID\` with \`=\`, \`!\`, \`<\`, \`<=\`,
  \`>\`, \`>=\` prefixes; \`order\`; \`limit\` default 50): with \`clear=1\` (the default) the events returned are removed;
  with \`clear=0\` they are reserved under the \`process_id\` returned, not handed out again, and removed with
  \`event.offline.clear\` (\`process_id\`, optionally \`id[]\` or \`message_id[]\`) once handled, or marked failed with
  \`event.offline.error\` (\`process_id\`, \`message_id[]\`), after which \`event.offline.get\` with \`error=1\` returns them.
- \`event.offline.list\` (\`filter\` also on \`PROCESS_ID\`, \`ERROR\`; \`start\`, pages of 50) only reads.
- Each event is \`{ID, TIMESTAMP_X, EVENT_NAME, EVENT_DATA, EVENT_ADDITIONAL, MESSAGE_ID}\`: \`EVENT_DATA\` is the
  \`data\` an online handler would get, with bots as \`{BOT_ID, BOT_CODE}\` (no tokens are kept);
  \`EVENT_ADDITIONAL\` is \`{user_id}\` of the user who caused it.
- Offline events are written in the same transaction that handles the change, so each is there exactly once, across
  crashes and restarts (\`test/offline-events.test.ts\` kills the server with SIGKILL and fetches every event once).
- Not implemented: \`ONOFFLINEEVENT\` (the notification that events are waiting), \`auth_connector\` sources, and the
  portal's merging of identical events under one \`MESSAGE_ID\` (each event has its own).

## Bots 2.0 (imbot.v2): run a Bitrix24 2.0 bot locally with no public URL

Chat-bots 2.0 (\`chat-bots-v2/\` in the official docs) are served by the same bots, chats and messages as the classic
API: a 2.0 bot is a bot user like any other (classic clients and \`im.*\` see it and its messages as usual), and a
message to it from the web client, a classic bot or \`im.message.add\` is its \`ONIMBOTV2MESSAGEADD\`. A bot gets
events in the format of the API it was registered with.

**With \`eventMode: "fetch"\` a bot needs no public URL**: it pulls its events. All it needs is an inbound webhook (scope
\`imbot\`, plus \`im\` for \`withUserEvents\`) and a \`botToken\` of its choosing (at most 40 characters):

\`\`\`sh
npx b24im webhook add --user 1 --scope imbot,im          # prints http://localhost:8080/rest/1/<code>/
WEBHOOK_URL=http://localhost:8080/rest/1/<code>/ BOT_TOKEN=my_secret_token_123 node examples/fetch-bot/bot.mjs
\`\`\`

\`examples/fetch-bot/bot.mjs\` registers itself, adds a \`/help\` command and polls; the suite runs it
(\`test/bots-v2-example.test.ts\`). The docs' quick-start works verbatim (\`test/bots-v2.test.ts\`):

\`\`\`sh
curl -X POST http://localhost:8080/rest/1/<code>/imbot.v2.Bot.register -H 'Content-Type: application/json' \\
  -d '{"botToken":"my_secret_token_123","fields":{"code":"support_bot","properties":{"name":"Support Bot"},"eventMode":"fetch"}}'
curl -X POST http://localhost:8080/rest/1/<code>/imbot.v2.Event.get -H 'Content-Type: application/json' \\
  -d '{"botId":${v2Id},"botToken":"my_secret_token_123","limit":50}'
\`\`\`

**Owners and \`botToken\`.** Through OAuth (an application's \`auth\`) the application owns its bots and no token is
needed. Through an inbound webhook every \`imbot.v2\` call names the bot's \`botToken\` (\`BOT_TOKEN_NOT_SPECIFIED\`
without one): the token stands for the bot's owner, bound to that webhook (another webhook with the same token is
another owner), and b24im keeps only a digest of it. A wrong token for an existing bot is \`403 BOT_OWNERSHIP_ERROR\`;
no bot is \`BOT_NOT_FOUND\`; a missing \`botId\` \`BOT_ID_REQUIRED\`. \`Bot.update\` with \`fields.botToken\` rotates
it (the old one stops working at once; a token in use is \`BOT_TOKEN_ROTATION_FAILED\`). Tokens over 40 characters
are \`BOT_TOKEN_INVALID_LENGTH\` (the docs' limit, in force since 2026-08-06). \`Bot.register\` with a code the same
owner registered answers that bot unchanged; another owner's code is \`BOT_CODE_ALREADY_TAKEN\`; 100 bots per owner.

**Fetching.** \`imbot.v2.Event.get\` (\`botId\`, \`offset\`, \`limit\` 1–1000, default 100) returns \`{events: [{eventId,
type, date, data}], nextOffset, hasMore}\`. Passing \`offset\` acknowledges (deletes) every event below it; what is
not acknowledged is returned again, also after a restart of the server (the queue is in the database). Without
\`offset\` the call acknowledges nothing. Events are written into the queue by the change dispatcher in the same
transaction that marks the change handled, from the change-log row written with the message itself, so a crash
between a message and its event loses nothing and makes nothing twice. Event ids come from one sequence, locked by
each writing transaction until its commit, so ids become visible in order: an offset never skips an event that
committed late, on either backend, with any number of nodes (nodes take turns at the change log, so a chat's events
keep the order of its messages: \`test/bots-v2-queue.test.ts\` writes through two nodes, fetches alternately through
both and kills one). Two fetchers of one bot read the same unacknowledged events (as the docs say, one application
should fetch a bot's events); each event once per fetcher that pages with \`nextOffset\`.

**The cap.** A queue holds at most \`B24IM_FETCH_QUEUE_CAP\` events (50,000 by default, at least 100). Beyond it the
oldest events are dropped and one event of type \`B24IM_EVENTS_DROPPED\` stands in their place, at the position of the
last one dropped: \`data: {count, firstEventId, lastEventId}\` (later drops merge into it), so a bot learns that it
missed events and can re-read its chats (\`Chat.Message.getContext\`). Nothing is refused: senders never wait for a
slow bot. \`b24im event fetch\` lists every queue (\`kind\`, \`ownerId\`, \`queued\`, \`cap\`, \`dropped\`, the oldest event);
\`b24im event fetch --bot ID [--limit N]\` (or \`--user ID\`) also shows the events waiting, acknowledging nothing.

**Webhook mode.** \`eventMode: "webhook"\` with \`webhookUrl\` POSTs each event to that URL through the outbox (one
attempt, as for classic events: [Delivery](#delivery-one-attempt-as-a-portal)), form-encoded as \`http_build_query\`
does (every scalar a string, \`true\` → \`"1"\`, \`false\` and \`null\` → \`""\`), with \`data[bot]\` = \`{id, code, auth}\`
(a webhook bot's \`auth\` carries no tokens: it calls back through its webhook) and the envelope's \`auth\` whose
\`application_token\` identifies the bot. \`Bot.update\` switches modes: to \`fetch\` opens the queue, to \`webhook\`
drops it. \`ONIMBOTV2DELETE\` reaches webhook-mode bots only (a fetch-mode bot's queue goes with it).

**Events.** \`ONIMBOTV2MESSAGEADD\` (a dialog with the bot; in a chat, a mention for \`bot\`/\`openline\`/\`network\` bots,
every message for \`supervisor\` and \`personal\` bots), \`ONIMBOTV2MESSAGEUPDATE\`, \`ONIMBOTV2MESSAGEDELETE\` (the same
rule), \`ONIMBOTV2JOINCHAT\` (added to a chat, or a dialog opened), \`ONIMBOTV2COMMANDADD\` (one per command a message
or a keyboard button runs; such a message is not also a message event for that bot), \`ONIMBOTV2REACTIONCHANGE\` (a
reaction or like on the bot's message, when \`isReactionsEnabled\`), \`ONIMBOTV2DELETE\`. No event for the bot's own
messages or system messages. \`ONIMBOTV2CONTEXTGET\` is never sent: it comes from the web client's \`BOT_CONTEXT\`
links, which the b24im web client does not have. In fetch mode the payload is typed (the docs' FETCH form); a fetched
\`ONIMBOTV2MESSAGEADD\` from this run:

${block('json', JSON.stringify(v2Add, null, 2))}

The same event in webhook mode, decoded (tokens shortened):

${block('json', decoded(v2Posted))}

**im.v2: a user's own queue.** \`im.v2.Event.subscribe\` opens a queue of the calling user (idempotent);
\`im.v2.Event.get\` (\`offset\`, \`limit\`) reads it like a bot's (no subscription: \`{events: []}\`);
\`im.v2.Event.unsubscribe\` removes it with what it holds. It receives \`ONIMV2MESSAGEADD\`, \`ONIMV2MESSAGEUPDATE\`,
\`ONIMV2MESSAGEDELETE\`, \`ONIMV2REACTIONCHANGE\` and \`ONIMV2JOINCHAT\` of every chat the user is in, caused by someone
else. \`imbot.v2.Event.get\` with \`withUserEvents: true\` merges the calling user's queue into the bot's under one offset
(\`SCOPE_ERROR\` without the \`im\` scope, \`USER_NOT_SUBSCRIBED\` before a subscription).

**Methods.** Every \`imbot.v2\` and \`im.v2\` method of the docs, with the documented parameters, answers and error codes:

| methods | notes |
|---|---|
| \`Bot.register\`, \`get\`, \`list\`, \`update\`, \`unregister\` | the extended Bot object for its owner (\`eventMode\`, counters), the short one for others; \`properties.avatar\` is not stored (no file storage for avatars yet) |
| \`Chat.Message.send\`, \`update\`, \`delete\` | \`attach\` and \`keyboard\` as in classic messages; \`system: true\` has no author; text over 20,000 characters is cut with \` (...)\`; \`forwardIds\` is ignored (\`uuidMap\` is \`{}\`) |
| \`Chat.Message.get\`, \`getContext\` | \`supervisor\` and \`personal\` bots only (\`BOT_TYPE_NOT_ALLOWED\`) |
| \`Chat.Message.read\`, \`Reaction.add\`, \`Reaction.delete\` | 48 reaction codes; \`like\` is the classic like (\`im.message.like\`) |
| \`Chat.add\`, \`get\`, \`update\`, \`leave\`, \`User.add\`, \`User.delete\`, \`User.list\`, \`Manager.add\`, \`Manager.delete\`, \`setOwner\` | through the same rules as \`im.chat.*\`; \`avatar\` is not stored |
| \`Command.register\`, \`update\`, \`list\`, \`unregister\`, \`answer\` | the legacy flat \`register\` format too; titles per language with fallback to English |
| \`Chat.InputAction.notify\`, \`Chat.TextField.enabled\` | \`startWriting\` over Push & Pull; the text-field flag is the chat's \`textFieldEnabled\` |
| \`Event.get\`, \`Revision.get\` | revision \`rest: 36\` |
| \`File.upload\`, \`File.download\`, \`im.v2.File.upload\`, \`im.v2.File.download\` | through the chat's files (the same files \`im.disk.*\` and the web client show); \`content\` is Base64 in the request body, so the file size is bounded by \`B24IM_BODY_LIMIT\` (4 MB by default) as well as the file limit, not by the docs' 100 MB; \`downloadUrl\` is a link signed for the bot |

## Application lifecycle

| command or method | what happens |
|---|---|
| \`b24im app install --code C\` | \`ONAPPINSTALL\` to the handler URL (above) |
| \`b24im app update --code C [--version N]\` | the version goes to N (default: +1); \`ONAPPUPDATE\` \`{VERSION, PREVIOUS_VERSION, LANGUAGE_ID}\` with a fresh auth block to the handlers bound to it; \`app.info\` shows the version |
| \`b24im app uninstall --code C [--clean]\` | \`ONAPPUNINSTALL\` \`{LANGUAGE_ID, CLEAN}\` with an auth block without tokens, as a portal sends it; then, in the same transaction, every token of the application is revoked (the next call with one answers 401), its bots are deactivated with their commands, its handlers removed, and with \`--clean\` its options forgotten. \`app install\` installs it again |
| \`app.option.set\` / \`get\` | settings the application keeps on the portal: \`options\` = \`{name: value}\` (set: administrators), \`option\` = one name (get: anyone through the application). \`ArgumentNullException\` "options is empty", \`AccessException\` "Application context required" / "Administrator authorization required" |
| \`user.option.set\` / \`get\` | the same per user of the application |

Each of these commands makes its attempt itself and prints it, like \`app install\`, and never waits longer than the
delivery timeout whatever the handler does (no answer, slow headers, a slow or endless body:
\`test/cli-delivery.test.ts\`).
`;
    fs.writeFileSync(OUT, doc);
    process.stdout.write(`wrote ${path.relative(ROOT, OUT)}\n`);
  } finally {
    await handler.close();
    await srv.cleanup();
  }
}

await main();
