// An echo bot written for a Bitrix24 portal, with nothing specific to b24im: it registers itself when the
// application is installed (ONAPPINSTALL -> imbot.register) and answers every message it gets
// (ONIMBOTMESSAGEADD -> imbot.message.add) with the bot's own auth that came with the event.
//
//   PORT=8090 node --import tsx examples/echo-bot/bot.ts
//
// Optional: PUBLIC_URL (the URL the portal reaches this bot at; default: the URL the install event came to),
// B24_CLIENT_ID / B24_CLIENT_SECRET (to refresh an expired token through the OAuth server).
import http from 'node:http';

type Form = { [key: string]: string | Form };

interface Auth {
  access_token: string;
  refresh_token?: string;
  client_endpoint: string;
  server_endpoint: string;
  application_token: string;
}

const CODE = 'echobot';
let applicationToken: string | undefined;

/** A PHP-style form body (data[BOT][12][access_token]=...) as nested objects. */
function parseForm(body: string): Form {
  const out: Form = {};
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const path = key.replace(/\]/g, '').split('[');
    let node = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (typeof node[part] === 'object' ? node[part] : (node[part] = {})) as Form;
    });
  }
  return out;
}

/** Calls a REST method with an access token; refreshes it once when the portal says it has expired. */
async function call(auth: Auth, method: string, params: Record<string, unknown>): Promise<unknown> {
  const post = (token: string) =>
    fetch(`${auth.client_endpoint}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, auth: token }),
    }).then((r) => r.json() as Promise<{ result?: unknown; error?: string; error_description?: string }>);
  let answer = await post(auth.access_token);
  if (answer.error === 'expired_token' && auth.refresh_token && process.env.B24_CLIENT_ID && process.env.B24_CLIENT_SECRET) {
    // The OAuth server lives beside server_endpoint: https://oauth.bitrix.info/rest/ -> /oauth/token/.
    const url = new URL('/oauth/token/', auth.server_endpoint);
    url.search = new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: process.env.B24_CLIENT_ID,
      client_secret: process.env.B24_CLIENT_SECRET,
      refresh_token: auth.refresh_token,
    }).toString();
    const fresh = (await (await fetch(url)).json()) as { access_token?: string; refresh_token?: string };
    if (fresh.access_token) {
      auth.access_token = fresh.access_token;
      auth.refresh_token = fresh.refresh_token;
      answer = await post(auth.access_token);
    }
  }
  if (answer.error) throw new Error(`${method}: ${answer.error} ${answer.error_description ?? ''}`);
  return answer.result;
}

async function onEvent(form: Form, selfUrl: string): Promise<void> {
  const event = String(form.event ?? '').toUpperCase();
  const auth = form.auth as unknown as Auth | undefined;
  const data = (form.data ?? {}) as Form;
  // Events carry the application token the portal gave at installation: anything else is not from the portal.
  if (event !== 'ONAPPINSTALL' && applicationToken && auth?.application_token !== applicationToken) {
    throw new Error('event with a foreign application_token');
  }
  if (event === 'ONAPPINSTALL' && auth) {
    applicationToken = auth.application_token;
    const botId = await call(auth, 'imbot.register', {
      CODE,
      TYPE: 'B',
      EVENT_MESSAGE_ADD: selfUrl,
      EVENT_WELCOME_MESSAGE: selfUrl,
      EVENT_BOT_DELETE: selfUrl,
      PROPERTIES: { NAME: 'Echo', LAST_NAME: 'Bot', COLOR: 'GREEN', WORK_POSITION: 'Repeats what you write' },
    });
    console.log(`echo bot registered as user ${botId}`);
    return;
  }
  const bots = (data.BOT ?? {}) as Record<string, Form>;
  const params = (data.PARAMS ?? {}) as Record<string, string>;
  for (const [botId, botAuth] of Object.entries(bots)) {
    if (event === 'ONIMBOTMESSAGEADD') {
      await call(botAuth as unknown as Auth, 'imbot.message.add', { BOT_ID: botId, DIALOG_ID: params.DIALOG_ID, MESSAGE: `echo: ${params.MESSAGE}` });
    } else if (event === 'ONIMBOTJOINCHAT') {
      await call(botAuth as unknown as Auth, 'imbot.message.add', { BOT_ID: botId, DIALOG_ID: params.DIALOG_ID, MESSAGE: 'Hello! I repeat what you write.' });
    }
  }
}

const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    const selfUrl = process.env.PUBLIC_URL ?? `http://${req.headers.host}${req.url ?? '/'}`;
    onEvent(parseForm(body), selfUrl).then(
      () => res.writeHead(200, { 'content-type': 'text/plain' }).end('OK'),
      (err: Error) => {
        console.error(`echo bot: ${err.message}`);
        res.writeHead(500, { 'content-type': 'text/plain' }).end('error');
      },
    );
  });
});

server.listen(Number(process.env.PORT ?? 8090), process.env.HOST ?? '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`echo bot listening on http://${process.env.HOST ?? '127.0.0.1'}:${port}/`);
});
