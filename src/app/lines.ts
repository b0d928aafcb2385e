// Open lines (imopenlines.config.*): a line, its operator queue and its settings.
import { Errors } from '../errors.ts';
import type { LineRow, QueueRow, Store, UserRow } from '../store/store.ts';
import type { Clock } from './clock.ts';

export const QUEUE_TYPES = ['evenly', 'strictly', 'all'] as const;
export type QueueType = (typeof QUEUE_TYPES)[number];

export interface QueueEntity {
  entityType: 'user' | 'department';
  entityId: number;
}

/** A line's fields as a client sets them; undefined leaves a field as it is (update). */
export interface LineInput {
  name?: string;
  active?: boolean;
  queueType?: QueueType;
  welcomeMessage?: boolean;
  welcomeMessageText?: string;
  queue?: QueueEntity[];
  /** Every other PARAMS field, stored as given. */
  settings: Record<string, unknown>;
}

export interface LineView {
  line: LineRow;
  queue: QueueRow[];
  users: Map<number, UserRow>;
}

/** Who may answer customers: active people (no bots, no connector customers). */
export function canOperate(u: UserRow): boolean {
  return u.active === 1 && !u.bot && !u.connector;
}

export class LinesService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async add(actor: UserRow, input: LineInput): Promise<number> {
    const now = this.clock();
    return this.store.transaction(async (tx) => {
      const line = await tx.openlines.createLine({
        name: input.name?.trim() ?? '',
        active: input.active === false ? 0 : 1,
        queue_type: input.queueType ?? 'evenly',
        welcome_message: input.welcomeMessage ? 1 : 0,
        welcome_message_text: input.welcomeMessageText ?? '',
        settings: JSON.stringify(input.settings),
        config_queue: JSON.stringify(toConfigQueue(input.queue ?? [])),
        author_id: actor.id,
        modify_user_id: actor.id,
        date_create: now,
        date_modify: now,
      });
      // A portal names an unnamed line after its number.
      if (!line.name) await tx.openlines.updateLine(line.id, { name: `Open line ${line.id}` });
      await tx.openlines.setQueue(line.id, await this.expandQueue(tx, input.queue ?? []));
      return line.id;
    });
  }

  /** False when there is no such line. */
  async update(actor: UserRow, id: number, input: LineInput): Promise<boolean> {
    const now = this.clock();
    return this.store.transaction(async (tx) => {
      const line = await tx.openlines.line(id);
      if (!line) return false;
      if (!this.canManage(actor, line)) throw Errors.method('CONFIG_WRONG_USER_PERMISSION', 'Permission denied', 403);
      const settings = { ...(JSON.parse(line.settings) as Record<string, unknown>), ...input.settings };
      await tx.openlines.updateLine(id, {
        ...(input.name !== undefined && input.name.trim() ? { name: input.name.trim() } : {}),
        ...(input.active !== undefined ? { active: input.active ? 1 : 0 } : {}),
        ...(input.queueType !== undefined ? { queue_type: input.queueType } : {}),
        ...(input.welcomeMessage !== undefined ? { welcome_message: input.welcomeMessage ? 1 : 0 } : {}),
        ...(input.welcomeMessageText !== undefined ? { welcome_message_text: input.welcomeMessageText } : {}),
        ...(input.queue !== undefined ? { config_queue: JSON.stringify(toConfigQueue(input.queue)) } : {}),
        settings: JSON.stringify(settings),
        modify_user_id: actor.id,
        date_modify: now,
      });
      if (input.queue !== undefined) await tx.openlines.setQueue(id, await this.expandQueue(tx, input.queue));
      return true;
    });
  }

  /** False when there is no such line. */
  async delete(actor: UserRow, id: number): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const line = await tx.openlines.line(id);
      if (!line) return false;
      if (!this.canManage(actor, line)) throw Errors.method('CONFIG_WRONG_USER_PERMISSION', 'Permission denied', 403);
      await tx.openlines.deleteLine(id);
      return true;
    });
  }

  async view(id: number): Promise<LineView | undefined> {
    const line = await this.store.openlines.line(id);
    if (!line) return undefined;
    return (await this.views([line]))[0];
  }

  async list(): Promise<LineView[]> {
    return this.views(await this.store.openlines.lines());
  }

  /** Operators of a line who can take a session now, in queue order. */
  async operatorIds(tx: Store, lineId: number): Promise<number[]> {
    const queue = await tx.openlines.queue(lineId);
    const users = new Map((await tx.users.getMany(queue.map((q) => q.user_id))).map((u) => [u.id, u]));
    const ids: number[] = [];
    for (const q of queue) {
      const u = users.get(q.user_id);
      if (u && canOperate(u) && !ids.includes(u.id)) ids.push(u.id);
    }
    return ids;
  }

  /** Administrators and the line's creator change a line ("right to modify open lines"). */
  canManage(actor: UserRow, line: LineRow): boolean {
    return actor.is_admin === 1 || line.author_id === actor.id;
  }

  private async views(lines: LineRow[]): Promise<LineView[]> {
    const out: LineView[] = [];
    for (const line of lines) {
      const queue = await this.store.openlines.queue(line.id);
      const users = new Map((await this.store.users.getMany(queue.map((q) => q.user_id))).map((u) => [u.id, u]));
      out.push({ line, queue, users });
    }
    return out;
  }

  /** Users listed directly and the members of listed departments, each once, in the order given. */
  private async expandQueue(tx: Store, queue: QueueEntity[]): Promise<{ userId: number; departmentId: number }[]> {
    const out: { userId: number; departmentId: number }[] = [];
    const seen = new Set<number>();
    const direct = new Map((await tx.users.getMany(queue.filter((q) => q.entityType === 'user').map((q) => q.entityId))).map((u) => [u.id, u]));
    const everyone = queue.some((q) => q.entityType === 'department') ? await tx.users.list({ activeOnly: true }) : [];
    for (const q of queue) {
      if (q.entityType === 'user') {
        const u = direct.get(q.entityId);
        if (u && canOperate(u) && !seen.has(u.id)) {
          seen.add(u.id);
          out.push({ userId: u.id, departmentId: 0 });
        }
        continue;
      }
      for (const u of everyone) {
        if (seen.has(u.id) || !canOperate(u) || !(JSON.parse(u.departments) as number[]).includes(q.entityId)) continue;
        seen.add(u.id);
        out.push({ userId: u.id, departmentId: q.entityId });
      }
    }
    return out;
  }
}

function toConfigQueue(queue: QueueEntity[]): { ENTITY_TYPE: string; ENTITY_ID: string }[] {
  return queue.map((q) => ({ ENTITY_TYPE: q.entityType, ENTITY_ID: String(q.entityId) }));
}
