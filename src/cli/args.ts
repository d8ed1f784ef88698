import { CommanderError, InvalidArgumentError } from 'commander';
import type { Command } from 'commander';

/** A time as epoch milliseconds or an ISO-8601 date/time (`2026-09-01`, `2026-09-01T12:00:00Z`). */
export function parseTimeArg(value: string): number {
  if (/^\d{12,14}$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const ms = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
    if (Number.isFinite(ms)) return ms;
  }
  throw new InvalidArgumentError(
    'expected epoch milliseconds (e.g. 1763683200000) or an ISO date (e.g. 2026-09-01)',
  );
}

export function parseListArg(value: string): string[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list');
  return items;
}

export function parseIntArg(min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min)
      throw new InvalidArgumentError(`expected an integer >= ${min}`);
    return Number(value);
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
