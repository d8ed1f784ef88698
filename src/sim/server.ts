/**
 * The HTTP server: node:http for full control over resets, timeouts and malformed bodies.
 * Pipeline per request: IP cap → route → 429 storm → signature → per-UID (per-IP when public) endpoint budget
 * → injected fault → handler. Latency is added before every answer of a Bitget route.
 */
import { DATASET_STREAM_ENDPOINTS } from '../core/dataset';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  ENDPOINTS,
  IP_BAN_MS,
  IP_LIMIT_PER_MINUTE,
  type EndpointId,
  type EndpointSpec,
} from '../bitget/endpoints';
import { verify } from './auth';
import { createSimClock, parseClockBody } from './clock';
import { ERRORS, errorBody, type SimError } from './errors';
import { FaultInjector } from './faults';
import { generateAccount, type Account } from './generator';
import { ROUTES } from './routes';
import { IpGuard, SlidingWindowLimiter } from './rateLimit';
import { createRng, hashSeed } from './rng';
import { StatsRecorder } from './StatsRecorder';
import { activityReady } from './activity';
import { fillTruths, ledgerTruths, truthFileOf, writeNdjson } from './activityTruth';
import { truthIterable, writeTruthFile } from './truth';
import type { FaultOptions, SimCredentials, Simulator, SimulatorOptions } from './types';

export const DEFAULTS = {
  seed: 1,
  orders: 2000,
  symbols: 24,
  days: 90,
  mode: 'classic',
  host: '127.0.0.1',
} as const;

export function credentialsFor(seed: number): SimCredentials {
  const rng = createRng(hashSeed(seed, 9001));
  const hex = (n: number): string => Array.from({ length: n }, () => rng.int(0, 15).toString(16)).join('');
  const alnum = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return {
    apiKey: `bg_${hex(32)}`,
    secretKey: hex(64),
    passphrase: `sim${Array.from({ length: 12 }, () => rng.pick(alnum.split(''))).join('')}`,
  };
}

interface Reply {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Bitget's header of the calls left on the endpoint in the current window (its FAQ). */
export const REMAIN_HEADER = 'x-mbx-used-remain-limit';

const json = (status: number, body: string): Reply => ({ status, body });
const refusal = (err: SimError, now: number): Reply => json(err.http, errorBody(err, now));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The endpoints served from the account's activity (fills, the ledger, tax records), built on first use. */
const ACTIVITY_ENDPOINTS: ReadonlySet<string> = new Set(DATASET_STREAM_ENDPOINTS);

/** The history endpoints `holdHistory()` holds: orders, fills, the ledger and the tax records. */
const HISTORY_ENDPOINTS: ReadonlySet<string> = new Set([
  ...ACTIVITY_ENDPOINTS,
  'spotHistoryOrders',
  'spotPlanHistory',
  'futuresHistoryOrders',
  'futuresPlanHistory',
  'utaHistoryOrders',
  'utaStrategyHistory',
]);

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const base = options.now ?? Date.now;
  const clock = createSimClock(base, options.clockDaysAgo ?? 0);
  const now = clock.now;
  const seed = options.seed ?? DEFAULTS.seed;
  const mode = options.mode ?? DEFAULTS.mode;
  const account: Account = generateAccount({
    seed,
    orders: options.orders ?? DEFAULTS.orders,
    symbols: options.symbols ?? DEFAULTS.symbols,
    days: options.days ?? DEFAULTS.days,
    // The history ends at the base clock's now; the simulator's clock may start before it.
    now: base(),
    mode,
  });
  const credentials = credentialsFor(seed);
  const overrides = options.rateLimits === 'documented' || !options.rateLimits ? {} : options.rateLimits;
  const budget = (id: EndpointId): number => overrides.perSecond?.[id] ?? ENDPOINTS[id].ratePerSecond;
  const ipGuard = new IpGuard(overrides.ipPerMinute ?? IP_LIMIT_PER_MINUTE, overrides.ipBanMs ?? IP_BAN_MS);
  const limiter = new SlidingWindowLimiter(1000);
  const stats = new StatsRecorder(account.count, mode);
  const faults = new FaultInjector(
    hashSeed(seed, 9002),
    { latency: options.latency, ...options.faults },
    now(),
  );
  const routes = new Map<string, EndpointSpec>(Object.values(ENDPOINTS).map((spec) => [spec.path, spec]));
  const sockets = new Set<Socket>();
  const hanging = new Set<NodeJS.Timeout>();
  // One hold per history endpoint, so a test can let one lane group through and keep the others waiting.
  const held = new Map<string, { until: Promise<void>; release: () => void }>();
  const historyEndpoints = (endpoints: readonly EndpointId[] | undefined): string[] => {
    const named = endpoints ?? [...HISTORY_ENDPOINTS];
    const unknown = named.filter((e) => !HISTORY_ENDPOINTS.has(e));
    if (unknown.length > 0) {
      throw new Error(
        `holdHistory holds history endpoints only (${[...HISTORY_ENDPOINTS].join(', ')}), not ${unknown.join(', ')}`,
      );
    }
    return [...named];
  };

