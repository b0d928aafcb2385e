// The registry of every REST method: one line per family.
import { appMethods } from './app.ts';
import { batchMethods } from './batch.ts';
import { imChatMethods } from './im.chat.ts';
import { imCountersMethods } from './im.counters.ts';
import { imNotifyMethods } from './im.notify.ts';
import { imSearchMethods } from './im.search.ts';
import { imDepartmentMethods } from './im.department.ts';
import { imDialogMethods } from './im.dialog.ts';
import { imMessageMethods } from './im.message.ts';
import { imRecentMethods } from './im.recent.ts';
import { eventMethods } from './event.ts';
import { eventOfflineMethods } from './event.offline.ts';
import { imRevisionMethods } from './im.revision.ts';
import { imUserMethods } from './im.user.ts';
import { imconnectorMethods } from './imconnector.ts';
import { imopenlinesMethods } from './imopenlines.ts';
import { imopenlinesSessionMethods } from './imopenlines.session.ts';
import { imbotBotMethods, imbotChatMethods } from './imbot.ts';
import { imbotCommandMethods } from './imbot.command.ts';
import { imbotV2Methods } from './imbot.v2/index.ts';
import { imV2EventMethods } from './im.v2.event.ts';
import { imV2ChatMethods } from './im.v2.chat.ts';
import { imbotChatMoreMethods } from './imbot.chat.ts';
import { likeMethods } from './im.message.like.ts';
import { imopenlinesBotMethods } from './imopenlines.bot.ts';
import { pullMethods } from './pull.ts';
import { Registry } from './registry.ts';
import { imDiskMethods } from './im.disk.ts';
import { diskMethods } from './disk.ts';
import { serverMethods } from './server.ts';
import { userMethods } from './user.ts';

export function buildRegistry(): Registry {
  const registry = new Registry();
  const families = [
    batchMethods,
    appMethods,
    userMethods,
    imRevisionMethods,
    imUserMethods,
    imMessageMethods,
    imChatMethods,
    imDialogMethods,
    imCountersMethods,
    imNotifyMethods,
    imSearchMethods,
    imDepartmentMethods,
    imRecentMethods,
    imopenlinesMethods,
    imopenlinesSessionMethods,
    imconnectorMethods,
    imbotBotMethods,
    imbotChatMethods,
    imbotCommandMethods,
    imbotV2Methods,
    imV2EventMethods,
    imV2ChatMethods,
    imbotChatMoreMethods,
    likeMethods,
    imopenlinesBotMethods,
    eventMethods,
    eventOfflineMethods,
    pullMethods,
    imDiskMethods,
    diskMethods,
  ];
  for (const family of families) for (const def of family) registry.add(def);
  for (const def of serverMethods(registry)) registry.add(def);
  return registry;
}
