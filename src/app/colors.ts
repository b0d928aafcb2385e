// The portal's named colours (im.chat.add COLOR) and the hex each renders as.
export const NAMED_COLORS: Record<string, string> = {
  RED: '#df532d',
  GREEN: '#29a74c',
  MINT: '#4ba984',
  LIGHT_BLUE: '#4ba5c3',
  DARK_BLUE: '#3e5fc1',
  PURPLE: '#9a47d6',
  AQUA: '#1eb4aa',
  PINK: '#ea4b96',
  LIME: '#85cb38',
  BROWN: '#a86845',
  AZURE: '#2fa8e0',
  KHAKI: '#a8ad61',
  SAND: '#d4a25b',
  MARENGO: '#6b7c94',
  GRAY: '#8d9299',
  GRAPHITE: '#54595f',
};

const PALETTE = Object.values(NAMED_COLORS);

/** A stable colour for an entity without one (users and chats get theirs from their id). */
export function colorFor(id: number): string {
  return PALETTE[Math.abs(id) % PALETTE.length];
}

/** Accepts a palette name (any case) or a #rrggbb value; undefined otherwise. */
export function parseColor(value: string): string | undefined {
  const named = NAMED_COLORS[value.trim().toUpperCase()];
  if (named) return named;
  return /^#[0-9a-f]{6}$/i.test(value.trim()) ? value.trim().toLowerCase() : undefined;
}
