import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  migrationProvider
} from "./chunk-QJHNPULM.js";
import "./chunk-AGWMCOCW.js";
export {
  migrationProvider
};
//# sourceMappingURL=migrations-2NL6MSIJ.js.map
