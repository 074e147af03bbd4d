import { describe, expect, it } from 'vitest';
import { orderBatch, parsePositionCsv, parsePositionJson, parsePositionNmea } from '../../../server/domain/maritime/positions.ts';

const NOW = new Date('2024-05-01T08:00:00Z');

describe('position batches', () => {
  it('rejects faulty JSON rows with a pointer and keeps the rest', () => {
    const batch = parsePositionJson(
      [
        { mmsi: '412345678', time: '2024-05-01T15:50:00+08:00', lon: 122.4, lat: 29.9, sog: 3.2, cog: 90 },
        { mmsi: '41234567', time: '2024-05-01T15:50:00+08:00', lon: 122.4, lat: 29.9 },
        { mmsi: '412345678', time: '2024-05-01T16:30:00+08:00', lon: 122.4, lat: 29.9 },
        { mmsi: '412345678', time: '2024-05-01T15:51:00+08:00', lon: 222.4, lat: 29.9 },
        'x',
      ],
      NOW,
    );
    expect(batch.received).toBe(5);
    expect(batch.reports).toHaveLength(1);
    expect(batch.rejected.map((r) => r.pointer)).toEqual(['/1/mmsi', '/2/time', '/3/lon', '/4']);
    expect(batch.rejected[1].message).toMatch(/future/);
  });
  it('accepts a report up to 5 minutes ahead (receiver clocks drift)', () => {
    expect(parsePositionJson([{ mmsi: '412345678', time: '2024-05-01T08:04:00Z', lon: 122, lat: 30 }], NOW).reports).toHaveLength(1);
  });
  it('reads CSV by header and numbers rows from the header', () => {
    const batch = parsePositionCsv('mmsi,time,lon,lat,sog,cog\n412345678,2024-05-01T07:00:00Z,122.4,29.9,1,2\n412345678,yesterday,122.4,29.9,,\n', NOW);
    expect(batch.received).toBe(2);
    expect(batch.reports[0]).toMatchObject({ mmsi: '412345678', lon: 122.4, sog: 1, cog: 2 });
    expect(batch.rejected).toEqual([{ row: 3, pointer: 'time', message: expect.any(String) }]);
  });
  it('reads CSV columns in any order, with sog and cog optional, a BOM, CRLF, blank lines and padded values', () => {
    const batch = parsePositionCsv('\uFEFFlat, LON ,time,mmsi\r\n29.9,122.4,2024-05-01T15:00:00.250+08:00, 412345678 \r\n\r\n30,122,2024-05-01T07:00:00Z,4123\r\n', NOW);
    expect(batch.received).toBe(2);
    expect(batch.reports).toEqual([{ mmsi: '412345678', time: new Date('2024-05-01T07:00:00.250Z'), lon: 122.4, lat: 29.9, sog: null, cog: null }]);
    expect(batch.rejected).toEqual([{ row: 4, pointer: 'mmsi', message: 'MMSI must be 9 digits' }]);
  });
  it('rejects a CSV row with too few or too many values, naming its row', () => {
    const batch = parsePositionCsv('mmsi,time,lon,lat\n412345678,2024-05-01T07:00:00Z,122.4\n412345678,2024-05-01T07:00:00Z,122.4,29.9,7\n', NOW);
    expect(batch.rejected).toEqual([
      { row: 2, pointer: 'row', message: '3 values for 4 columns' },
      { row: 3, pointer: 'row', message: '5 values for 4 columns' },
    ]);
  });
  it('refuses a CSV without the required header', () => {
    expect(parsePositionCsv('a,b\n1,2', NOW).rejected[0].pointer).toBe('mmsi,time,lon,lat');
  });
  it('counts NMEA checksum errors', () => {
    const batch = parsePositionNmea('!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C\n!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*00\n', NOW);
    expect(batch).toMatchObject({ received: 2, checksumErrors: 1 });
    expect(batch.reports[0].time).toEqual(NOW);
  });
  it('counts out-of-order reports against the latest stored', () => {
    const t = (m: number) => ({ mmsi: '412345678', time: new Date(NOW.getTime() - m * 60_000), lon: 122, lat: 30, sog: null, cog: null });
    const order = orderBatch([t(5), t(10), t(1)], new Map([['412345678', NOW.getTime() - 7 * 60_000]]));
    expect(order.outOfOrder).toBe(1);
    expect(order.latest.get('412345678')).toBe(NOW.getTime() - 60_000);
  });
});
