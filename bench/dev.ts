/** Development helper: node dist/bench/dev.js <extraction-scenario|collector> [scale|sizes]. */
import { runCollectorBench } from './scenarios/collector';
import { runExtractionScenario } from './scenarios/extraction';
import { extractionScenarios } from './scenarios/definitions';

async function main(): Promise<void> {
  const [name, arg] = process.argv.slice(2);
  if (name === 'collector') {
    const sizes = (arg ?? '100000,200000').split(',').map(Number);
    console.log(JSON.stringify(await runCollectorBench({ sizes }), null, 1));
    return;
  }
  const sc = extractionScenarios(Number(arg ?? '0.1')).find((s) => s.scenario === name);
  if (!sc) throw new Error(`no scenario ${name}`);
  const r = await runExtractionScenario(sc);
  console.log(JSON.stringify({ ...r, machine: undefined }, null, 1));
}
main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
