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

/** src/api/web beside this module's source; dist/ runs read the same committed files. */
function webDir(): string {
  const candidates = [
    join(__dirname, '..', 'web'),
    join(__dirname, '..', '..', '..', '..', 'src', 'api', 'web'),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`the web page's files are missing (looked in ${candidates.join(', ')})`);
  return found;
}

let cache: Map<string, string> | undefined;
function asset(file: string): string {
  cache ??= new Map();
  let text = cache.get(file);
  if (text === undefined) {
    text = readFileSync(join(webDir(), file), 'utf8');
    cache.set(file, text);
  }
  return text;
}

/** A browser's navigation asks for text/html before JSON; API clients (and `*\/*`) get JSON. */
export function wantsPage(request: FastifyRequest): boolean {
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
