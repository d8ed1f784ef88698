/** Child process of the collector bench: argv[2] = JSON CollectorTaskArgs; prints one JSON result line. */
import { runCollectorTask } from './lib/collectorTask';
import type { CollectorTaskArgs } from './lib/collectorTask';

runCollectorTask(JSON.parse(process.argv[2] ?? '{}') as CollectorTaskArgs)
  .then((r) => {
    process.stdout.write(JSON.stringify(r) + '\n');
    process.exit(0);
  })
  .catch((err: unknown) => {
    process.stderr.write(`collectorChild: ${String(err)}\n`);
    process.exit(1);
  });
