// Uploads spooled to a temporary file as they arrive, counting bytes: a body over the limit is refused the moment it
// passes it (or at once, when its Content-Length says so), and nothing of it is held in memory.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ProblemError } from './problem.ts';

export interface SpooledUpload {
  path: string;
  bytes: number;
  /** removes the file; safe to call more than once */
  remove: () => Promise<void>;
}

const tooLarge = (limit: number) =>
  new ProblemError(413, 'payload-too-large', 'Payload too large', `the upload is larger than the upload limit of ${limit / 1024 / 1024} MB; nothing was imported`, [
    { pointer: 'body', message: `more than ${limit} bytes` },
  ]);

/** Refuses an upload whose Content-Length already passes `limit`, before a byte of it is read. */
export function assertDeclaredLength(contentLength: string | undefined, limit: number): void {
  if (contentLength !== undefined && Number(contentLength) > limit) throw tooLarge(limit);
}

/**
 * Writes `body` to a new temporary file, at most `limit` bytes (413 problem once more arrive; 400 for an empty body).
 * The caller removes the file; on a refusal it is already gone.
 * @example const upload = await spoolUpload(request.raw, 100 * 1024 * 1024); try { … upload.path … } finally { await upload.remove(); }
 */
export async function spoolUpload(body: Readable, limit: number): Promise<SpooledUpload> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wangge-upload-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  const file = path.join(dir, 'upload');
  const out = createWriteStream(file);
  let bytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      // Refusing leaves the request stream alone but flowing (its rest is discarded, as Fastify does past its body
      // limit): destroying it would close the connection before the 413 is sent.
      const stop = (error: Error) => {
        body.off('data', count);
        body.unpipe(out);
        body.resume();
        reject(error);
      };
      const count = (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > limit) stop(tooLarge(limit));
      };
      body.on('data', count);
      body.once('error', stop);
      body.once('close', () => body.readableEnded || stop(new Error('the client closed the connection during the upload')));
      out.once('error', stop);
      out.once('finish', resolve);
      body.pipe(out);
    });
  } catch (error) {
    out.destroy();
    await remove();
    throw error;
  }
  if (bytes === 0) {
    await remove();
    throw new ProblemError(400, 'empty-body', 'Empty body', 'send the file as the request body', [{ pointer: 'body', message: 'empty' }]);
  }
  return { path: file, bytes, remove };
}
