import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  Errors,
  require_lib
} from "./chunk-ZXJPHV6V.js";
import {
  __toESM
} from "./chunk-AGWMCOCW.js";

// src/methods/query.ts
var import_qs = __toESM(require_lib(), 1);
var MAX_PARAM_DEPTH = 8;
var MAX_PARAM_COUNT = 2e3;
var QS_OPTIONS = {
  depth: MAX_PARAM_DEPTH,
  parameterLimit: MAX_PARAM_COUNT + 1,
  arrayLimit: MAX_PARAM_COUNT,
  allowPrototypes: false,
  plainObjects: true,
  // Deeper keys are an error rather than a silently kept literal key.
  strictDepth: true
};
var tooManyParams = () => Errors.invalidRequest(`Too many parameters: at most ${MAX_PARAM_COUNT} are allowed`);
var tooDeepParams = () => Errors.invalidRequest(`Parameters are nested too deeply: at most ${MAX_PARAM_DEPTH} levels are allowed`);
function parsePhpQuery(text) {
  if (text === "") return {};
  let pairs = 0;
  for (const part of text.split("&")) if (part !== "" && ++pairs > MAX_PARAM_COUNT) throw tooManyParams();
  try {
    return import_qs.default.parse(text, QS_OPTIONS);
  } catch (err) {
    if (err instanceof RangeError) throw tooDeepParams();
    throw err;
  }
}
function checkJsonBounds(root) {
  let count = 0;
  const stack = [[root, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop();
    if (value !== null && typeof value === "object") {
      const children = Array.isArray(value) ? value : Object.values(value);
      if (children.length === 0 && depth > 0 && ++count > MAX_PARAM_COUNT) throw tooManyParams();
      if (children.length > 0 && depth > MAX_PARAM_DEPTH) throw tooDeepParams();
      for (const child of children) stack.push([child, depth + 1]);
    } else if (++count > MAX_PARAM_COUNT) {
      throw tooManyParams();
    }
  }
}

// src/methods/registry.ts
var ListResult = class {
  constructor(result, total, next) {
    this.result = result;
    this.total = total;
    this.next = next;
  }
  result;
  total;
  next;
};
var Registry = class {
  byName = /* @__PURE__ */ new Map();
  constructor(defs = []) {
    for (const d of defs) this.add(d);
  }
  add(def) {
    const key = def.name.toLowerCase();
    if (this.byName.has(key)) throw new Error(`Method ${def.name} registered twice`);
    this.byName.set(key, def);
  }
  get(name) {
    return this.byName.get(name.toLowerCase());
  }
  all() {
    return [...this.byName.values()];
  }
  scopes() {
    return [...new Set(this.all().map((d) => d.scope))].sort();
  }
};
function phpTruthy(v) {
  if (v === void 0 || v === null || v === false) return false;
  if (typeof v === "string") return v !== "" && v !== "0";
  if (typeof v === "number") return v !== 0;
  return true;
}

// src/methods/intval.ts
var INT64_MAX = (1n << 63n) - 1n;
var INT64_MIN = -(1n << 63n);
var INT32 = { min: -2147483648, max: 2147483647 };
var SAFE_INT = { min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };
var saturate = (v) => v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : v;
var NUMERIC_PREFIX = /^[ \t\n\r\v\f]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/;
var INTEGER_TEXT = /^[+-]?\d+$/;
function phpIntval(v) {
  if (typeof v === "bigint") return saturate(v);
  if (typeof v === "boolean") return v ? 1n : 0n;
  if (v === null || v === void 0) return 0n;
  if (typeof v === "number") {
    if (Number.isNaN(v)) return 0n;
    if (v === Infinity) return INT64_MAX;
    if (v === -Infinity) return INT64_MIN;
    return saturate(BigInt(Math.trunc(v)));
  }
  if (typeof v !== "string") return void 0;
  const m = NUMERIC_PREFIX.exec(v);
  if (!m) return 0n;
  if (INTEGER_TEXT.test(m[1])) return saturate(BigInt(m[1]));
  return phpIntval(Number(m[1]));
}
function isCleanInteger(v) {
  if (typeof v === "number") return Number.isInteger(v);
  return typeof v === "string" && /^\s*[+-]?\d+\s*$/.test(v);
}
function clampInt(v, range) {
  if (v > BigInt(range.max)) return { value: range.max, clamped: true };
  if (v < BigInt(range.min)) return { value: range.min, clamped: true };
  return { value: Number(v), clamped: false };
}
function intWithin(v, range) {
  const n = phpIntval(v);
  return n === void 0 ? 0 : clampInt(n, range).value;
}

export {
  MAX_PARAM_COUNT,
  parsePhpQuery,
  checkJsonBounds,
  ListResult,
  Registry,
  phpTruthy,
  INT32,
  SAFE_INT,
  phpIntval,
  isCleanInteger,
  clampInt,
  intWithin
};
//# sourceMappingURL=chunk-FYFGWV2I.js.map
