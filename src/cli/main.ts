// The b24im command line.
import { Command, InvalidArgumentError } from 'commander';
import { registerAdminCommands } from './admin.ts';
import { registerBackup } from './backup.ts';
import { registerSeed } from './seed.ts';
import { registerMigrate } from './migrate.ts';
import { registerEventCommands } from './events.ts';
import { registerFetchCommands } from './fetch.ts';
import { registerServe } from './serve.ts';
import { registerDoctor } from './doctor.ts';
import { registerFileCommands } from './files.ts';
import { registerNotifyCommands } from './notify.ts';
import { registerDepartmentCommands } from './departments.ts';

export function intArg(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Not a non-negative integer.');
  return Number(value);
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('b24im')
    .description('Self-hosted messenger server speaking the Bitrix24 im REST API')
    .showHelpAfterError();
  registerServe(program);
  registerAdminCommands(program);
  registerNotifyCommands(program);
  registerDepartmentCommands(program);
  registerSeed(program);
  registerMigrate(program);
  registerEventCommands(program);
  registerFetchCommands(program);
  registerBackup(program);
  registerDoctor(program);
  registerFileCommands(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.stderr.write(`b24im: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
