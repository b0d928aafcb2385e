import type { Kysely } from 'kysely';
import type { ConnectorLineRow, ConnectorRow, Database, LinePatch, LineRow, NewLine, NewSession, QueueRow, QuickAnswerRow, SessionPatch, SessionRow } from '../schema.ts';
import type { OpenLinesRepo } from '../store.ts';

/** Session statuses at or above this are closed (close, spam, duplicate, silently closed). */
const CLOSED_FROM = 60;
/** Taken sessions (answered) up to, not including, "waiting for the customer" (50): what pinAll acts on. */
const TAKEN_FROM = 10;
const WAIT_CLIENT = 50;

export class SqlOpenLinesRepo implements OpenLinesRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  createLine(row: NewLine): Promise<LineRow> {
    return this.db.insertInto('ol_lines').values(row).returningAll().executeTakeFirstOrThrow();
  }

  line(id: number): Promise<LineRow | undefined> {
    return this.db.selectFrom('ol_lines').selectAll().where('id', '=', id).executeTakeFirst();
  }

  lineForUpdate(id: number): Promise<LineRow | undefined> {
    const q = this.db.selectFrom('ol_lines').selectAll().where('id', '=', id);
    return (this.dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
  }

  lines(): Promise<LineRow[]> {
    return this.db.selectFrom('ol_lines').selectAll().orderBy('id').execute();
  }

  async updateLine(id: number, patch: LinePatch): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('ol_lines').set(patch).where('id', '=', id).execute();
  }

  async deleteLine(id: number): Promise<void> {
    await this.db.deleteFrom('ol_queue').where('line_id', '=', id).execute();
    await this.db.deleteFrom('ol_connector_lines').where('line_id', '=', id).execute();
    await this.db.deleteFrom('ol_lines').where('id', '=', id).execute();
  }

  async setQueue(lineId: number, entries: { userId: number; departmentId: number }[]): Promise<void> {
    await this.db.deleteFrom('ol_queue').where('line_id', '=', lineId).execute();
    if (entries.length === 0) return;
    await this.db
      .insertInto('ol_queue')
      .values(entries.map((e, i) => ({ line_id: lineId, user_id: e.userId, sort: i, department_id: e.departmentId })))
      .execute();
  }

  queue(lineId: number): Promise<QueueRow[]> {
    return this.db.selectFrom('ol_queue').selectAll().where('line_id', '=', lineId).orderBy('sort').orderBy('id').execute();
  }

  connector(id: string): Promise<ConnectorRow | undefined> {
    return this.db.selectFrom('ol_connectors').selectAll().where('id', '=', id).executeTakeFirst();
  }

  connectors(): Promise<ConnectorRow[]> {
    return this.db.selectFrom('ol_connectors').selectAll().orderBy('id').execute();
  }

  async saveConnector(row: ConnectorRow): Promise<void> {
    const { id: _id, date_create: _created, ...rest } = row;
    await this.db
      .insertInto('ol_connectors')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(rest))
      .execute();
  }

  async deleteConnector(id: string): Promise<void> {
    await this.db.deleteFrom('ol_connector_lines').where('connector_id', '=', id).execute();
    await this.db.deleteFrom('ol_connectors').where('id', '=', id).execute();
  }

  connectorLine(connectorId: string, lineId: number): Promise<ConnectorLineRow | undefined> {
    return this.db
      .selectFrom('ol_connector_lines')
      .selectAll()
      .where('connector_id', '=', connectorId)
      .where('line_id', '=', lineId)
      .executeTakeFirst();
  }

  async setConnectorLine(row: Omit<ConnectorLineRow, 'data'>): Promise<void> {
    await this.db
      .insertInto('ol_connector_lines')
      .values({ ...row, data: '{}' })
      .onConflict((oc) => oc.columns(['connector_id', 'line_id']).doUpdateSet({ active: row.active, date_update: row.date_update }))
      .execute();
  }

  async setConnectorData(connectorId: string, lineId: number, data: string, now: number): Promise<void> {
    await this.db
      .insertInto('ol_connector_lines')
      .values({ connector_id: connectorId, line_id: lineId, active: 0, date_update: now, data })
      .onConflict((oc) => oc.columns(['connector_id', 'line_id']).doUpdateSet({ data, date_update: now }))
      .execute();
  }

  async customer(connectorId: string, externalId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('ol_customers')
      .select('user_id')
      .where('connector_id', '=', connectorId)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    return row?.user_id;
  }

  async addCustomer(connectorId: string, externalId: string, userId: number): Promise<void> {
    await this.db.insertInto('ol_customers').values({ connector_id: connectorId, external_id: externalId, user_id: userId }).execute();
  }

  async chatIdByUserCode(userCode: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('chats')
      .select('id')
      .where('entity_type', '=', 'LINES')
      .where('entity_id', '=', userCode)
      .where('type', '=', 'L')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row?.id;
  }

  createSession(row: NewSession): Promise<SessionRow> {
    return this.db.insertInto('ol_sessions').values(row).returningAll().executeTakeFirstOrThrow();
  }

  session(id: number): Promise<SessionRow | undefined> {
    return this.db.selectFrom('ol_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async updateSession(id: number, patch: SessionPatch): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('ol_sessions').set(patch).where('id', '=', id).execute();
  }

  lastSession(chatId: number): Promise<SessionRow | undefined> {
    return this.db.selectFrom('ol_sessions').selectAll().where('chat_id', '=', chatId).orderBy('id', 'desc').limit(1).executeTakeFirst();
  }

  async lastSessions(chatIds: readonly number[]): Promise<Map<number, SessionRow>> {
    const out = new Map<number, SessionRow>();
    if (chatIds.length === 0) return out;
    const newest = this.db
      .selectFrom('ol_sessions')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('chat_id', 'in', [...new Set(chatIds)])
      .groupBy('chat_id');
    const rows = await this.db.selectFrom('ol_sessions').selectAll().where('id', 'in', newest).execute();
    for (const r of rows) out.set(r.chat_id, r);
    return out;
  }

  async openSessionCounts(lineId: number): Promise<Map<number, number>> {
    const rows = await this.db
      .selectFrom('ol_sessions')
      .select(['operator_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('line_id', '=', lineId)
      .where('status', '<', CLOSED_FROM)
      .where('operator_id', '>', 0)
      .groupBy('operator_id')
      .execute();
    return new Map(rows.map((r) => [r.operator_id, Number(r.n)]));
  }

  takenSessions(operatorId: number, pinned: boolean): Promise<SessionRow[]> {
    return this.db
      .selectFrom('ol_sessions')
      .selectAll()
      .where('operator_id', '=', operatorId)
      .where('status', '>=', TAKEN_FROM)
      .where('status', '<', WAIT_CLIENT)
      .where('pinned', '=', pinned ? 1 : 0)
      .orderBy('id', 'desc')
      .execute();
  }

  quickAnswer(lineId: number, by: { messageId: number } | { text: string }): Promise<QuickAnswerRow | undefined> {
    let q = this.db.selectFrom('ol_quick_answers').selectAll().where('line_id', '=', lineId);
    q = 'messageId' in by ? q.where('message_id', '=', by.messageId) : q.where('text', '=', by.text);
    return q.orderBy('id').limit(1).executeTakeFirst();
  }

  async addQuickAnswer(row: Omit<QuickAnswerRow, 'id'>): Promise<void> {
    await this.db.insertInto('ol_quick_answers').values(row).execute();
  }

  async updateQuickAnswer(id: number, text: string, now: number): Promise<void> {
    await this.db.updateTable('ol_quick_answers').set({ text, date_modify: now }).where('id', '=', id).execute();
  }
}
