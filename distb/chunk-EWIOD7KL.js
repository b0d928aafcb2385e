import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  atom,
  atomOrFalse
} from "./chunk-6K7A6N7G.js";

// src/present/users.ts
var BOT_TYPE_NAMES = { B: "bot", H: "human", N: "network", O: "openline", S: "supervisor" };
function botData(bot, clientId) {
  return {
    id: bot.id,
    code: bot.code,
    type: BOT_TYPE_NAMES[bot.type] ?? "bot",
    app_id: clientId,
    is_hidden: false,
    is_support_openline: bot.openline === 1,
    openline: bot.openline === 1,
    background_id: null,
    reactions_enabled: false
  };
}
function fullName(u) {
  return [u.name, u.last_name].filter(Boolean).join(" ");
}
function absoluteUrl(url, publicUrl) {
  if (/^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/.test(url)) return url;
  if (!url || !url.startsWith("/") || url.startsWith("//") || url.includes("\\")) return "";
  return publicUrl + url;
}
function userType(u) {
  if (u.bot) return "bot";
  if (u.connector) return "connector";
  if (u.extranet) return "extranet";
  return "user";
}
function imUser(u, o) {
  const avatar = absoluteUrl(u.avatar, o.publicUrl);
  return {
    id: u.id,
    active: u.active === 1,
    name: fullName(u),
    first_name: u.name,
    last_name: u.last_name,
    work_position: u.work_position,
    color: u.color,
    avatar,
    avatar_hr: avatar,
    gender: u.gender,
    birthday: u.birthday,
    extranet: u.extranet === 1,
    network: u.network === 1,
    bot: u.bot === 1,
    connector: u.connector === 1,
    external_auth_id: u.external_auth_id,
    status: u.status,
    idle: atomOrFalse(u.idle, o.zone),
    last_activity_date: atomOrFalse(u.last_activity_date, o.zone),
    mobile_last_date: atomOrFalse(u.mobile_last_date, o.zone),
    desktop_last_date: atomOrFalse(u.desktop_last_date, o.zone),
    absent: atomOrFalse(u.absent, o.zone),
    departments: JSON.parse(u.departments),
    phones: u.phone ? { personal_mobile: u.phone } : false,
    bot_data: u.bot === 1 && o.bots?.get(u.id) || null,
    type: userType(u),
    website: u.website,
    email: u.email
  };
}
function restUser(u, o) {
  return {
    ID: String(u.id),
    XML_ID: null,
    ACTIVE: u.active === 1,
    NAME: u.name,
    LAST_NAME: u.last_name,
    SECOND_NAME: u.second_name,
    EMAIL: u.email,
    LAST_LOGIN: u.last_activity_date ? atom(u.last_activity_date, o.zone) : "",
    DATE_REGISTER: atom(u.date_register, o.zone),
    IS_ONLINE: u.status === "offline" ? "N" : "Y",
    TIME_ZONE: u.time_zone,
    TIME_ZONE_OFFSET: "0",
    TIMESTAMP_X: atom(u.date_register, o.zone),
    LAST_ACTIVITY_DATE: u.last_activity_date ? atom(u.last_activity_date, o.zone) : "",
    PERSONAL_GENDER: u.gender,
    PERSONAL_BIRTHDAY: u.birthday,
    PERSONAL_PHOTO: absoluteUrl(u.avatar, o.publicUrl),
    PERSONAL_MOBILE: u.phone,
    PERSONAL_WWW: u.website,
    WORK_POSITION: u.work_position,
    UF_DEPARTMENT: JSON.parse(u.departments),
    USER_TYPE: u.extranet ? "extranet" : "employee"
  };
}

export {
  botData,
  fullName,
  absoluteUrl,
  userType,
  imUser,
  restUser
};
//# sourceMappingURL=chunk-EWIOD7KL.js.map
