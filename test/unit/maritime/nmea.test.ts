// Known sentences from gpsd's "AIVDM/AIVDO protocol decoding" page and the pyais test suite.
import { describe, expect, it } from 'vitest';
import { decodeNmeaLines, nmeaChecksum } from '../../../server/domain/maritime/nmea.ts';

describe('decodeNmeaLines', () => {
  it('decodes the classic type 1 report (gpsd)', () => {
    const { positions, faults } = decodeNmeaLines(['!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C']);
    expect(faults).toEqual([]);
    expect(positions[0]).toMatchObject({ type: 1, mmsi: '477553000', sog: 0, cog: 51 });
    expect(positions[0].lat).toBeCloseTo(47.582833, 5);
    expect(positions[0].lon).toBeCloseTo(-122.345833, 5);
  });
  it('decodes the San Francisco type 1 report', () => {
    const [p] = decodeNmeaLines(['!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C']).positions;
    expect(p).toMatchObject({ type: 1, mmsi: '366053209', sog: 0, cog: 219.3 });
    expect(p.lat).toBeCloseTo(37.802118, 5);
    expect(p.lon).toBeCloseTo(-122.341618, 5);
  });
  it('decodes a Class B type 18 report', () => {
    const [p] = decodeNmeaLines(['!AIVDM,1,1,,A,B5NJ;PP005l4ot5Isbl03wsUkP06,0*76']).positions;
    expect(p).toMatchObject({ type: 18, mmsi: '367430530', sog: 0, cog: 0 });
    expect(p.lat).toBeCloseTo(37.785035, 5);
    expect(p.lon).toBeCloseTo(-122.26732, 5);
  });
  it('computes the checksum over the text between ! and *', () => {
    expect(nmeaChecksum('AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0')).toBe(0x5c);
  });
  it('counts a bad checksum and goes on with the batch', () => {
    const { positions, faults } = decodeNmeaLines([
      '!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5D',
      'garbage',
      '!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C',
    ]);
    expect(positions.map((p) => p.mmsi)).toEqual(['366053209']);
    expect(faults.map((f) => [f.line, f.fault])).toEqual([[1, 'checksum'], [2, 'malformed']]);
  });
  it('reassembles a two-sentence type 5 message and reports it unsupported', () => {
    const { positions, faults } = decodeNmeaLines([
      '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
      '!AIVDM,2,2,1,A,88888888880,2*25',
    ]);
    expect(positions).toEqual([]);
    expect(faults).toEqual([{ line: 2, fault: 'unsupported', message: expect.stringMatching(/type 5/) }]);
  });
  it('reports a lone second fragment', () => {
    expect(decodeNmeaLines(['!AIVDM,2,2,1,A,88888888880,2*25']).faults[0].fault).toBe('malformed');
  });
  it('takes the receiver time from a tag block', () => {
    const [p] = decodeNmeaLines(['\\c:1714550400*5A\\!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C']).positions;
    expect(p.receivedAt?.toISOString()).toBe('2024-05-01T08:00:00.000Z');
  });
});
