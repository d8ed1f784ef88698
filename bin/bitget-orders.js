#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (prepare) or `make build`.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `bitget-orders needs Node >= 22 (this is ${process.version}); run it through npx or make, which use the Node 22 pinned in node_modules/.bin`,
  );
  process.exit(2);
}
require('../dist/src/cli/main.js')
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
