/** Current time in whole unix seconds: every stored date has whole seconds, as on a portal. */
export type Clock = () => number;

export const systemClock: Clock = () => Math.floor(Date.now() / 1000);

/** The clock a process runs on: the system's, moved by B24IM_CLOCK_OFFSET seconds (tests cross date windows). */
export function configuredClock(offsetSeconds: number): Clock {
  return offsetSeconds ? () => systemClock() + offsetSeconds : systemClock;
}
