/**
 * Entry of the local S3 server's own process (see startLocalS3Process). Argument: JSON LocalS3Options. Sends
 * {endpoint} over IPC once it serves, or {error}; stops on SIGTERM or when the parent goes away
 * (SIGINT is the parent's to handle: it still needs the server to save its cursors).
 */
import { z } from 'zod';
import { startLocalS3 } from './localS3';

const optionsSchema = z.strictObject({
  directory: z.string().min(1),
  bucket: z.string().min(3),
  port: z.number().int().min(0).max(65535).optional(),
  writeFault: z
    .strictObject({ code: z.enum(['ENOSPC', 'EACCES', 'EROFS']), afterBytes: z.number().int().min(0) })
    .optional(),
});

async function main(): Promise<void> {
  // Everything the server writes (objects, metadata, multipart parts, bucket folders) is for this user only.
  process.umask(0o077);
  const parsed = optionsSchema.safeParse(JSON.parse(process.argv[2] ?? '{}'));
  if (!parsed.success) throw new Error(`invalid options: ${z.prettifyError(parsed.error)}`);
  const options = parsed.data;
  const s3 = await startLocalS3(options);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void s3.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  // Ctrl-C reaches the whole process group: the parent checkpoints through this server, then closes it.
  process.on('SIGINT', () => undefined);
  process.on('disconnect', stop);
  process.send?.({ endpoint: s3.endpoint });
}

main().catch((err: unknown) => {
  process.send?.({ error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
