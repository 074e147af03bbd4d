// Vessel identity: MMSI (ITU-R M.585) and Chinese fishing-vessel registered names (船名: province + port + 渔 + serial).
// Both answer with a verdict rather than throwing, so a registry form and a batch import report every fault at once.

export interface IdentityVerdict {
  valid: boolean;
  /** Why it is invalid (set when `valid` is false). */
  message?: string;
  /** Well-formed but worth a look (a net beacon's MMSI, a vessel registered in another province). */
  warnings: string[];
}

export type MmsiCategory = 'ship' | 'group_or_coast' | 'sar_aircraft' | 'handheld_or_net_beacon' | 'aid_or_sar_device';

export interface MmsiVerdict extends IdentityVerdict {
  category?: MmsiCategory;
  /** Maritime Identification Digits, where the format carries them. */
  mid?: string;
  chinese?: boolean;
}

/** MIDs allocated to China (mainland); Hong Kong (477) and Macao (453) have their own registries. */
export const CHINA_MIDS = ['412', '413', '414'];

/**
 * Validates an MMSI: 9 digits; ship stations start 2–7 with the MID first. Numbers of handheld sets and the
 * net-buoy beacons fishermen attach to their nets (8…) and of AIS aids, SARTs and craft of a parent ship (9…) are
 * well-formed but are not a vessel's own transponder: they come back as warnings.
 *
 * @example validateMmsi('412345678') // { valid: true, category: 'ship', mid: '412', chinese: true, warnings: [] }
 */
export function validateMmsi(mmsi: string): MmsiVerdict {
  if (!/^[0-9]{9}$/.test(mmsi)) return { valid: false, message: `MMSI must be exactly 9 digits, got "${mmsi}"`, warnings: [] };
  const first = mmsi[0];
  if (first >= '2' && first <= '7') {
    const mid = mmsi.slice(0, 3);
    const chinese = CHINA_MIDS.includes(mid);
    return { valid: true, category: 'ship', mid, chinese, warnings: chinese ? [] : [`MID ${mid} is not a Chinese MID (412–414)`] };
  }
  if (first === '8') {
    const mid = mmsi.slice(1, 4);
    return {
      valid: true,
      category: 'handheld_or_net_beacon',
      mid,
      chinese: CHINA_MIDS.includes(mid),
      warnings: ['MMSI starting with 8 belongs to a handheld set or a net beacon (网位仪), not a vessel transponder'],
    };
  }
  if (first === '9') {
    const warning = mmsi.startsWith('970') || mmsi.startsWith('972') || mmsi.startsWith('974')
      ? 'MMSI 970/972/974… is an AIS-SART, MOB or EPIRB-AIS device, not a vessel'
      : mmsi.startsWith('99')
        ? 'MMSI 99… is an aid to navigation (or a net beacon using that range), not a vessel'
        : 'MMSI 9… is not a ship station (98… is a craft of a parent ship)';
    return { valid: true, category: 'aid_or_sar_device', warnings: [warning] };
  }
  if (mmsi.startsWith('111')) return { valid: true, category: 'sar_aircraft', mid: mmsi.slice(3, 6), warnings: ['MMSI 111… is a SAR aircraft'] };
  return { valid: true, category: 'group_or_coast', warnings: ['MMSI starting with 0 is a group or coast station, not a vessel'] };
}

/** Provinces with sea fisheries, by the one-character abbreviation that opens a registered name. */
export const FISHING_PROVINCES: Record<string, string> = {
  辽: '辽宁', 冀: '河北', 津: '天津', 鲁: '山东', 苏: '江苏', 沪: '上海', 浙: '浙江', 闽: '福建', 粤: '广东', 桂: '广西', 琼: '海南',
};

/** Zhejiang ports of registry by the abbreviation used in names (浙普渔 = 普陀). Not exhaustive: unknown ones warn. */
export const ZHEJIANG_PORTS: Record<string, string> = {
  普: '普陀', 嵊: '嵊泗', 岱: '岱山', 舟: '舟山', 定: '定海', 沈: '沈家门', 象: '象山', 甬: '宁波', 奉: '奉化', 宁: '宁海',
  北: '北仑', 鄞: '鄞州', 镇: '镇海', 慈: '慈溪', 温: '温州', 瑞: '瑞安', 平: '平阳', 苍: '苍南', 洞: '洞头', 乐: '乐清',
  台: '台州', 椒: '椒江', 路: '路桥', 岭: '温岭', 玉: '玉环', 临: '临海', 三: '三门', 嘉: '嘉兴', 海: '海盐',
};

// Province, one CJK port character, 渔, an optional use character (运 transport, 冷 reefer, 养 aquaculture, 辅 auxiliary), serial.
const NAME_FORM = /^(\p{Script=Han})(\p{Script=Han})渔([运冷养辅]?)([0-9]{5})$/u;

/**
 * Validates the form of a fishing vessel's registered name. Decision: any coastal province is well-formed
 * (鲁荣渔58288 fishes in Zhoushan's grounds too) but a name from outside Zhejiang, or a Zhejiang port not in
 * {@link ZHEJIANG_PORTS}, carries a warning; a Latin port letter or a serial other than 5 digits is invalid.
 *
 * @example validateRegisteredName('浙普渔64110') // { valid: true, warnings: [] }
 */
export function validateRegisteredName(name: string): IdentityVerdict {
  const match = NAME_FORM.exec(name.trim());
  if (!match) {
    return { valid: false, message: `"${name}" is not of the form province + port + 渔 + 5-digit serial (e.g. 浙普渔64110)`, warnings: [] };
  }
  const [, province, port] = match;
  if (!(province in FISHING_PROVINCES)) return { valid: false, message: `"${province}" is not the abbreviation of a coastal province`, warnings: [] };
  if (province !== '浙') return { valid: true, warnings: [`registered in ${FISHING_PROVINCES[province]}, not Zhejiang`] };
  if (!(port in ZHEJIANG_PORTS)) return { valid: true, warnings: [`"${port}" is not a known Zhejiang port of registry`] };
  return { valid: true, warnings: [] };
}
