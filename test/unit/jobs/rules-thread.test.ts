// The rules thread: the same reports and continuity matches as computed in-process, repairs from the database's
// port included, and an unknown rule set or profile refused before anything crosses to the thread.
import { describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import type { Polygon } from 'geojson';
import { matchPredecessorsOffThread, validateOffThread, type PartitionTask } from '../../../server/jobs/rules.ts';
import { UnknownRuleSet, validatePartition, type Area, type GeometryRepair } from '../../../server/domain/rules/index.ts';
import { matchPredecessors } from '../../../server/domain/codes/continuity.ts';
import { partitionInput } from '../rules/load.ts';

// The first task starts the thread and its TypeScript loader: seconds on a busy 2-core machine.
const THREAD_TEST_MS = 120_000;

function task(fixture: string): PartitionTask {
  const input = partitionInput(fixture, { stage: 'filing' });
  return { ...input, ruleSet: input.ruleSet.name, takenCodes: [...(input.takenCodes ?? [])] };
}

describe('rules thread', () => {
  it.each(['valid.geojson', 'island-uncovered.geojson', 'sliver-overlap.geojson', 'codes.geojson', 'sea.geojson'])(
    'judges %s as validatePartition does in-process',
    async (fixture) => {
      const local = await validatePartition(partitionInput(fixture, { stage: 'filing' }));
      expect(JSON.stringify(await validateOffThread(task(fixture)))).toBe(JSON.stringify(local));
    },
    THREAD_TEST_MS,
  );

  it('attaches the repair port’s geometry to a bow-tie’s findings, as in-process', async () => {
    const repaired: Area = { type: 'MultiPolygon', coordinates: [[[[122.1, 30], [122.2, 30], [122.2, 30.1], [122.1, 30]]]] };
    const asked: Area[] = [];
    const repair: GeometryRepair = async (geometry) => (asked.push(geometry), repaired);
    const offThread = await validateOffThread(task('bowtie.geojson'), { repair });
    const local = await validatePartition(partitionInput('bowtie.geojson', { stage: 'filing' }), { repair });
    expect(asked.length).toBeGreaterThan(0);
    expect(offThread.findings.find((f) => f.ruleId === 'geometry.self_intersection')?.repair).toEqual(repaired);
    expect(JSON.stringify(offThread)).toBe(JSON.stringify(local));
  }, THREAD_TEST_MS);

  it('refuses an unknown rule set before the thread is asked', async () => {
    const unknown = { ...task('valid.geojson'), ruleSet: 'no-such-rules' };
    await expect(validateOffThread(unknown)).rejects.toBeInstanceOf(UnknownRuleSet);
  });

  it('matches predecessors as matchPredecessors does in-process', async () => {
    const box = (w: number, e: number) => turf.bboxPolygon([122.1 + w / 1000, 30, 122.1 + e / 1000, 30.01]).geometry as Polygon;
    const old = [
      { code: 'A', geometry: box(0, 10), id: '1', version: 3 },
      { code: 'B', geometry: box(10, 20), id: '2', version: 1 },
      { code: 'C', geometry: box(20, 30), id: '3', version: 1 },
    ];
    const next = [box(0, 10.5), box(10.5, 15), box(15, 30), box(40, 50)].map((geometry) => ({ geometry, name: 'n' }));
    expect(await matchPredecessorsOffThread(old, next, 0.8)).toEqual(matchPredecessors(old, next, 0.8));
  }, THREAD_TEST_MS);
});
