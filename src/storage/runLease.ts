import { z } from 'zod';

/** Who holds a run: one execution at a time works a run id. */
export const runLeaseSchema = z.object({
  holder: z.string().min(1),
  pid: z.number().int().nullable(),
  host: z.string().nullable(),
  acquiredAt: z.number(),
  renewedAt: z.number(),
  expiresAt: z.number(),
});
export type RunLease = z.output<typeof runLeaseSchema>;

export interface LeaseRequest {
  holder: string;
  pid?: number | null;
  host?: string | null;
  ttlMs: number;
  now?: number;
  /** May an unexpired lease of another holder be taken (e.g. its process is known to be dead)? */
  canTakeOver?: (existing: RunLease) => boolean;
}
