// The registry of every REST method: one line per family.
import { batchMethods } from './batch.ts';
import { imRevisionMethods } from './im.revision.ts';
import { imUserMethods } from './im.user.ts';
import { Registry } from './registry.ts';
import { serverMethods } from './server.ts';
import { userMethods } from './user.ts';

export function buildRegistry(): Registry {
  const registry = new Registry();
  const families = [batchMethods, userMethods, imRevisionMethods, imUserMethods];
  for (const family of families) for (const def of family) registry.add(def);
  for (const def of serverMethods(registry)) registry.add(def);
  return registry;
}
