// File URLs: each one names the file and the user it was made for, signed with the portal's file key, so an
// <img src> works without credentials. The signature alone is not enough: every request also checks that the user
// may still see the file (a member removed from the chat loses it at once).
import crypto from 'node:crypto';

export type FileUrlKind = 'download' | 'show' | 'preview';

export class FileUrls {
  constructor(
    private readonly key: string,
    private readonly publicUrl: () => string,
  ) {}

  private sign(fileId: number, userId: number): string {
    return crypto.createHmac('sha256', this.key).update(`file:${fileId}:${userId}`).digest('base64url').slice(0, 32);
  }

  /** The server's public base URL (for the uploadUrl). */
  base(): string {
    return this.publicUrl();
  }

  url(kind: FileUrlKind, fileId: number, userId: number, name: string): string {
    return `${this.publicUrl()}/files/${fileId}/${kind}/${encodeURIComponent(name)}?u=${userId}&s=${this.sign(fileId, userId)}`;
  }

  /** The user a signed URL was made for, or undefined when the signature does not match. */
  verify(fileId: number, userId: number, signature: string): boolean {
    const expected = Buffer.from(this.sign(fileId, userId));
    const given = Buffer.from(signature);
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  }

  /** A short-lived signed token for the two-step upload (disk.folder.uploadfile without fileContent). */
  uploadToken(folderId: number, userId: number, uniqueName: boolean, expires: number): string {
    const body = Buffer.from(JSON.stringify({ f: folderId, u: userId, g: uniqueName ? 1 : 0, e: expires })).toString('base64url');
    const mac = crypto.createHmac('sha256', this.key).update(`upload:${body}`).digest('base64url');
    return `${body}.${mac}`;
  }

  readUploadToken(token: string, now: number): { folderId: number; userId: number; uniqueName: boolean } | undefined {
    const [body, mac] = token.split('.');
    if (!body || !mac) return undefined;
    const expected = Buffer.from(crypto.createHmac('sha256', this.key).update(`upload:${body}`).digest('base64url'));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return undefined;
    try {
      const t = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { f: number; u: number; g: number; e: number };
      if (!(t.e >= now)) return undefined;
      return { folderId: t.f, userId: t.u, uniqueName: t.g === 1 };
    } catch {
      return undefined;
    }
  }
}
