// b24im department: the company structure (im.department.*). Department 1 is the company; users start in it.
import type { Command } from 'commander';
import { intArg } from './main.ts';
import { print, withDbOptions, withRuntime, type DbOptions } from './options.ts';

function idList(value: string): number[] {
  const ids = value.split(',').map((v) => Number(v.trim()));
  if (ids.length === 0 || ids.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('expected department ids, e.g. 1,5');
  return ids;
}

export function registerDepartmentCommands(program: Command): void {
  const department = program.command('department').description('Manage the company structure (departments)');
  withDbOptions(
    department
      .command('add')
      .description('Add a department and print it as JSON')
      .requiredOption('--name <name>', 'name')
      .option('--parent <id>', 'parent department (default: 1, the company)', intArg)
      .option('--head <user>', 'head of the department', intArg),
  ).action(async (opts: DbOptions & { name: string; parent?: number; head?: number }) => {
    await withRuntime(opts, async ({ app }) => print(await app.departments.add({ name: opts.name, parentId: opts.parent, headId: opts.head })));
  });
  withDbOptions(
    department
      .command('move')
      .description('Move a department under another')
      .requiredOption('--id <id>', 'department', intArg)
      .requiredOption('--parent <id>', 'new parent department', intArg),
  ).action(async (opts: DbOptions & { id: number; parent: number }) => {
    await withRuntime(opts, async ({ app }) => app.departments.move(opts.id, opts.parent));
  });
  withDbOptions(
    department
      .command('update')
      .description('Rename a department or set its head')
      .requiredOption('--id <id>', 'department', intArg)
      .option('--name <name>', 'new name')
      .option('--head <user>', 'head of the department (0: none)', intArg),
  ).action(async (opts: DbOptions & { id: number; name?: string; head?: number }) => {
    await withRuntime(opts, async ({ app }) => app.departments.update(opts.id, { name: opts.name, headId: opts.head }));
  });
  withDbOptions(
    department
      .command('assign')
      .description("Set a user's departments")
      .requiredOption('--user <id>', 'user', intArg)
      .requiredOption('--departments <ids>', 'comma-separated department ids', idList),
  ).action(async (opts: DbOptions & { user: number; departments: number[] }) => {
    await withRuntime(opts, async ({ app }) => app.departments.assign(opts.user, opts.departments));
  });
  withDbOptions(department.command('list').description('Print every department as JSON (id, name, parent, head)')).action(async (opts: DbOptions) => {
    await withRuntime(opts, async ({ app }) => {
      const all = await app.departments.byId();
      print([...all.values()].map((d) => ({ ...d, full_name: app.departments.fullName(d.id, all) })));
    });
  });
}
