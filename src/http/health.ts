// Probes for process supervisors and load balancers: /healthz (the process answers) and /readyz (it can serve:
// the database answers within a deadline). Neither needs credentials or touches user data.
import type { FastifyInstance } from 'fastify';
import type { App } from '../app/index.ts';

const READY_DEADLINE_MS = 2000;

export function registerHealth(server: FastifyInstance, app: App): void {
  server.get('/healthz', async (_req, reply) => reply.type('application/json; charset=utf-8').send({ status: 'ok' }));

  server.get('/readyz', async (_req, reply) => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${READY_DEADLINE_MS} ms`)), READY_DEADLINE_MS);
    });
    try {
      // Any read proves the connection (SQLite file or PostgreSQL pool); migrations ran before the server listened.
      await Promise.race([app.store.portal.get('readyz'), deadline]);
      return reply.type('application/json; charset=utf-8').send({ status: 'ready', database: app.store.dialect });
    } catch (err) {
      return reply
        .code(503)
        .type('application/json; charset=utf-8')
        .send({ status: 'unavailable', database: app.store.dialect, error: (err as Error).message });
    } finally {
      clearTimeout(timer);
    }
  });
}
