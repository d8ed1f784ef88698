/** Sentences for the failures a person can fix, instead of Node's error codes. */

/** `port 8080 on 127.0.0.1 is in use …` for a listen error, or null when it is not one of those. */
export function explainListenError(err: unknown, host: string, port: number, flag = '--port'): string | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE')
    return `port ${port} on ${host} is in use (another server listens there): choose another ${flag}, or 0 for any free port`;
  if (code === 'EACCES')
    return `port ${port} on ${host} needs privileges this process does not have: choose a port above 1023`;
  if (code === 'EADDRNOTAVAIL') return `${host} is not an address of this machine: check --host`;
  return null;
}

/** `cannot reach the database at mysql://db:3306/x (connection refused) …`, or null. */
export function explainDatabaseError(err: unknown, displayUrl: string): string | null {
  const text = err instanceof Error ? err.message : String(err);
  const code = (err as NodeJS.ErrnoException | null)?.code ?? /\b(E[A-Z]{4,})\b/.exec(text)?.[1];
  const why: Record<string, string> = {
    ECONNREFUSED: 'connection refused: is the database server running?',
    ENOTFOUND: 'its host name does not resolve',
    EAI_AGAIN: 'its host name does not resolve',
    ETIMEDOUT: 'no answer',
    EHOSTUNREACH: 'no route to its host',
    ER_ACCESS_DENIED_ERROR: 'the user name or password is refused',
    ER_BAD_DB_ERROR: 'the database does not exist',
    SQLITE_CANTOPEN: 'the file cannot be opened (does its directory exist?)',
  };
  const reason = code ? why[code] : undefined;
  if (reason) return `cannot reach the database at ${displayUrl} (${reason}): check DATABASE_URL`;
  if (/Access denied/i.test(text))
    return `cannot reach the database at ${displayUrl} (the user name or password is refused): check DATABASE_URL`;
  return null;
}
