/**
 * The two stages of a sync called one after the other, as the sync state machine runs them on AWS (each in its
 * own Lambda, the extraction run between them): the context between them lives in the bucket under the run, and
 * the commit refuses what would merge wrongly (an archive that moved, a run merged already, a run not complete).
 */
import {
  commitSync,
  prepareSync,
  SyncAlreadyCommittedError,
  SyncContextMissingError,
  SyncIncompleteError,
  SyncStaleError,
  type SyncStageDeps,
} from '../../src/archive';
import { StorageCorruptError } from '../../src/storage';
import { runKeys } from '../../src/storage/keys';
import { DAY, archiveEnv, keyOf, type ArchiveEnv } from './support';

jest.setTimeout(240_000);

describe('the stages of a sync, called in order', () => {
  let env: ArchiveEnv;
  let deps: SyncStageDeps;
  beforeAll(async () => {
    env = await archiveEnv({ seed: 41, orders: 800, days: 60 });
    deps = { store: env.stack.store, client: env.stack.client };
  });
  afterAll(() => env.close());

  /** The extraction the sync machine runs between the stages (here the local engine). */
  const extract = async (prepared: Awaited<ReturnType<typeof prepareSync>>) => {
    const started = await env.stack.engine.start(prepared.request, prepared.runId);
    const ended = await env.stack.engine.wait(started.executionArn);
    return { status: ended.status, complete: ended.output?.complete };
  };

  it('prepare saves its context under the run and writes nothing under archive/', async () => {
    const prepared = await prepareSync(deps, { datasets: ['orders'] });
    expect(await env.stack.store.list('archive/')).toEqual([]);
    const saved = await env.stack.store.getText(runKeys(prepared.runId).sync);
    expect(JSON.parse(saved!)).toEqual(JSON.parse(JSON.stringify(prepared.context)));
    expect(prepared.request).toMatchObject({ until: prepared.context.until, datasets: ['orders'] });
    expect(prepared.context).toMatchObject({
      generation: 0,
      due: expect.any(Array),
      uid: expect.any(String),
    });
  });

  it('prepare, extraction, commit: the archive holds the truth, and a second sync adds nothing', async () => {
    const prepared = await prepareSync(deps);
    const report = await commitSync(deps, prepared.runId, await extract(prepared));
    expect(report).toMatchObject({ runId: prepared.runId, generation: 1, nothingNew: false });
    const truth = await env.truth();
    expect((await env.records()).map(keyOf)).toEqual(truth.map(keyOf));
    expect(report.records).toBe(truth.length);

    // A retried commit (the Lambda timed out after the manifest) merges nothing twice.
    const manifest = await env.manifest();
    await expect(commitSync(deps, prepared.runId, { status: 'SUCCEEDED', complete: true })).rejects.toThrow(
      SyncAlreadyCommittedError,
    );
    expect(await env.manifest()).toEqual(manifest);

    const again = await env.sync();
    expect(again.nothingNew).toBe(true);
  });

  it('refuses to merge a run prepared on an archive that has moved since', async () => {
    env.sim.clock.advance(3 * DAY);
    const first = await prepareSync(deps);
    const second = await prepareSync(deps);
    const outcomes = [await extract(first), await extract(second)];
    await commitSync(deps, first.runId, outcomes[0]!);
    const manifest = await env.manifest();
    await expect(commitSync(deps, second.runId, outcomes[1]!)).rejects.toThrow(
      new SyncStaleError(
        `the archive of ${second.context.uid} moved from generation ${second.context.generation} to ${manifest.generation} since run ${second.runId} was prepared: it is not merged (the next sync asks again)`,
      ),
    );
    expect(await env.manifest()).toEqual(manifest);
  });

  it('leaves the archive as it was when the run did not complete', async () => {
    const prepared = await prepareSync(deps);
    const manifest = await env.manifest();
    await expect(
      commitSync(deps, prepared.runId, { status: 'FAILED', error: 'ExtractionIncomplete', cause: 'lane x' }),
    ).rejects.toThrow(SyncIncompleteError);
    expect(await env.manifest()).toEqual(manifest);
  });

  it('names a missing or malformed context', async () => {
    await expect(commitSync(deps, 'never-prepared', { status: 'SUCCEEDED', complete: true })).rejects.toThrow(
      SyncContextMissingError,
    );
    const prepared = await prepareSync(deps);
    const { due: _due, ...withoutDue } = prepared.context;
    await env.stack.store.putJson(runKeys(prepared.runId).sync, withoutDue);
    await expect(commitSync(deps, prepared.runId, { status: 'SUCCEEDED', complete: true })).rejects.toThrow(
      new StorageCorruptError(
        `s3://${env.stack.store.bucket}/${runKeys(prepared.runId).sync} has an unexpected shape: due Invalid input: expected array, received undefined`,
      ),
    );
  });
});
