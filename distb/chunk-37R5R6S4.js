import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);

// src/app/scopes.ts
var BASE_SCOPE = "basic";
var SERVED_SCOPES = ["im", "imbot", "imopenlines", "imconnector", "user", "user_basic", "placement"];
var KNOWN_SCOPES = [
  ...SERVED_SCOPES,
  "ai_admin",
  "biconnector",
  "bizproc",
  "booking",
  "calendar",
  "calendarmobile",
  "call",
  "cashbox",
  "catalog",
  "catalogmobile",
  "configuration.import",
  "contact_center",
  "crm",
  "delivery",
  "department",
  "disk",
  "documentgenerator",
  "entity",
  "faceid",
  "forum",
  "humanresources.hcmlink",
  "iblock",
  "im.import",
  "imopenlines",
  "intranet",
  "landing",
  "landing_cloud",
  "lists",
  "log",
  "mailservice",
  "main",
  "messageservice",
  "mobile",
  "notifications",
  "pay_system",
  "pull",
  "pull_channel",
  "rating",
  "rpa",
  "sale",
  "salescenter",
  "sign.b2e",
  "smile",
  "socialnetwork",
  "sonet_group",
  "task",
  "tasks",
  "tasks_extended",
  "tasksmobile",
  "telephony",
  "timeman",
  "user.userfield",
  "user_brief",
  "userconsent",
  "userfieldconfig",
  "vote"
].filter((s, i, all) => all.indexOf(s) === i);
function parseScopes(value) {
  const list = (value ?? "").split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
  return [...new Set(list)];
}
function unknownScopes(scopes) {
  return scopes.filter((s) => !KNOWN_SCOPES.includes(s));
}
function scopeAllows(granted, scope) {
  if (scope === BASE_SCOPE) return true;
  if (granted.has(scope)) return true;
  if (scope === "user_basic") return granted.has("user");
  return scope === "imconnector" && granted.has("imopenlines");
}

export {
  BASE_SCOPE,
  SERVED_SCOPES,
  KNOWN_SCOPES,
  parseScopes,
  unknownScopes,
  scopeAllows
};
//# sourceMappingURL=chunk-37R5R6S4.js.map
