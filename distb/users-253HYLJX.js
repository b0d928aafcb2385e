import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  absoluteUrl,
  botData,
  fullName,
  imUser,
  restUser,
  userType
} from "./chunk-EWIOD7KL.js";
import "./chunk-6K7A6N7G.js";
import "./chunk-AGWMCOCW.js";
export {
  absoluteUrl,
  botData,
  fullName,
  imUser,
  restUser,
  userType
};
//# sourceMappingURL=users-253HYLJX.js.map
