import { CommanderError, InvalidArgumentError } from 'commander';
import type { Command } from 'commander';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const TIME_HELP =
  'expected epoch milliseconds (e.g. 1763683200000), an ISO date (2026-09-01, UTC midnight) or an ISO date-time with a zone (2026-09-01T12:00:00Z, 2026-09-01T14:00+02:00)';

/**
 * A time as epoch milliseconds or ISO 8601: a date (UTC midnight) or a date-time with a zone. Strict: a date
 * that does not exist (2026-02-30) is refused instead of rolling over into March, and a date-time without a
 * zone is refused instead of being read in the machine's time zone.
 */
export function parseTimeArg(value: string): number {
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    if (v.length === 10)
      throw new InvalidArgumentError(
        `${v} looks like epoch seconds: give milliseconds (${v}000) or an ISO date`,
      );
    if (v.length >= 12 && v.length <= 14) return Number(v);
    throw new InvalidArgumentError(TIME_HELP);
  }
  const date = ISO_DATE.exec(v);
  const dateTime = date ? null : ISO_DATE_TIME.exec(v);
  const m = date ?? dateTime;
  if (!m) throw new InvalidArgumentError(TIME_HELP);
  const [y, mo, d, h = '0', mi = '0', sec = '0'] = m.slice(1).map((x) => x ?? '0');
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, sec].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = month >= 1 && month <= 12 ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 0;
  if (month < 1 || month > 12) throw new InvalidArgumentError(`${v}: month ${mo} does not exist`);
  if (day < 1 || day > daysInMonth)
    throw new InvalidArgumentError(`${v}: ${y}-${mo} has days 01 to ${daysInMonth}, not ${d}`);
  if (hour > 23 || minute > 59 || second > 59)
    throw new InvalidArgumentError(`${v}: the time of day must be from 00:00:00 to 23:59:59`);
  if (dateTime && dateTime[8] === undefined)
    throw new InvalidArgumentError(`${v} has no time zone: add Z (UTC) or an offset such as +02:00`);
  const ms = Date.parse(
    date ? `${v}T00:00:00Z` : v.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2'),
  );
  if (!Number.isFinite(ms)) throw new InvalidArgumentError(TIME_HELP);
  return ms;
}

export function parseListArg(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return items;
}

/** An integer in [min, max] (max optional); the message names the valid range. */
export function parseIntArg(min: number, max?: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || (max !== undefined && n > max))
      throw new InvalidArgumentError(
        max === undefined ? `expected an integer >= ${min}` : `expected an integer from ${min} to ${max}`,
      );
    return n;
  };
}

/** A share in (0, 1]. */
export function parseFractionArg(value: string): number {
  const n = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || !(n > 0 && n <= 1))
    throw new InvalidArgumentError('expected a number in (0, 1]');
  return n;
}

/**
 * Parses a command's arguments: `--help` on stdout (what was asked for), errors on stderr. Returns the options,
 * or the exit code when parsing ended the command (0 after --help, 2 for bad arguments).
 */
export function parseCommand<T extends object>(
  command: Command,
  argv: string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): { flags: T } | { exitCode: number } {
  command
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  try {
    command.parse(argv, { from: 'user' });
    return { flags: command.opts<T>() };
  } catch (err) {
    if (err instanceof CommanderError) return { exitCode: err.exitCode === 0 ? 0 : 2 };
    throw err;
  }
}
