import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiContext } from '../context';

/**
 * The web page: one HTML document, one script and one style sheet, plain files committed in src/api/web (no
 * build step), served from this origin so that helmet's Content-Security-Policy (script-src 'self') admits them.
 */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/web/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/web/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

/**
 * src/api/web beside this module's source; dist/ runs read the same committed files; a bundle (the Lambda,
 * `__dirname` = its folder) reads a `web/` folder copied beside it.
 */
const CANDIDATES = [
  join(__dirname, '..', 'web'),
  join(__dirname, '..', '..', '..', '..', 'src', 'api', 'web'),
  join(__dirname, 'web'),
];
let found: string | null | undefined;
function webDir(): string | null {
  if (found === undefined) found = CANDIDATES.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
  return found;
}

/** Whether this installation has the page's files (a bundle without them answers JSON at / instead). */
export function pageAvailable(): boolean {
  return webDir() !== null;
}

let cache: Map<string, string> | undefined;
function asset(file: string): string {
  cache ??= new Map();
  let text = cache.get(file);
  if (text === undefined) {
    const dir = webDir();
    if (dir === null)
      throw new Error(`the web page's files are missing (looked in ${CANDIDATES.join(', ')})`);
    text = readFileSync(join(dir, file), 'utf8');
    cache.set(file, text);
  }
  return text;
}

/** A browser's navigation asks for text/html before JSON; API clients (and `*\/*`) get JSON. */
export function wantsPage(request: FastifyRequest): boolean {
  if (!pageAvailable()) return false;
  const accept = request.headers.accept ?? '';
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html !== -1 && (json === -1 || html < json);
}

export function sendPage(reply: FastifyReply): FastifyReply {
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(asset('index.html'));
}

export function webRoutes(app: FastifyInstance, _ctx: ApiContext): void {
  for (const [url, { file, type }] of Object.entries(ASSETS)) {
    app.get(url, { schema: { hide: true } }, async (_request, reply) =>
      reply.type(type).header('cache-control', 'no-cache').send(asset(file)),
    );
  }
}