  const send = (res: ServerResponse, reply: Reply, delayMs: number): void => {
    const write = (): void => {
      if (res.destroyed) return;
      res.writeHead(reply.status, {
        ...reply.headers,
        'content-type': reply.contentType ?? 'application/json',
      });
      res.end(reply.body);
    };
    if (delayMs <= 0) return write();
    const timer = setTimeout(() => {
      hanging.delete(timer);
      write();
    }, delayMs);
    hanging.add(timer);
  };

  const handleBitget = async (req: IncomingMessage, res: ServerResponse, arrival: number): Promise<void> => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? '' : url.slice(q + 1);
    const body = await readBody(req);
    stats.request();
    const spec = routes.get(path);
    const endpoint: EndpointId | 'unknown' = spec?.id ?? 'unknown';
    const hold = held.get(endpoint);
    if (hold) await hold.until;
    const latency = faults.sampleLatency();
    if (latency > 0) stats.fault('latency');
    const ip = req.socket.remoteAddress ?? 'unknown';
    // The endpoint's budget: per UID when private, per IP when public. Every answer of a known endpoint says
    // the calls left in its window, read from the limiter when the call was counted (admitted) or refused,
    // whatever refused it (a refused call is not counted).
    const keyOf = (s: EndpointSpec): string => `${s.auth === 'private' ? account.uid : ip}|${s.id}`;
    let remain: number | undefined = undefined;
    const countLeft = (): void => {
      if (spec && remain === undefined) remain = limiter.remaining(keyOf(spec), budget(spec.id), arrival);
    };
    const reply = (r: Reply): void => {
      countLeft();
      const headers = remain === undefined ? r.headers : { ...r.headers, [REMAIN_HEADER]: String(remain) };
      send(res, { ...r, headers }, latency);
    };
    const refuse = (err: SimError, reason = err.reason): void => {
      stats.refuse(endpoint, reason);
      reply(refusal(err, arrival));
    };

    const verdict = ipGuard.check(ip, arrival);
    if (verdict !== 'ok') return refuse(ERRORS.tooManyRequests, verdict);
    if (!spec || req.method !== 'GET') return refuse(ERRORS.notFound);
    if (faults.storm(arrival)) {
      stats.fault('storm');
      return reply(refusal(ERRORS.tooManyRequests, arrival));
    }
    if (spec.auth === 'private') {
      const denied = verify(
        { method: req.method, path, rawQuery, body, headers: req.headers },
        credentials,
        arrival,
      );
      if (denied) return refuse(denied);
    }
    const admitted = limiter.tryAcquire(keyOf(spec), budget(spec.id), arrival);
    countLeft();
    if (!admitted) return refuse(ERRORS.tooManyRequests);

