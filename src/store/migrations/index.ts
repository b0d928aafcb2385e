// Versioned migrations, applied in order at start. Each one receives the dialect's column helpers.
import type { CreateTableBuilder, Kysely, Migration, MigrationProvider } from 'kysely';
import * as m001 from './001_initial.ts';
import * as m002 from './002_member_history.ts';
import * as m040 from './040_openlines.ts';
import * as m041 from './041_connector_data.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface MigrationContext {
  dialect: Dialect;
  /** Adds an auto-incrementing integer primary key named id. */
  idColumn: <T extends string>(t: CreateTableBuilder<T, never>) => CreateTableBuilder<T, 'id'>;
  /** Column type for unix-second dates. */
  dateType: 'integer' | 'bigint';
}

type Step = { up: (db: Kysely<any>, ctx: MigrationContext) => Promise<void> };

const steps: Record<string, Step> = {
  '001_initial': m001,
  '002_member_history': m002,
  '040_openlines': m040,
  '041_connector_data': m041,
};

export function migrationProvider(dialect: Dialect): MigrationProvider {
  const ctx: MigrationContext = {
    dialect,
    idColumn: (t) =>
      dialect === 'sqlite'
        ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        : t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity()),
    dateType: dialect === 'sqlite' ? 'integer' : 'bigint',
  };
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, step] of Object.entries(steps)) out[name] = { up: (db) => step.up(db, ctx) };
      return out;
    },
  };
}
