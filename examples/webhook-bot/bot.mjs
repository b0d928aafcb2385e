// A chat bot written the simple way portal bots are written: an inbound webhook URL in its configuration and an
// HTTP handler, nothing else (no application, no OAuth). It registers itself through the webhook with a CLIENT_ID
// (imbot.register), adds an /echo command (imbot.command.register), answers every message (ONIMBOTMESSAGEADD ->
// imbot.message.add) and the command (ONIMCOMMANDADD -> imbot.command.answer), naming its CLIENT_ID in each call.
//
//   WEBHOOK_URL=http://localhost:8080/rest/1/<code>/ PORT=8091 node examples/webhook-bot/bot.mjs
//
// Optional: CLIENT_ID (any string you keep; default below), PUBLIC_URL (where the portal reaches this handler).
import http from 'node:http';

const WEBHOOK_URL = process.env.WEBHOOK_URL;
const CLIENT_ID = process.env.CLIENT_ID ?? 'webhook-echo-bot-7f3c';
if (!WEBHOOK_URL) {
  console.error('Set WEBHOOK_URL to an inbound webhook with the imbot scope');
  process.exit(1);
}

/** A PHP-style form body (data[PARAMS][MESSAGE]=...) as nested objects. */
function parseForm(body) {
  const out = {};
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const decode = (s) => decodeURIComponent(s.replace(/\+/g, ' '));
    const path = decode(eq < 0 ? pair : pair.slice(0, eq)).replace(/\]/g, '').split('[');
    let node = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = eq < 0 ? '' : decode(pair.slice(eq + 1));
      else node = typeof node[part] === 'object' ? node[part] : (node[part] = {});
    });
  }
  return out;
}

async function call(method, params) {
  const res = await fetch(`${WEBHOOK_URL}${method}.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...params, CLIENT_ID }),
  });
  const answer = await res.json();
  if (answer.error) throw new Error(`${method}: ${answer.error} ${answer.error_description ?? ''}`);
  return answer.result;
}

let botId = 0;
let applicationToken;

async function onEvent(form) {
  // The first event tells the application token; later ones must carry the same (they come from the portal).
  applicationToken ??= form.auth?.application_token;
  if (form.auth?.application_token !== applicationToken) return;
  const params = form.data?.PARAMS ?? {};
  if (form.event === 'ONIMBOTMESSAGEADD') {
    await call('imbot.message.add', { BOT_ID: botId, DIALOG_ID: params.DIALOG_ID, MESSAGE: `You said: ${params.MESSAGE}` });
  } else if (form.event === 'ONIMCOMMANDADD') {
    for (const command of Object.values(form.data.COMMAND ?? {})) {
      await call('imbot.command.answer', {
        COMMAND_ID: command.COMMAND_ID,
        MESSAGE_ID: command.MESSAGE_ID,
        MESSAGE: `echo: ${command.COMMAND_PARAMS}`,
      });
    }
  } else if (form.event === 'ONIMBOTJOINCHAT') {
    await call('imbot.message.add', { BOT_ID: botId, DIALOG_ID: params.DIALOG_ID, MESSAGE: 'Hi! Write to me, or try /echo text.' });
  }
}

const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    onEvent(parseForm(body)).catch((err) => console.error(err.message));
    res.end('OK');
  });
});

server.listen(Number(process.env.PORT ?? 8091), '127.0.0.1', async () => {
  const handler = process.env.PUBLIC_URL ?? `http://127.0.0.1:${server.address().port}/`;
  botId = await call('imbot.register', { CODE: 'webhook_echo', TYPE: 'B', EVENT_HANDLER: handler, PROPERTIES: { NAME: 'Webhook Echo' } });
  await call('imbot.command.register', { BOT_ID: botId, COMMAND: 'echo', COMMON: 'N', HIDDEN: 'N', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Repeats the text', PARAMS: 'text' }], EVENT_COMMAND_ADD: handler });
  console.log(`webhook bot ${botId} listening on ${handler}`);
});
