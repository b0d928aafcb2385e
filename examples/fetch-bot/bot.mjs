// A Bitrix24 "Chat-bots 2.0" bot that runs anywhere, with no public URL: an inbound webhook URL and a token of your
// choosing are its whole configuration. It registers itself with eventMode "fetch" (imbot.v2.Bot.register, the same
// code again answers the same bot), adds a /help command, then polls imbot.v2.Event.get, acknowledging each batch
// with nextOffset, and answers: messages (ONIMBOTV2MESSAGEADD -> Chat.Message.send with a keyboard), the command
// (ONIMBOTV2COMMANDADD -> Command.answer) and being added to a chat (ONIMBOTV2JOINCHAT -> a greeting).
//
//   WEBHOOK_URL=http://localhost:8080/rest/1/<code>/ BOT_TOKEN=my_secret_token_123 node examples/fetch-bot/bot.mjs
//
// Optional: BOT_CODE (default support_bot), POLL_MS (the pause when no events came; default 1000), OFFSET_FILE (where
// the offset is kept between runs, so a restart neither repeats nor skips events; default: none, start from the queue).
import fs from 'node:fs';

const WEBHOOK_URL = process.env.WEBHOOK_URL;
const BOT_TOKEN = process.env.BOT_TOKEN;
const BOT_CODE = process.env.BOT_CODE ?? 'support_bot';
const POLL_MS = Number(process.env.POLL_MS ?? 1000);
const OFFSET_FILE = process.env.OFFSET_FILE;
if (!WEBHOOK_URL || !BOT_TOKEN) {
  console.error('Set WEBHOOK_URL (an inbound webhook with the imbot scope) and BOT_TOKEN (any secret of up to 40 characters)');
  process.exit(1);
}

async function call(method, params = {}) {
  const res = await fetch(`${WEBHOOK_URL.replace(/\/?$/, '/')}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ botToken: BOT_TOKEN, ...params }),
  });
  const answer = await res.json();
  if (answer.error) throw new Error(`${method}: ${answer.error} ${answer.error_description ?? ''}`);
  return answer.result;
}

const { bot } = await call('imbot.v2.Bot.register', {
  fields: { code: BOT_CODE, eventMode: 'fetch', properties: { name: 'Support Bot', workPosition: 'Runs with no public URL' } },
});
const botId = bot.id;
await call('imbot.v2.Command.register', { botId, fields: { command: 'help', title: { en: 'Help', ru: 'Помощь' }, params: { en: 'topic' } } });

async function onEvent(type, data) {
  if (type === 'ONIMBOTV2MESSAGEADD') {
    await call('imbot.v2.Chat.Message.send', {
      botId,
      dialogId: data.chat.dialogId,
      fields: {
        message: `You said: ${data.message.text}`,
        keyboard: [{ TEXT: 'Help', COMMAND: 'help', COMMAND_PARAMS: 'keyboard' }],
      },
    });
  } else if (type === 'ONIMBOTV2COMMANDADD') {
    await call('imbot.v2.Command.answer', {
      botId,
      commandId: data.command.id,
      messageId: data.message.id,
      dialogId: data.chat.dialogId,
      fields: { message: `Help on "${data.command.params || 'everything'}" (${data.command.context})` },
    });
  } else if (type === 'ONIMBOTV2JOINCHAT') {
    await call('imbot.v2.Chat.Message.send', { botId, dialogId: data.dialogId, fields: { message: 'Hi! Write to me, or try /help.' } });
  } else if (type === 'B24IM_EVENTS_DROPPED') {
    console.error(`missed ${data.count} events (the queue was full)`);
  }
}

let offset = OFFSET_FILE && fs.existsSync(OFFSET_FILE) ? Number(fs.readFileSync(OFFSET_FILE, 'utf8')) : undefined;
let stopping = false;
process.on('SIGTERM', () => (stopping = true));
process.on('SIGINT', () => (stopping = true));
console.log(`fetch bot ${botId} polling`);

while (!stopping) {
  let page;
  try {
    page = await call('imbot.v2.Event.get', { botId, limit: 100, ...(offset !== undefined ? { offset } : {}) });
  } catch (err) {
    console.error(String(err));
    await new Promise((resolve) => setTimeout(resolve, Math.max(POLL_MS, 1000)));
    continue;
  }
  for (const event of page.events) {
    try {
      await onEvent(event.type, event.data);
    } catch (err) {
      // One bad event must not stop the bot (it is acknowledged with the rest).
      console.error(`event ${event.eventId} ${event.type}: ${err}`);
    }
  }
  // The next call acknowledges everything handled here.
  offset = page.nextOffset;
  if (OFFSET_FILE) {
    // Written aside and renamed over: a crash (or a reader) never finds the file empty or half written.
    fs.writeFileSync(`${OFFSET_FILE}.tmp`, String(offset));
    fs.renameSync(`${OFFSET_FILE}.tmp`, OFFSET_FILE);
  }
  if (!page.hasMore && page.events.length === 0) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
}
