// Work in progress: replaced by the real adapter in this session.
export async function handler(_event: unknown): Promise<never> {
  throw new Error('api: not implemented yet');
}
