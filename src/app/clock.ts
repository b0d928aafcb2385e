/** Current time in whole unix seconds: every stored date has whole seconds, as on a portal. */
export type Clock = () => number;

export const systemClock: Clock = () => Math.floor(Date.now() / 1000);
