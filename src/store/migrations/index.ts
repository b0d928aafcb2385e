// Versioned migrations, applied in order at start. Each one receives the dialect's column helpers.
import type { CreateTableBuilder, Kysely, Migration, MigrationProvider } from 'kysely';
import * as m001 from './001_initial.ts';
import * as m002 from './002_member_history.ts';
import * as m010 from './010_recent_hidden_seq.ts';
import * as m040 from './040_openlines.ts';
import * as m041 from './041_connector_data.ts';
import * as m020 from './020_bots_events.ts';
import * as m050 from './050_bot_commands.ts';
import * as m055 from './055_bound_handlers_run_as_binder.ts';
import * as m060 from './060_change_log.ts';
import * as m061 from './061_webhook_bots.ts';
import * as m062 from './062_offline_events.ts';
import * as m063 from './063_app_lifecycle.ts';
import * as m070 from './070_bots_v2.ts';
import * as m075 from './075_pull.ts';
import * as m072 from './072_files.ts';
import * as m076 from './076_notifications.ts';
import * as m078 from './078_message_search.ts';
import * as m071 from './071_bots_v2_chat_ui.ts';
import * as m079 from './079_departments.ts';
import * as m080 from './080_search_last.ts';
import * as m081 from './081_recent_versions.ts';
import * as m082 from './082_ol_session_modes.ts';
import * as m083 from './083_members_roster.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface MigrationContext {
  dialect: Dialect;
  /** Adds an auto-incrementing integer primary key named id (64-bit in both dialects). */
  idColumn: <T extends string>(t: CreateTableBuilder<T, never>) => CreateTableBuilder<T, 'id'>;
  /** Column type for columns holding ids of fast-growing tables (message ids): 64-bit in both dialects. */
  idType: 'integer' | 'bigint';
  /** Column type for unix-second dates (64-bit in both dialects: no 2038 problem). */
  dateType: 'integer' | 'bigint';
}

type Step = { up: (db: Kysely<any>, ctx: MigrationContext) => Promise<void> };

const steps: Record<string, Step> = {
  '001_initial': m001,
  '002_member_history': m002,
  '010_recent_hidden_seq': m010,
  '040_openlines': m040,
  '041_connector_data': m041,
  '020_bots_events': m020,
  '050_bot_commands': m050,
  '055_bound_handlers_run_as_binder': m055,
  '060_change_log': m060,
  '061_webhook_bots': m061,
  '062_offline_events': m062,
  '063_app_lifecycle': m063,
  '070_bots_v2': m070,
  '075_pull': m075,
  '072_files': m072,
  '076_notifications': m076,
  '078_message_search': m078,
  '071_bots_v2_chat_ui': m071,
  '079_departments': m079,
  '080_search_last': m080,
  '081_recent_versions': m081,
  '082_ol_session_modes': m082,
  '083_members_roster': m083,
};

export function migrationProvider(dialect: Dialect): MigrationProvider {
  const ctx: MigrationContext = {
    dialect,
    idColumn: (t) =>
      dialect === 'sqlite'
        ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        : t.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()),
    idType: dialect === 'sqlite' ? 'integer' : 'bigint',
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
