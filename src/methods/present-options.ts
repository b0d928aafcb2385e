import type { App } from '../app/index.ts';
import type { PresentOptions } from '../present/users.ts';

export function presentOptions(app: App): PresentOptions {
  return { zone: app.config.timezone, publicUrl: app.config.publicUrl };
}
