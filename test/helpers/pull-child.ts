// Runs the official SDK's pull client (B24PullClientManager, unchanged) in its own Node process against b24im, and
// reports what it receives as JSON lines on stdout. Node lacks the browser globals the client reads, so this file
// provides them: `window` (an EventTarget), `WebSocket` (the `ws` package, wrapped only to report each URL opened)
// and, after the SDK is imported, `document.location` (protocol 4 reads it). Nothing of the SDK is patched.
// Input: env PULL_CHILD = {"webhook": "https://…/rest/1/code/", "userId": 1}.
import { WebSocket as WsSocket } from 'ws';

function report(obj: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...obj, at: Date.now() })}\n`);
}

class ReportingWebSocket extends WsSocket {
  constructor(url: string, protocols?: string | string[]) {
    report({ type: 'socket', url });
    super(url, protocols);
  }
}

const g = globalThis as any;
g.window = Object.assign(new EventTarget(), { WebSocket: ReportingWebSocket });
g.WebSocket = ReportingWebSocket;

const { B24Hook, B24PullClientManager } = await import('@bitrix24/b24jssdk');
const input = JSON.parse(process.env.PULL_CHILD ?? '{}') as { webhook: string; userId: number };
g.document = { location: { href: input.webhook.replace(/^https/, 'http') } };

const b24 = B24Hook.fromWebhookUrl(input.webhook);
const client = new B24PullClientManager({ b24, userId: input.userId, siteId: 's1' } as any);
client.subscribe({
  moduleId: 'im',
  callback: (data: { command: string; params: unknown; extra: any }) =>
    report({ type: 'event', moduleId: 'im', command: data.command, params: data.params, extra: data.extra }),
} as any);
client.subscribe({
  type: 'online',
  callback: (data: { command: string; params: unknown }) => report({ type: 'event', moduleId: 'online', command: data.command, params: data.params }),
} as any);
client.subscribe({ type: 'status', callback: (data: { status: string }) => report({ type: 'status', status: data.status }) } as any);
client.subscribe({
  type: 'server',
  moduleId: 'application',
  callback: (data: { command: string; params: unknown }) => report({ type: 'event', moduleId: 'application', command: data.command, params: data.params }),
} as any);

process.stdin.on('data', () => {});
process.stdin.on('end', () => process.exit(0));
try {
  await client.start();
  report({ type: 'started' });
} catch (err) {
  report({ type: 'error', message: String((err as Error)?.message ?? JSON.stringify(err)) });
}