    const fault = faults.decide();
    if (fault === 'reset') {
      stats.fault('reset');
      req.socket.destroy();
      return;
    }
    if (fault === 'timeout') {
      stats.fault('timeout');
      const timer = setTimeout(() => {
        hanging.delete(timer);
        req.socket.destroy();
      }, faults.timeoutMs);
      hanging.add(timer);
      return;
    }
    if (fault === 'server_error') {
      stats.fault('server_error');
      const status = faults.serverErrorStatus();
      const systemError = {
        code: '40015',
        msg: 'System is abnormal, please try again later',
        requestTime: arrival,
      };
      return reply(
        status === 500
          ? json(500, JSON.stringify({ ...systemError, data: null }))
          : { status, body: `<html><body><h1>${status}</h1></body></html>`, contentType: 'text/html' },
      );
    }
    const route = ROUTES[spec.id];
    if (!route) return refuse(ERRORS.notFound);
    if (ACTIVITY_ENDPOINTS.has(spec.id)) await activityReady(account, mode);
    const result = route({ account, mode, now: arrival, query: new URLSearchParams(rawQuery) });
    if (!result.ok) return refuse(result.error);
    const answer = JSON.stringify({
      code: '00000',
      msg: 'success',
      requestTime: result.requestTimeAsString ? String(arrival) : arrival,
      data: result.data,
    });
    if (fault === 'malformed') {
      stats.fault('malformed');
      return reply(json(200, answer.slice(0, Math.max(1, Math.floor(answer.length / 2)))));
    }
    stats.serve(spec.id);
    reply(json(200, answer));
  };

  const server = createServer((req, res) => {
    const arrival = now();
    if ((req.url ?? '').startsWith('/sim/')) {
      if (req.url === '/sim/clock' && req.method === 'POST') {
        readBody(req)
          .then((body) => {
            const advance = parseClockBody(body);
            if (typeof advance === 'string')
              return send(res, json(400, JSON.stringify({ code: '40020', msg: advance, data: null })), 0);
            send(res, json(200, JSON.stringify({ now: clock.advance(advance) })), 0);
          })
          .catch(() => res.destroy());
        return;
      }
      req.resume();
      if (req.url === '/sim/clock') return send(res, json(200, JSON.stringify({ now: clock.now() })), 0);
      if (req.url === '/sim/stats') return send(res, json(200, JSON.stringify(stats.snapshot())), 0);
      return send(res, refusal(ERRORS.notFound, arrival), 0);
    }
    handleBitget(req, res, arrival).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: '40015', msg: String(err), requestTime: arrival, data: null }));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const host = options.host ?? DEFAULTS.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${host}:${port}`,
    credentials,
    uid: account.uid,
    mode,
    clock: { now: () => clock.now(), advance: (ms: number) => clock.advance(ms) },
    stats: () => stats.snapshot(),
    truth: () => truthIterable(account, mode),
    fillTruth: async function* () {
      yield* fillTruths(account, mode);
    },
    ledgerTruth: async function* () {
      yield* ledgerTruths(account, mode);
    },
    writeTruth: async (file: string) => {
      const orders = await writeTruthFile(account, mode, file);
      await writeNdjson(truthFileOf(file, 'fills'), fillTruths(account, mode));
      await writeNdjson(truthFileOf(file, 'ledger'), ledgerTruths(account, mode));
      return orders;
    },
    setFaults: (f: FaultOptions) => faults.set(f, now()),
    holdHistory: (options = {}) => {
      for (const endpoint of historyEndpoints(options.endpoints)) {
        if (held.has(endpoint)) continue;
        let release = () => undefined as void;
        const until = new Promise<void>((resolve) => (release = resolve));
        held.set(endpoint, { until, release });
      }
    },
    release: (options = {}) => {
      for (const endpoint of historyEndpoints(options.endpoints)) {
        held.get(endpoint)?.release();
        held.delete(endpoint);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const hold of held.values()) hold.release();
        held.clear();
        for (const timer of hanging) clearTimeout(timer);
        hanging.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}
