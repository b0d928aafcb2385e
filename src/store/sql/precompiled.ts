// Hot statements compiled once: building and compiling a Kysely query costs more than running a small one, and
// the hot ones differ only in their parameter values. The SQL text of each shape is kept; every call still binds
// its own parameters. The first compile checks that `params` lists exactly what the builder binds, in order,
// so a builder changed without its parameter list falls back to compiling every time instead of misbinding.
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

const texts = new Map<string, string | null>();
const MAX_SHAPES = 2000;

function same(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** SQL text differs per dialect (placeholders, quoting), and one process may hold both (migrate-to-postgres). */
function dialectOf(db: Kysely<any>): string {
  return db.getExecutor().adapter.constructor.name;
}

export async function precompiled<R>(db: Kysely<any>, shape: string, params: unknown[], build: () => Compilable): Promise<R[]> {
  const key = `${dialectOf(db)}:${shape}`;
  const text = texts.get(key);
  if (typeof text === 'string') return (await db.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
  const compiled = build().compile();
  if (text === undefined) {
    if (texts.size >= MAX_SHAPES) texts.clear();
    texts.set(key, same(compiled.parameters, params) ? compiled.sql : null);
  }
  return (await db.executeQuery<R>(compiled)).rows;
}
