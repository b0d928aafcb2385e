import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  RATE_LIMIT_PRESETS,
  loadConfig,
  rateLimitFrom,
  restBaseUrl
} from "./chunk-MXN2M3K7.js";
import "./chunk-AGWMCOCW.js";
export {
  RATE_LIMIT_PRESETS,
  loadConfig,
  rateLimitFrom,
  restBaseUrl
};
//# sourceMappingURL=config-SL6FR7PZ.js.map
