// The company structure: departments in a tree under department 1 (the company), each with an optional head;
// a user's departments are the ids in users.departments. Read whole: a company has tens or hundreds of
// departments, and the member lookups scan the active users once per call (fine into the tens of thousands).
import { Errors } from '../errors.ts';
import type { DepartmentRow, Store, UserRow } from '../store/store.ts';

export const ROOT_DEPARTMENT = 1;

export function departmentsOf(user: UserRow): number[] {
  return JSON.parse(user.departments) as number[];
}

export class DepartmentsService {
  constructor(private readonly store: Store) {}

  async byId(): Promise<Map<number, DepartmentRow>> {
    return new Map((await this.store.departments.all()).map((d) => [d.id, d]));
  }

  /** "Name / Parent / … / Company", as a portal's full_name names a department in its structure. */
  fullName(id: number, all: Map<number, DepartmentRow>): string {
    const names: string[] = [];
    for (let d = all.get(id), guard = 0; d && guard < 100; d = all.get(d.parent_id), guard++) names.push(d.name);
    return names.join(' / ');
  }

  async add(input: { name: string; parentId?: number; headId?: number }): Promise<DepartmentRow> {
    const name = input.name.trim();
    if (!name) throw Errors.method('NAME_EMPTY', 'Department name can\'t be empty');
    return this.store.transaction(async (tx) => {
      await tx.lock('departments');
      const parentId = input.parentId ?? ROOT_DEPARTMENT;
      if (!(await tx.departments.get(parentId))) throw Errors.method('PARENT_NOT_FOUND', `Department ${parentId} not found`);
      if (input.headId) await this.requireUser(tx, input.headId);
      return tx.departments.add({ name, parent_id: parentId, head_id: input.headId ?? 0 });
    });
  }

  /** Moves a department under another; never under itself or one of its own subdepartments. */
  async move(id: number, parentId: number): Promise<void> {
    await this.store.transaction(async (tx) => {
      await tx.lock('departments');
      const all = new Map((await tx.departments.all()).map((d) => [d.id, d]));
      if (id === ROOT_DEPARTMENT) throw Errors.method('ROOT_DEPARTMENT', 'The company department has no parent');
      if (!all.has(id)) throw Errors.method('NOT_FOUND', `Department ${id} not found`);
      if (!all.has(parentId)) throw Errors.method('PARENT_NOT_FOUND', `Department ${parentId} not found`);
      for (let d = all.get(parentId); d; d = all.get(d.parent_id)) {
        if (d.id === id) throw Errors.method('CYCLE', 'A department cannot move under itself or its subdepartments');
      }
      await tx.departments.update(id, { parent_id: parentId });
    });
  }

  async update(id: number, patch: { name?: string; headId?: number }): Promise<void> {
    await this.store.transaction(async (tx) => {
      if (!(await tx.departments.get(id))) throw Errors.method('NOT_FOUND', `Department ${id} not found`);
      if (patch.headId) await this.requireUser(tx, patch.headId);
      await tx.departments.update(id, {
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.headId !== undefined ? { head_id: patch.headId } : {}),
      });
    });
  }

  /** Sets the departments a user belongs to (every id must exist). */
  async assign(userId: number, departmentIds: number[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      await this.requireUser(tx, userId);
      const all = new Map((await tx.departments.all()).map((d) => [d.id, d]));
      const missing = departmentIds.filter((id) => !all.has(id));
      if (missing.length) throw Errors.method('NOT_FOUND', `Department ${missing.join(', ')} not found`);
      await tx.users.update(userId, { departments: JSON.stringify([...new Set(departmentIds)]) });
    });
  }

  /** Active members of each department (direct members), by user id. */
  async employees(ids: number[]): Promise<Map<number, number[]>> {
    const out = new Map(ids.map((id) => [id, [] as number[]]));
    for (const u of await this.activeUsers()) {
      for (const d of departmentsOf(u)) out.get(d)?.push(u.id);
    }
    return out;
  }

  /**
   * A user's colleagues, as the portal's colleagues list gathers them: the members and heads of the user's own
   * departments and the members of the departments the user heads; never the user. By id.
   */
  async colleagues(user: UserRow): Promise<number[]> {
    const all = await this.byId();
    const own = new Set(departmentsOf(user));
    const headed = new Set([...all.values()].filter((d) => d.head_id === user.id).map((d) => d.id));
    const ids = new Set<number>();
    for (const d of own) {
      const head = all.get(d)?.head_id;
      if (head) ids.add(head);
    }
    for (const u of await this.activeUsers()) {
      if (departmentsOf(u).some((d) => own.has(d) || headed.has(d))) ids.add(u.id);
    }
    ids.delete(user.id);
    return [...ids].sort((a, b) => a - b);
  }

  private async activeUsers(): Promise<UserRow[]> {
    return (await this.store.users.list({ activeOnly: true })).filter((u) => u.bot !== 1 && u.connector !== 1);
  }

  private async requireUser(tx: Store, id: number): Promise<void> {
    if (!(await tx.users.get(id))) throw Errors.method('USER_NOT_FOUND', `User ${id} not found`);
  }
}
