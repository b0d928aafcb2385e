// PHP's JSON quirks that clients depend on (decision 2).

/** An associative array: an empty one is encoded by PHP as [], a non-empty one as an object. */
export function phpMap<T>(map: Record<string, T>): Record<string, T> | [] {
  for (const _ in map) return map;
  return [];
}
