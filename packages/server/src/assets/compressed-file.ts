import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** A static file held in memory with its brotli and gzip forms, made once, and a strong validator. */
export interface CompressedFile {
  /** The first 12 hexadecimal digits of the content's SHA-256: the ETag, and the `?v=` of a versioned URL. */
  version: string;
  identity: Buffer;
  br: Buffer;
  gzip: Buffer;
}

/** The encodings a {@link CompressedFile} can be sent in, best first. */
export const ENCODINGS = ['br', 'gzip', 'identity'] as const;

/** Reads a file and compresses it at the highest levels (once per file and process: the cost is not per request). */
export async function loadCompressedFile(path: string): Promise<CompressedFile> {
  const identity = await readFile(path);
  return {
    version: createHash('sha256').update(identity).digest('hex').slice(0, 12),
    identity,
    br: brotliCompressSync(identity, {
      params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length },
    }),
    gzip: gzipSync(identity, { level: 9 }),
  };
}
