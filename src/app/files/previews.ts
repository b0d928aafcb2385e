// Resized previews of images (urlPreview): at most PREVIEW_BOX pixels on the longer side, made with sharp on the
// first request and kept in a cache bounded in bytes (by content hash, so a copy shares its preview). The source
// is streamed into sharp; an image it cannot read is served as it is.
import type { Readable } from 'node:stream';
import type { FileRow } from '../../store/store.ts';

export const PREVIEW_BOX = 640;
/** Larger sources are served as they are (decoding them costs more than sending them). */
export const PREVIEW_SOURCE_MAX = 40 * 1024 * 1024;
/** Decoded size limit: a small file that decodes to a huge image (a "pixel bomb") is not resized. */
const MAX_PIXELS = 50_000_000;
const CACHE_BYTES = 32 * 1024 * 1024;

export interface Preview {
  bytes: Buffer;
  mime: string;
  width: number;
  height: number;
}

type SharpModule = typeof import('sharp');

export class Previews {
  private readonly cache = new Map<string, Preview>();
  private cached = 0;
  private sharp?: Promise<SharpModule['default'] | undefined>;
  /** Previews being made, so concurrent requests for one image resize it once. */
  private readonly making = new Map<string, Promise<Preview | undefined>>();

  /** sharp is loaded on the first preview: commands and servers that never show one never load libvips. */
  private lib(): Promise<SharpModule['default'] | undefined> {
    this.sharp ??= import('sharp').then((m) => m.default, () => undefined);
    return this.sharp;
  }

  /** The preview of an image file, or undefined when the original should be served. */
  async get(file: FileRow, open: () => Readable): Promise<Preview | undefined> {
    if (file.size > PREVIEW_SOURCE_MAX) return undefined;
    const hit = this.cache.get(file.blob_key);
    if (hit) {
      // Least recently used goes first: a hit moves to the end.
      this.cache.delete(file.blob_key);
      this.cache.set(file.blob_key, hit);
      return hit;
    }
    let pending = this.making.get(file.blob_key);
    if (!pending) {
      pending = this.make(file, open).finally(() => this.making.delete(file.blob_key));
      this.making.set(file.blob_key, pending);
    }
    return pending;
  }

  private async make(file: FileRow, open: () => Readable): Promise<Preview | undefined> {
    const sharp = await this.lib();
    if (!sharp) return undefined;
    try {
      const out = file.mime === 'image/jpeg' ? 'jpeg' : file.mime === 'image/webp' ? 'webp' : 'png';
      const transform = sharp({ limitInputPixels: MAX_PIXELS, animated: false })
        .rotate()
        .resize(PREVIEW_BOX, PREVIEW_BOX, { fit: 'inside', withoutEnlargement: true })
        .toFormat(out);
      const source = open();
      source.on('error', (err) => transform.destroy(err));
      const { data, info } = await source.pipe(transform).toBuffer({ resolveWithObject: true });
      const preview = { bytes: data, mime: `image/${out}`, width: info.width, height: info.height };
      this.remember(file.blob_key, preview);
      return preview;
    } catch {
      return undefined;
    }
  }

  private remember(key: string, preview: Preview): void {
    if (preview.bytes.length > CACHE_BYTES / 4) return;
    this.cache.set(key, preview);
    this.cached += preview.bytes.length;
    for (const [k, v] of this.cache) {
      if (this.cached <= CACHE_BYTES) break;
      this.cache.delete(k);
      this.cached -= v.bytes.length;
    }
  }
}
