// A minimal NMEA 0183 AIS decoder (AIVDM/AIVDO): checksum, 6-bit payload armouring, position reports of types
// 1/2/3 (Class A) and 18 (Class B). Multi-sentence messages are reassembled; types other than 1/2/3/18 are reported
// as unsupported. Field layout after ITU-R M.1371 as described on gpsd's "AIVDM/AIVDO protocol decoding" page.

export interface AisPosition {
  type: 1 | 2 | 3 | 18;
  mmsi: string;
  lon: number;
  lat: number;
  /** knots; null when not available (1023) */
  sog: number | null;
  /** degrees; null when not available (3600) */
  cog: number | null;
  /** Receiver time from an NMEA 4.0 tag block (`\c:<unix seconds>*hh\`), when the line carries one. */
  receivedAt: Date | null;
}

export type NmeaFault = 'checksum' | 'malformed' | 'unsupported' | 'no-position';

export interface NmeaLineResult {
  line: number;
  fault: NmeaFault;
  message: string;
}

export interface NmeaBatch {
  positions: Array<AisPosition & { line: number }>;
  faults: NmeaLineResult[];
}

/** XOR of every character between the leading `!`/`$` and `*`. */
export function nmeaChecksum(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum;
}

/** Payload characters to bits: each carries 6, offset 48, with a gap of 8 above 'W'. */
function unarmour(payload: string, fillBits: number): Uint8Array | null {
  const bits = new Uint8Array(payload.length * 6);
  for (let i = 0; i < payload.length; i++) {
    const code = payload.charCodeAt(i);
    if (code < 48 || code > 119 || (code > 87 && code < 96)) return null;
    let v = code - 48;
    if (v > 40) v -= 8;
    for (let b = 0; b < 6; b++) bits[i * 6 + b] = (v >> (5 - b)) & 1;
  }
  return bits.subarray(0, bits.length - fillBits);
}

function unsigned(bits: Uint8Array, start: number, width: number): number {
  let v = 0;
  for (let i = start; i < start + width; i++) v = v * 2 + bits[i];
  return v;
}

function signed(bits: Uint8Array, start: number, width: number): number {
  const v = unsigned(bits, start, width);
  return bits[start] ? v - 2 ** width : v;
}

// Bit offsets of SOG, longitude, latitude and COG: Class B has 8 reserved bits where Class A has status and ROT.
const LAYOUT = { A: { sog: 50, lon: 61, lat: 89, cog: 116, length: 168 }, B: { sog: 46, lon: 57, lat: 85, cog: 112, length: 168 } };

/** Decodes an assembled payload to a position report, or says why it cannot. */
export function decodeAisPayload(bits: Uint8Array): Omit<AisPosition, 'receivedAt'> | { fault: NmeaFault; message: string } {
  if (bits.length < 38) return { fault: 'malformed', message: `payload of ${bits.length} bits is too short` };
  const type = unsigned(bits, 0, 6);
  if (type !== 1 && type !== 2 && type !== 3 && type !== 18) return { fault: 'unsupported', message: `AIS message type ${type} is not a position report (1/2/3/18)` };
  const at = type === 18 ? LAYOUT.B : LAYOUT.A;
  if (bits.length < at.length) return { fault: 'malformed', message: `type ${type} needs ${at.length} bits, payload has ${bits.length}` };
  const mmsi = String(unsigned(bits, 8, 30)).padStart(9, '0');
  const lon = signed(bits, at.lon, 28) / 600_000;
  const lat = signed(bits, at.lat, 27) / 600_000;
  // 181° and 91° are the standard's "not available".
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return { fault: 'no-position', message: `MMSI ${mmsi} reported no position` };
  const sog = unsigned(bits, at.sog, 10);
  const cog = unsigned(bits, at.cog, 12);
  return { type, mmsi, lon, lat, sog: sog === 1023 ? null : sog / 10, cog: cog >= 3600 ? null : cog / 10 };
}

interface Fragment {
  total: number;
  payload: string;
  fill: number;
  receivedAt: Date | null;
}

const SENTENCE = /^!(AI|AB|BS|AN|SA)VD[MO]$/;

/**
 * Decodes lines of raw AIS: one sentence per line, optionally behind a tag block. Faulty lines are counted and
 * reported with their line number; the batch goes on.
 *
 * @example decodeNmeaLines(['!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C']).positions[0].mmsi // '477553000'
 */
export function decodeNmeaLines(lines: readonly string[]): NmeaBatch {
  const positions: NmeaBatch['positions'] = [];
  const faults: NmeaLineResult[] = [];
  const pending = new Map<string, Fragment[]>();

  lines.forEach((raw, index) => {
    const line = index + 1;
    let text = raw.trim();
    if (text === '') return;
    let receivedAt: Date | null = null;
    const tag = /^\\([^\\]*)\\/.exec(text);
    if (tag) {
      const seconds = /(?:^|,)c:(\d+)/.exec(tag[1].split('*')[0]);
      if (seconds) receivedAt = new Date(Number(seconds[1]) * (seconds[1].length > 10 ? 1 : 1000));
      text = text.slice(tag[0].length);
    }
    const star = text.lastIndexOf('*');
    if (!text.startsWith('!') || star < 0) return void faults.push({ line, fault: 'malformed', message: 'not an NMEA sentence (!…*hh)' });
    const body = text.slice(1, star);
    const given = Number.parseInt(text.slice(star + 1, star + 3), 16);
    if (Number.isNaN(given) || given !== nmeaChecksum(body)) {
      return void faults.push({ line, fault: 'checksum', message: `checksum ${text.slice(star + 1)} does not match ${nmeaChecksum(body).toString(16).toUpperCase().padStart(2, '0')}` });
    }
    const fields = text.slice(0, star).split(',');
    if (fields.length !== 7 || !SENTENCE.test(fields[0])) return void faults.push({ line, fault: 'malformed', message: 'expected !AIVDM/!AIVDO with 7 fields' });
    const [, totalText, numberText, sequence, channel, payload, fillText] = fields;
    const total = Number(totalText), number = Number(numberText), fill = Number(fillText);
    if (!(total >= 1 && number >= 1 && number <= total && fill >= 0 && fill <= 5)) {
      return void faults.push({ line, fault: 'malformed', message: 'fragment count, number or fill bits out of range' });
    }

    let assembled: Fragment[];
    if (total === 1) assembled = [{ total, payload, fill, receivedAt }];
    else {
      const key = `${fields[0]}|${sequence}|${channel}`;
      const parts = number === 1 ? [] : pending.get(key);
      if (!parts || parts.length !== number - 1) {
        pending.delete(key);
        return void faults.push({ line, fault: 'malformed', message: `fragment ${number}/${total} without its predecessors` });
      }
      parts.push({ total, payload, fill, receivedAt });
      if (number < total) return void pending.set(key, parts);
      pending.delete(key);
      assembled = parts;
    }
    const bits = unarmour(assembled.map((f) => f.payload).join(''), assembled[assembled.length - 1].fill);
    if (!bits) return void faults.push({ line, fault: 'malformed', message: 'payload has characters outside the AIS 6-bit alphabet' });
    const decoded = decodeAisPayload(bits);
    if ('fault' in decoded) return void faults.push({ line, ...decoded });
    positions.push({ ...decoded, receivedAt: assembled[0].receivedAt, line });
  });
  for (const parts of pending.values()) faults.push({ line: lines.length, fault: 'malformed', message: `multi-sentence message incomplete (${parts.length}/${parts[0].total} fragments)` });
  return { positions, faults };
}
