import { describe, expect, it } from 'vitest';
import { validatePartition, type PartitionInput } from '../../../server/domain/rules/index.ts';
import { partitionInput } from './load.ts';

const findings = async (input: PartitionInput, prefix: string) => (await validatePartition(input)).findings.filter((f) => f.ruleId.startsWith(prefix));

describe('size', () => {
  it('warns about households outside 300–500 in zhoushan', async () => {
    const size = await findings(partitionInput('households.geojson'), 'size.');
    expect(size.map((f) => [f.ruleId, f.severity, f.codes[0]])).toEqual([
      ['size.households', 'warning', '330902001002001'],
      ['size.households', 'warning', '330902001002002'],
    ]);
  });

  it('gansu accepts about 1,000 people instead', async () => {
    const size = await findings(partitionInput('households.geojson', { ruleSet: 'gansu' }), 'size.');
    expect(size.map((f) => f.codes[0])).toEqual(['330902001002001']);
  });

  it('gansu accepts a rural village that is one grid', async () => {
    const input = partitionInput('households.geojson', { ruleSet: 'gansu' });
    // Grids 2 and 3 of village B become one village grid with 120 households.
    const merged = { ...input.features[2], geometry: { type: 'Polygon', coordinates: [[...(input.features[2].geometry as { coordinates: number[][][] }).coordinates[0]]] } };
    const oneGrid = { ...input, features: [input.features[0], input.features[1], merged] };
    expect(await findings(oneGrid, 'size.')).toEqual([]);
    const zhoushan = { ...oneGrid, ruleSet: partitionInput('valid.geojson').ruleSet };
    expect((await findings(zhoushan, 'size.')).length).toBe(1);
  });

  it('warns about micro-grids outside 50–80', async () => {
    const input = partitionInput('micro-gap.geojson');
    const features = input.features.map((f, i) => (i === 5 ? { ...f, properties: { ...f.properties, households: 81 } } : f));
    const size = await findings({ ...input, features }, 'size.');
    expect(size.map((f) => [f.ruleId, f.codes[0]])).toEqual([['size.micro_households', '33090200100100102']]);
  });
});

describe('codes', () => {
  it('reports duplicate, reused, wrong-prefix and out-of-range codes', async () => {
    const codes = await findings(partitionInput('codes.geojson'), 'code.');
    expect(codes.map((f) => [f.ruleId, f.codes[0], f.pointer])).toEqual(
      expect.arrayContaining([
        ['code.duplicate', '330902001001001', '/features/1/properties/code'],
        ['code.taken', '330902001002002', '/features/3/properties/code'],
        ['code.prefix', '330902001003001', '/features/2/properties/code'],
        ['code.kind_range', '330902001001600', '/features/4/properties/code'],
      ]),
    );
    expect(codes).toHaveLength(4);
  });

  it('accepts the same codes when nothing is taken and flags malformed ones', async () => {
    expect(await findings(partitionInput('valid.geojson'), 'code.')).toEqual([]);
    const input = partitionInput('valid.geojson');
    const features = input.features.map((f, i) => (i === 0 ? { ...f, properties: { ...f.properties, code: '33090200100100' } } : f));
    expect((await findings({ ...input, features }, 'code.')).map((f) => f.ruleId)).toEqual(['code.format']);
  });

  it('flags a grid whose division is outside the township', async () => {
    const input = partitionInput('valid.geojson');
    const features = input.features.map((f, i) => (i === 0 ? { ...f, properties: { ...f.properties, divisionCode: '330902002001', code: '330902002001001' } } : f));
    expect((await findings({ ...input, features }, 'code.')).map((f) => f.ruleId)).toEqual(['code.division']);
  });
});

describe('staffing and notice', () => {
  const unstaffed = (stage: 'draft' | 'filing', ruleSet = 'zhoushan') => {
    const input = partitionInput('valid.geojson', { stage, ruleSet });
    const features = input.features.map((f, i) =>
      i === 0 ? { ...f, properties: { ...f.properties, name: ' ', staff: [{ role: 'part_time', name: '李军', phone: '0580-2000002' }] } } : f,
    );
    return { ...input, features };
  };

  it('is a warning while drafting and an error when filing', async () => {
    const draft = await findings(unstaffed('draft'), '');
    expect(draft.map((f) => [f.ruleId, f.severity]).sort()).toEqual([
      ['notice.name', 'warning'],
      ['staffing.leader', 'warning'],
    ]);
    const filing = await findings(unstaffed('filing'), '');
    expect(filing.every((f) => f.severity === 'error')).toBe(true);
    expect(filing).toHaveLength(2);
  });

  it('gansu needs a full-time worker', async () => {
    const ids = (await findings(unstaffed('draft', 'gansu'), 'staffing.')).map((f) => f.ruleId);
    expect(ids).toEqual(['staffing.leader', 'staffing.full_time_worker']);
  });

  it('special and sea grids need a territorial and a business unit', async () => {
    const input = partitionInput('valid.geojson');
    const features = input.features.map((f, i) => (i === 1 ? { ...f, properties: { ...f.properties, kind: 'special', subkind: 'market', code: '330902001001500' } } : f));
    expect((await findings({ ...input, features }, 'notice.')).map((f) => f.ruleId)).toEqual(['notice.managing_units']);
  });
});
