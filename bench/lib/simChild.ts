/**
 * The simulator in a process of its own (so that the bench process, or a killed extraction, does not share
 * its event loop). Argument: JSON SimulatorOptions plus `truthFile`. Prints one JSON line
 * {url, apiKey, secretKey, passphrase, uid} when ready; IPC message {setFaults} replaces the faults.
 */
import { startSimulator } from '../../src/sim';
import type { FaultOptions, SimulatorOptions } from '../../src/sim';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions & { truthFile?: string };
  const { truthFile, ...simOptions } = options;
  const sim = await startSimulator(simOptions);
  if (truthFile) await sim.writeTruth(truthFile);
  process.on('message', (m: { setFaults?: FaultOptions; id?: number }) => {
    if (m.setFaults) sim.setFaults(m.setFaults);
    process.send?.({ ack: m.id });
  });
  const stop = () => {
    void sim.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop);
  process.stdout.write(JSON.stringify({ url: sim.url, uid: sim.uid, ...sim.credentials }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`simChild: ${String(err)}\n`);
  process.exit(1);
});
