// Chat avatars sent as base64 images (im.chat.add, im.chat.updateAvatar, imbot.chat.updateAvatar), kept inline in the
// chat row as a data: URL: every list that shows the chat carries it, which is why its size is bounded.
import { Errors } from '../errors.ts';

/** Largest avatar kept inline, in bytes of image. */
export const MAX_AVATAR_BYTES = 64 * 1024;

const SIGNATURES: [string, (b: Buffer) => boolean][] = [
  ['image/png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/gif', (b) => b.subarray(0, 4).toString('latin1') === 'GIF8'],
  ['image/webp', (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP'],
];

/** A base64 image (optionally a data: URL) as the data: URL b24im stores; AVATAR_ERROR otherwise. */
export function avatarDataUrl(base64: string): string {
  const body = base64.replace(/^data:[^;,]*;base64,/, '').replace(/\s+/g, '');
  const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(body) ? Buffer.from(body, 'base64') : Buffer.alloc(0);
  const type = SIGNATURES.find(([, test]) => bytes.length > 12 && test(bytes))?.[0];
  if (!type) throw Errors.method('AVATAR_ERROR', 'Avatar incorrect type');
  if (bytes.length > MAX_AVATAR_BYTES) throw Errors.method('AVATAR_ERROR', `Avatar incorrect size (b24im keeps at most ${MAX_AVATAR_BYTES} bytes)`);
  return `data:${type};base64,${bytes.toString('base64')}`;
}
