// The classic bot platform beyond plain messages: commands (imbot.command.*, ONIMCOMMANDADD, im.message.command),
// the portal's keyboard / attach / menu rebuilding, portal shapes, imbot.chat.* and likes, over real HTTP with a
// recording handler standing in for the bot.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addApp, allStrings, HandlerServer, install } from './helpers/handler.ts';
import { ok, rest, startServer, type TestServer } from './helpers/server.ts';

describe('bot commands, keyboards and attachments', () => {
  let srv: TestServer;
  let handler: HandlerServer;
  let hook: string;
  let ivan: any;
  let peer: any;
  let strangerHook: string;
  let peerHook: string;
  let stranger: any;
  let appInfo: any;
  let olToken: string;
  let token: string;
  let botId: number;
  let echoId: number;
  let helpId: number;

  const call = (method: string, params: Record<string, unknown> = {}) => rest(`${srv.url}/rest/`, method, { ...params, auth: token });
  const events = (event: string) => handler.received.filter((r) => r.body.event === event);
  const waitEvent = (event: string, pred: (b: any) => boolean = () => true) => handler.waitFor((r) => r.body.event === event && pred(r.body));
  const history = async (dialog: string | number) => (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: dialog })).messages;

  before(async () => {
    srv = await startServer({ env: { B24IM_EVENT_POLL_MS: '100' } });
    handler = await HandlerServer.start();
    [ivan, peer, stranger, appInfo] = await Promise.all([
      srv.addUser('Ivan', 'Petrov'),
      srv.addUser('Peer'),
      srv.addUser('Stranger'),
      addApp(srv, 'cmdapp', `${handler.url}/install`),
      addApp(srv, 'olapp', `${handler.url}/olinstall`, 'imopenlines,imconnector,im,imbot'),
    ]);
    [hook, strangerHook, peerHook] = await Promise.all([srv.webhook(ivan.id), srv.webhook(stranger.id), srv.webhook(peer.id)]);
    await install(srv, 'cmdapp', ivan.id);
    token = (await handler.waitFor((r) => r.path === '/handler/install')).body.auth.access_token;
    await install(srv, 'olapp', ivan.id);
    olToken = (await handler.waitFor((r) => r.path === '/handler/olinstall')).body.auth.access_token;
    const bot = await call('imbot.register', { CODE: 'cmdbot', EVENT_HANDLER: `${handler.url}/bot`, PROPERTIES: { NAME: 'Cmd' } });
    botId = bot.body.result;
  });
  after(async () => {
    await handler.close();
    await srv.cleanup();
  });

  it('imbot.command.register stores commands and answers the documented errors', async () => {
    const lang = [{ LANGUAGE_ID: 'en', TITLE: 'Echo', PARAMS: 'text' }];
    const echo = await call('imbot.command.register', { BOT_ID: botId, COMMAND: '/echo', COMMON: 'Y', LANG: lang, EVENT_COMMAND_ADD: `${handler.url}/cmd` });
    assert.equal(echo.status, 200, JSON.stringify(echo.body));
    echoId = echo.body.result;
    assert.equal(typeof echoId, 'number');
    // The same command of the same bot is the same command.
    assert.equal((await call('imbot.command.register', { BOT_ID: botId, COMMAND: 'echo', LANG: lang, EVENT_COMMAND_ADD: `${handler.url}/cmd` })).body.result, echoId);
    helpId = (await call('imbot.command.register', { BOT_ID: botId, COMMAND: 'help', LANG: lang, EVENT_COMMAND_ADD: `${handler.url}/cmd` })).body.result;
    const cases: [Record<string, unknown>, string][] = [
      [{ COMMAND: 'x', LANG: lang, EVENT_COMMAND_ADD: handler.url }, 'BOT_ID_ERROR'],
      [{ BOT_ID: botId, COMMAND: 'x', LANG: lang }, 'EVENT_COMMAND_ADD_ERROR'],
      [{ BOT_ID: botId, COMMAND: 'x', LANG: lang, EVENT_COMMAND_ADD: 'ftp://x' }, 'EVENT_COMMAND_ADD_ERROR'],
      // Not on the application's host: its tokens would go elsewhere.
      [{ BOT_ID: botId, COMMAND: 'x', LANG: lang, EVENT_COMMAND_ADD: 'http://elsewhere.example/cmd' }, 'EVENT_COMMAND_ADD_ERROR'],
      [{ BOT_ID: botId, LANG: lang, EVENT_COMMAND_ADD: handler.url }, 'COMMAND_ERROR'],
      [{ BOT_ID: botId, COMMAND: 'x', EVENT_COMMAND_ADD: handler.url }, 'LANG_ERROR'],
    ];
    for (const [params, code] of cases) {
      const r = await call('imbot.command.register', params);
      assert.equal(r.status, 400, code);
      assert.equal(r.body.error, code);
    }
    assert.equal((await rest(hook, 'imbot.command.register', { BOT_ID: botId, COMMAND: 'x' })).status, 403);
    assert.equal((await call('imbot.command.update', { COMMAND_ID: echoId, FIELDS: {} })).body.error, 'WRONG_REQUEST');
    assert.equal((await call('imbot.command.update', { COMMAND_ID: 99999, FIELDS: { HIDDEN: 'Y' } })).body.error, 'COMMAND_ID_ERROR');
    assert.equal((await call('imbot.command.update', { COMMAND_ID: echoId, FIELDS: { HIDDEN: 'N', LANG: lang } })).body.result, true);
    const bound = (await call('event.get')).body.result.filter((h: any) => h.event === 'ONIMCOMMANDADD');
    assert.deepEqual(bound.map((h: any) => h.handler), [`${handler.url}/cmd`]);
  });

  it('a typed /command is ONIMCOMMANDADD (data[COMMAND][id] with the bot\'s auth), not ONIMBOTMESSAGEADD', async () => {
    const before = events('ONIMBOTMESSAGEADD').length;
    const messageId = await ok(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: '/echo hello world' });
    const got = await waitEvent('ONIMCOMMANDADD', (b) => b.data.PARAMS.MESSAGE_ID === String(messageId));
    const b = got.body;
    assert.ok(allStrings(b));
    assert.deepEqual(Object.keys(b.data), ['COMMAND', 'PARAMS', 'USER']);
    const entry = b.data.COMMAND[String(echoId)];
    assert.equal(entry.user_id, String(botId));
    assert.equal(entry.AUTH.access_token, entry.access_token);
    assert.equal(entry.application_token, b.auth.application_token);
    assert.deepEqual(
      { BOT_ID: entry.BOT_ID, BOT_CODE: entry.BOT_CODE, COMMAND: entry.COMMAND, COMMAND_ID: entry.COMMAND_ID, COMMAND_PARAMS: entry.COMMAND_PARAMS, COMMAND_CONTEXT: entry.COMMAND_CONTEXT, MESSAGE_ID: entry.MESSAGE_ID },
      { BOT_ID: String(botId), BOT_CODE: 'cmdbot', COMMAND: 'echo', COMMAND_ID: String(echoId), COMMAND_PARAMS: 'hello world', COMMAND_CONTEXT: 'TEXTAREA', MESSAGE_ID: String(messageId) },
    );
    assert.equal(b.data.PARAMS.MESSAGE, '/echo hello world');
    assert.equal(b.data.PARAMS.DIALOG_ID, String(ivan.id));
    assert.equal(b.data.PARAMS.TO_USER_ID, String(botId));
    assert.equal(b.data.PARAMS.CHAT_TYPE, 'P');
    assert.equal(b.data.USER.ID, String(ivan.id));
    assert.equal(b.auth.user_id, String(ivan.id));
    // A plain message after it still is a message event; the command never was one.
    await ok(hook, 'im.message.add', { DIALOG_ID: botId, MESSAGE: 'plain' });
    await waitEvent('ONIMBOTMESSAGEADD', (x) => x.data.PARAMS.MESSAGE === 'plain');
    assert.equal(events('ONIMBOTMESSAGEADD').filter((e) => e.body.data.PARAMS.MESSAGE.startsWith('/echo')).length, 0);
    assert.equal(events('ONIMBOTMESSAGEADD').length, before + 1);

    // The bot answers with the user's auth, as the EchoBot does; its keyboard keeps COMMAND buttons.
    const answer = await call('imbot.command.answer', {
      COMMAND_ID: echoId,
      MESSAGE_ID: messageId,
      MESSAGE: 'Answer',
      ATTACH: [{ MESSAGE: 'reply: hello world' }],
      KEYBOARD: [{ TEXT: 'Help', COMMAND: '/help', COMMAND_PARAMS: 'x', DISPLAY: 'LINE' }, { TYPE: 'NEWLINE' }, { TEXT: 'Site', LINK: 'https://example.com/?a=1&b=2' }],
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const [last] = await history(botId);
    assert.equal(last.id, answer.body.result);
    assert.equal(last.author_id, botId);
    assert.equal(last.text, 'Answer');
    assert.deepEqual(last.params.KEYBOARD, [
      { BOT_ID: botId, TYPE: 'BUTTON', COMMAND: 'help', COMMAND_PARAMS: 'x', TEXT: 'Help', VOTE: 'N', BLOCK: 'N', WAIT: 'N', CONTEXT: 'ALL', DISABLED: 'N', DISPLAY: 'LINE', BG_COLOR_TOKEN: 'base' },
      { TYPE: 'NEWLINE' },
      { BOT_ID: botId, TYPE: 'BUTTON', LINK: 'https://example.com/?a=1&amp;b=2', TEXT: 'Site', VOTE: 'N', BLOCK: 'N', WAIT: 'N', CONTEXT: 'ALL', DISABLED: 'N', DISPLAY: 'BLOCK', BG_COLOR_TOKEN: 'base' },
    ]);
    const [attach] = last.params.ATTACH;
    assert.deepEqual(Object.keys(attach), ['ID', 'BLOCKS', 'DESCRIPTION', 'COLOR', 'COLOR_TOKEN']);
    assert.deepEqual(attach.BLOCKS, [{ MESSAGE: 'reply: hello world' }]);
    assert.match(attach.COLOR, /^#[0-9a-f]{6}$/);
    const errors: [Record<string, unknown>, string][] = [
      [{ COMMAND_ID: 99999, MESSAGE_ID: messageId, MESSAGE: 'x' }, 'COMMAND_ID_ERROR'],
      [{ COMMAND_ID: echoId, MESSAGE: 'x' }, 'MESSAGE_ID_EMPTY'],
      [{ COMMAND_ID: echoId, MESSAGE_ID: messageId, MESSAGE: ' ' }, 'MESSAGE_EMPTY'],
      [{ COMMAND_ID: echoId, MESSAGE_ID: messageId, MESSAGE: 'x', ATTACH: [{ NOTHING: 1 }] }, 'ATTACH_ERROR'],
      [{ COMMAND_ID: echoId, MESSAGE_ID: messageId, MESSAGE: 'x', KEYBOARD: [{ TEXT: 'no target' }] }, 'KEYBOARD_ERROR'],
    ];
    for (const [params, code] of errors) assert.equal((await call('imbot.command.answer', params)).body.error, code, code);
  });

  it('im.message.command runs a button\'s command with COMMAND_CONTEXT KEYBOARD; the bot pages in place unedited', async () => {
    const [keyboardMessage] = await history(botId);
    assert.equal((await rest(hook, 'im.message.command', { MESSAGE_ID: keyboardMessage.id, BOT_ID: botId })).body.error, 'COMMAND_ERROR');
    assert.equal((await rest(hook, 'im.message.command', { MESSAGE_ID: keyboardMessage.id, COMMAND: 'help' })).body.error, 'BOT_ID_ERROR');
    assert.equal(await ok(hook, 'im.message.command', { MESSAGE_ID: keyboardMessage.id, BOT_ID: botId, COMMAND: 'help', COMMAND_PARAMS: 'x' }), true);
    const got = await waitEvent('ONIMCOMMANDADD', (b) => b.data.COMMAND[String(helpId)]?.COMMAND_CONTEXT === 'KEYBOARD');
    const entry = got.body.data.COMMAND[String(helpId)];
    assert.equal(entry.MESSAGE_ID, String(keyboardMessage.id));
    assert.equal(entry.COMMAND_PARAMS, 'x');
    assert.equal(got.body.data.PARAMS.MESSAGE, '/help x');
    // Paging in place: only the attachment and keyboard change, so the message is not marked edited.
    const upd = await call('imbot.message.update', { BOT_ID: botId, MESSAGE_ID: keyboardMessage.id, ATTACH: [{ MESSAGE: 'page 2' }], KEYBOARD: [{ TEXT: '1', COMMAND: 'help', COMMAND_PARAMS: '1' }] });
    assert.equal(upd.body.result, true, JSON.stringify(upd.body));
    const [paged] = await history(botId);
    assert.equal(paged.id, keyboardMessage.id);
    assert.deepEqual(paged.params.ATTACH[0].BLOCKS, [{ MESSAGE: 'page 2' }]);
    assert.equal(paged.params.KEYBOARD[0].COMMAND_PARAMS, '1');
    assert.equal(paged.params.IS_EDITED, undefined);
    // Someone outside the dialog cannot press its buttons.
    assert.equal((await rest(strangerHook, 'im.message.command', { MESSAGE_ID: keyboardMessage.id, BOT_ID: botId, COMMAND: 'help' })).body.error, 'PARAMS_ERROR');
  });

  it('a COMMON command works in a chat without its bot and is answered by a system message; others do not run', async () => {
    const chatId = await ok(hook, 'im.chat.add', { TITLE: 'No bot here' });
    await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: '/help me' });
    const messageId = await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'first line\n/echo in chat' });
    const got = await waitEvent('ONIMCOMMANDADD', (b) => b.data.PARAMS.MESSAGE_ID === String(messageId));
    assert.deepEqual(Object.keys(got.body.data.COMMAND), [String(echoId)]);
    assert.equal(got.body.data.PARAMS.DIALOG_ID, `chat${chatId}`);
    assert.equal(got.body.data.PARAMS.CHAT_ID, String(chatId));
    assert.deepEqual(got.body.data.PARAMS.BOT_IN_CHAT ?? {}, {});
    assert.equal(events('ONIMCOMMANDADD').filter((e) => e.body.data.PARAMS.MESSAGE === '/help me').length, 0);
    const id = (await call('imbot.command.answer', { COMMAND: 'echo', MESSAGE_ID: messageId, MESSAGE: 'in chat' })).body.result;
    const [last] = await history(`chat${chatId}`);
    assert.equal(last.id, id);
    assert.equal(last.author_id, botId);
    assert.match(last.text, new RegExp(`^Bot \\[USER=${botId}\\]\\[/USER\\] answered:\\n in chat$`));
  });

  it('keyboards, attachments and menus are rebuilt as a portal rebuilds them', async () => {
    // A person's COMMAND buttons are dropped; nothing valid left is KEYBOARD_ERROR.
    const onlyCommand = await rest(hook, 'im.message.add', { DIALOG_ID: peer.id, MESSAGE: 'x', KEYBOARD: [{ TEXT: 'Run', COMMAND: 'help' }] });
    assert.equal(onlyCommand.status, 400);
    assert.equal(onlyCommand.body.error, 'KEYBOARD_ERROR');
    const id = await ok(hook, 'im.message.add', {
      DIALOG_ID: peer.id,
      MESSAGE: 'rich',
      KEYBOARD: JSON.stringify({ BUTTONS: [{ TEXT: 'Run', COMMAND: 'help' }, { TEXT: 'Go', LINK: 'javascript:alert(1)' }, { TEXT: 'Put', ACTION: 'PUT', ACTION_VALUE: 'hi', BG_COLOR: '#fff', WIDTH: '50' }], COLORS: { TEXT_COLOR: '#000' } }),
      ATTACH: { COLOR: 'TRANSPARENT', DESCRIPTION: 'line\nbreak', BLOCKS: [{ USER: { NAME: 'Ann', USER_ID: '5' } }, { LINK: { LINK: 'javascript:x' } }, { GRID: [{ NAME: 'k', VALUE: 'v', DISPLAY: 'COLUMN' }] }, { DELIMITER: { SIZE: 0, COLOR: 'red' } }] },
      MENU: [{ TEXT: '<b>Copy</b>', ACTION: 'COPY', ACTION_VALUE: 'v' }, { TEXT: 'bad' }],
    });
    const [m] = (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: peer.id })).messages;
    assert.equal(m.id, id);
    assert.deepEqual(m.params.KEYBOARD, [
      { BOT_ID: 0, TYPE: 'BUTTON', ACTION: 'PUT', ACTION_VALUE: 'hi', TEXT: 'Put', VOTE: 'N', BLOCK: 'N', WAIT: 'N', CONTEXT: 'ALL', DISABLED: 'N', DISPLAY: 'BLOCK', WIDTH: 50, BG_COLOR: '#fff', BG_COLOR_TOKEN: 'base', TEXT_COLOR: '#000' },
    ]);
    assert.deepEqual(m.params.ATTACH, [
      {
        ID: m.params.ATTACH[0].ID,
        BLOCKS: [{ USER: [{ NAME: 'Ann', AVATAR_TYPE: 'USER', USER_ID: 5 }] }, { GRID: [{ DISPLAY: 'ROW', NAME: 'k', VALUE: 'v', COLOR_TOKEN: 'base' }] }, { DELIMITER: { SIZE: 200 } }],
        DESCRIPTION: 'line break',
        COLOR: 'transparent',
        COLOR_TOKEN: 'base',
      },
    ]);
    assert.deepEqual(m.params.MENU, [{ BOT_ID: 0, ACTION: 'COPY', ACTION_VALUE: 'v', TEXT: '&lt;b&gt;Copy&lt;/b&gt;', CONTEXT: 'ALL', DISABLED: 'N' }]);
    assert.equal((await rest(hook, 'im.message.add', { DIALOG_ID: peer.id, MESSAGE: 'x', ATTACH: 'not json' })).body.error, 'ATTACH_ERROR');
    assert.equal((await rest(hook, 'im.message.add', { DIALOG_ID: peer.id, MESSAGE: 'x', MENU: [{ TEXT: 'no target' }] })).body.error, 'MENU_ERROR');
    // An attach-only update is not an edit; a text update is.
    await ok(hook, 'im.message.update', { MESSAGE_ID: id, ATTACH: [{ MESSAGE: 'new' }] });
    let [after] = (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: peer.id })).messages;
    assert.equal(after.params.IS_EDITED, undefined);
    assert.deepEqual(after.params.ATTACH[0].BLOCKS, [{ MESSAGE: 'new' }]);
    await ok(hook, 'im.message.update', { MESSAGE_ID: id, MESSAGE: 'rich, edited' });
    [after] = (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: peer.id })).messages;
    assert.equal(after.params.IS_EDITED, 'Y');
  });

  it('shapes as a portal gives them: im.chat.get, mute_list, system CODE, bot_data, the bot opening a dialog', async () => {
    // im.chat.get (im_rest.php chatGet): DIALOG_ID gives the chat with dialog_id, ENTITY_TYPE + ENTITY_ID {ID}.
    const chatId = await ok(hook, 'im.chat.add', { TITLE: 'Entity chat', USERS: [peer.id], ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|7' });
    const byDialog = await ok(hook, 'im.chat.get', { DIALOG_ID: `chat${chatId}` });
    assert.equal(byDialog.id, chatId);
    assert.equal(byDialog.dialog_id, `chat${chatId}`);
    assert.deepEqual(await ok(hook, 'im.chat.get', { ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|7' }), { ID: chatId });
    assert.equal(await ok(hook, 'im.chat.get', { ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|8' }), null);
    assert.equal(await ok(hook, 'im.chat.get', {}), null);
    assert.equal((await rest(strangerHook, 'im.chat.get', { DIALOG_ID: `chat${chatId}` })).status, 403);
    assert.equal(await ok(strangerHook, 'im.chat.get', { ENTITY_TYPE: 'CRM', ENTITY_ID: 'DEAL|7' }), null);
    // mute_list (chat.php formatChatData): the caller's own id when muted, never another member's.
    await ok(peerHook, 'im.chat.mute', { CHAT_ID: chatId, ACTION: 'Y' });
    assert.deepEqual((await ok(hook, 'im.dialog.get', { DIALOG_ID: `chat${chatId}` })).mute_list, []);
    assert.deepEqual((await ok(peerHook, 'im.chat.get', { DIALOG_ID: `chat${chatId}` })).mute_list, [peer.id]);
    // A system message's params, as the docs' im.dialog.messages.get example shows them.
    const messages = (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` })).messages;
    assert.deepEqual(messages.at(-1).params, { CODE: ['CHAT_JOIN'], NOTIFY: 'N' });
    // bot_data (BotData::toRestFormat, snake case) for a bot user; null for people.
    const bot = await ok(hook, 'im.user.get', { ID: botId });
    assert.deepEqual(bot.bot_data, { id: botId, code: 'cmdbot', type: 'bot', app_id: appInfo.client_id, is_hidden: false, is_support_openline: false, openline: false, background_id: null, reactions_enabled: false });
    assert.equal((await ok(hook, 'im.user.get', { ID: peer.id })).bot_data, null);
    // A bot writing first to someone gets ONIMBOTJOINCHAT for that dialog.
    const first = await call('imbot.message.add', { BOT_ID: botId, DIALOG_ID: peer.id, MESSAGE: 'Hi, I am a bot' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const join = await waitEvent('ONIMBOTJOINCHAT', (b) => b.data.PARAMS.DIALOG_ID === String(peer.id));
    assert.equal(join.body.data.PARAMS.BOT_ID, String(botId));
    assert.equal(join.body.data.PARAMS.CHAT_TYPE, 'P');
    assert.equal(join.body.data.USER.ID, String(peer.id));
  });

  it('imbot.chat.* manage a chat as the bot; likes show in history; typing is accepted', async () => {
    const chatId = (await call('imbot.chat.add', { BOT_ID: botId, TITLE: 'Bot room', USERS: [ivan.id, peer.id], ENTITY_TYPE: 'BOTROOM', ENTITY_ID: '1' })).body.result;
    assert.deepEqual((await call('imbot.chat.get', { BOT_ID: botId, ENTITY_TYPE: 'BOTROOM', ENTITY_ID: '1' })).body.result, { ID: chatId });
    assert.deepEqual((await call('imbot.chat.user.list', { BOT_ID: botId, CHAT_ID: chatId })).body.result.sort(), [botId, ivan.id, peer.id].sort());
    assert.equal((await call('imbot.chat.updateTitle', { BOT_ID: botId, CHAT_ID: chatId, TITLE: 'Renamed room' })).body.result, true);
    assert.equal((await call('imbot.chat.updateColor', { BOT_ID: botId, CHAT_ID: chatId, COLOR: 'MINT' })).body.result, true);
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex').toString('base64');
    assert.equal((await call('imbot.chat.updateAvatar', { BOT_ID: botId, CHAT_ID: chatId, AVATAR: png })).body.result, true);
    assert.equal((await call('imbot.chat.updateAvatar', { BOT_ID: botId, CHAT_ID: chatId, AVATAR: 'bm90IGFuIGltYWdl' })).body.error, 'AVATAR_ERROR');
    assert.equal((await call('imbot.chat.setManager', { BOT_ID: botId, CHAT_ID: chatId, USER_ID: ivan.id })).body.result, true);
    assert.equal((await call('imbot.chat.setManager', { BOT_ID: botId, CHAT_ID: chatId, USER_ID: stranger.id })).body.error, 'WRONG_REQUEST');
    let chat = await ok(hook, 'im.chat.get', { DIALOG_ID: `chat${chatId}` });
    assert.equal(chat.name, 'Renamed room');
    assert.equal(chat.color, '#4ba984');
    assert.equal(chat.avatar, `data:image/png;base64,${png}`);
    assert.deepEqual(chat.manager_list.sort(), [botId, ivan.id].sort());
    assert.equal((await call('imbot.chat.setOwner', { BOT_ID: botId, CHAT_ID: chatId, USER_ID: peer.id })).body.result, true);
    chat = await ok(hook, 'im.chat.get', { DIALOG_ID: `chat${chatId}` });
    assert.equal(chat.owner, peer.id);
    assert.equal((await call('imbot.chat.user.delete', { BOT_ID: botId, CHAT_ID: chatId, USER_ID: ivan.id })).body.error, 'ACCESS_DENIED_KICK');
    assert.equal((await call('imbot.chat.setManager', { BOT_ID: botId, CHAT_ID: chatId, USER_ID: ivan.id, IS_MANAGER: 'N' })).body.error, 'WRONG_REQUEST');
    // Likes: the liker's id in params.LIKE; a second plus changes nothing.
    const messageId = await ok(hook, 'im.message.add', { DIALOG_ID: `chat${chatId}`, MESSAGE: 'like me' });
    assert.equal((await call('imbot.message.like', { BOT_ID: botId, MESSAGE_ID: messageId, ACTION: 'plus' })).body.result, true);
    assert.equal((await call('imbot.message.like', { BOT_ID: botId, MESSAGE_ID: messageId, ACTION: 'plus' })).body.error, 'WITHOUT_CHANGES');
    assert.equal(await ok(hook, 'im.message.like', { MESSAGE_ID: messageId }), true);
    let [liked] = (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 1 })).messages;
    assert.deepEqual(liked.params.LIKE, [botId, ivan.id]);
    assert.equal(await ok(hook, 'im.message.like', { MESSAGE_ID: messageId, ACTION: 'auto' }), true);
    [liked] = (await ok(hook, 'im.dialog.messages.get', { DIALOG_ID: `chat${chatId}`, LIMIT: 1 })).messages;
    assert.deepEqual(liked.params.LIKE, [botId]);
    assert.equal((await rest(strangerHook, 'im.message.like', { MESSAGE_ID: messageId })).status, 403);
    assert.equal(await ok(hook, 'im.dialog.writing', { DIALOG_ID: `chat${chatId}` }), true);
    assert.equal((await call('imbot.chat.sendTyping', { BOT_ID: botId, DIALOG_ID: `chat${chatId}` })).body.result, true);
  });

  it('open-line bots: the welcome bot takes new sessions, gets every message, and hands over with imopenlines.bot.session.*', async () => {
    const ol = (method: string, params: Record<string, unknown> = {}) => rest(`${srv.url}/rest/`, method, { ...params, auth: olToken });
    const olBot = (await ol('imbot.register', { CODE: 'olbot', TYPE: 'O', EVENT_HANDLER: `${handler.url}/ol`, PROPERTIES: { NAME: 'Line bot' } })).body.result;
    assert.equal((await ol('imconnector.register', { ID: 'olc', NAME: 'Chat', ICON: { DATA_IMAGE: 'data:image/svg+xml;charset=US-ASCII,%3Csvg%3E%3C%2Fsvg%3E', COLOR: '#a6ffa3' }, PLACEMENT_HANDLER: 'https://example.com/p' })).status, 200);
    const lineId = (await ol('imopenlines.config.add', { PARAMS: { LINE_NAME: 'Bot line', QUEUE: [{ ENTITY_TYPE: 'user', ENTITY_ID: String(peer.id) }], QUEUE_TYPE: 'all', WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: String(olBot), WELCOME_MESSAGE: 'Y', WELCOME_MESSAGE_TEXT: 'Hello from the line' } })).body.result;
    assert.equal((await ol('imconnector.activate', { CONNECTOR: 'olc', LINE: lineId, ACTIVE: 1 })).body.result, true);
    const customer = (id: string, text: string) => ({ user: { id, name: 'Jane' }, message: { id: `m-${id}-${text}`, date: Math.floor(Date.now() / 1000), text }, chat: { id: `c-${id}` } });
    const send = async (id: string, text: string) => (await ol('imconnector.send.messages', { CONNECTOR: 'olc', LINE: lineId, MESSAGES: [customer(id, text)] })).body.result;
    await send('a', 'I need help');
    const join = await handler.waitFor((r) => r.path === '/handler/ol' && r.body.event === 'ONIMBOTJOINCHAT');
    assert.equal(join.body.data.PARAMS.CHAT_ENTITY_TYPE, 'LINES');
    const chatId = Number(join.body.data.PARAMS.CHAT_ID);
    const got = await handler.waitFor((r) => r.path === '/handler/ol' && r.body.event === 'ONIMBOTMESSAGEADD' && r.body.data.PARAMS.MESSAGE === 'I need help');
    assert.equal(got.body.data.PARAMS.CHAT_ENTITY_TYPE, 'LINES');
    // The bot, not the line's operator, holds the new session; it answers as itself.
    const botAuth = got.body.data.BOT[String(olBot)].access_token;
    const asBot = (method: string, params: Record<string, unknown>) => ok(`${srv.url}/rest/`, method, { ...params, auth: botAuth });
    assert.deepEqual((await asBot('im.chat.user.list', { CHAT_ID: chatId })).includes(peer.id), false);
    assert.equal(typeof (await ol('imbot.message.add', { BOT_ID: olBot, DIALOG_ID: `chat${chatId}`, MESSAGE: 'Bot here' })).body.result, 'number');
    assert.equal((await ol('imopenlines.bot.session.message.send', { CHAT_ID: chatId, NAME: 'WELCOME' })).body.result, true);
    const texts = (await asBot('im.dialog.messages.get', { DIALOG_ID: `chat${chatId}` })).messages.map((m: any) => m.text);
    assert.deepEqual(texts.slice(0, 2), ['Hello from the line', 'Bot here']);
    // Handing over: the bot leaves, the queue's operator joins.
    assert.equal((await ol('imopenlines.bot.session.operator', { CHAT_ID: chatId })).body.result, true);
    assert.ok((await ok(peerHook, 'im.chat.user.list', { CHAT_ID: chatId })).includes(peer.id));
    assert.equal((await ol('imopenlines.bot.session.operator', { CHAT_ID: chatId })).body.error, 'ACCESS_DENIED');
    // A second customer: transferred to a chosen user, the bot leaving; a third: finished by the bot.
    await send('b', 'Second');
    const join2 = await handler.waitFor((r) => r.path === '/handler/ol' && r.body.event === 'ONIMBOTJOINCHAT' && Number(r.body.data.PARAMS.CHAT_ID) !== chatId);
    const chat2 = Number(join2.body.data.PARAMS.CHAT_ID);
    assert.equal((await ol('imopenlines.bot.session.transfer', { CHAT_ID: chat2 })).body.error, 'TRANSFER_ID_EMPTY');
    assert.equal((await ol('imopenlines.bot.session.transfer', { CHAT_ID: chat2, USER_ID: ivan.id, LEAVE: 'Y' })).body.result, true);
    assert.deepEqual((await ok(hook, 'im.chat.user.list', { CHAT_ID: chat2 })).includes(olBot), false);
    assert.equal((await ol('imopenlines.bot.session.finish', { CHAT_ID: 0 })).body.error, 'CHAT_ID_EMPTY');
  });

  it('unregistering a command or its bot removes it; the last one takes the handler', async () => {
    assert.equal((await call('imbot.command.unregister', { COMMAND_ID: helpId })).body.result, true);
    assert.equal((await call('imbot.command.unregister', { COMMAND_ID: helpId })).body.error, 'COMMAND_ID_ERROR');
    assert.equal((await call('imbot.unregister', { BOT_ID: botId })).body.result, true);
    assert.equal((await call('imbot.command.answer', { COMMAND_ID: echoId, MESSAGE_ID: 1, MESSAGE: 'x' })).body.error, 'COMMAND_ID_ERROR');
    const bound = (await call('event.get')).body.result.filter((h: any) => h.event === 'ONIMCOMMANDADD');
    assert.deepEqual(bound, []);
  });
});
