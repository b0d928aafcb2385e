import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  isPostgresUrl,
  migrate,
  openPostgres,
  openSqlite,
  openStore,
  openStoreAt
} from "./chunk-SYHKNLY7.js";
import "./chunk-OLGWREFJ.js";
import "./chunk-QJHNPULM.js";
import "./chunk-AGWMCOCW.js";
export {
  isPostgresUrl,
  migrate,
  openPostgres,
  openSqlite,
  openStore,
  openStoreAt
};
//# sourceMappingURL=open-RQ2JZKBX.js.map
