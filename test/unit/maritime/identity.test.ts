import { describe, expect, it } from 'vitest';
import { validateMmsi, validateRegisteredName } from '../../../server/domain/maritime/identity.ts';

describe('validateMmsi', () => {
  it('accepts a Chinese ship station', () => {
    expect(validateMmsi('412345678')).toMatchObject({ valid: true, category: 'ship', mid: '412', chinese: true, warnings: [] });
    expect(validateMmsi('413000001').chinese).toBe(true);
  });
  it('rejects anything but 9 digits', () => {
    expect(validateMmsi('41234567').valid).toBe(false);
    expect(validateMmsi('4123456789').valid).toBe(false);
    expect(validateMmsi('41234567a').valid).toBe(false);
  });
  it('flags AIS devices and net beacons as warnings, not errors', () => {
    const sart = validateMmsi('970123456');
    expect(sart).toMatchObject({ valid: true, category: 'aid_or_sar_device' });
    expect(sart.warnings[0]).toMatch(/SART/);
    expect(validateMmsi('994121234').warnings[0]).toMatch(/aid to navigation/);
    expect(validateMmsi('841201234')).toMatchObject({ valid: true, category: 'handheld_or_net_beacon', mid: '412', chinese: true });
  });
  it('warns on a foreign MID', () => {
    const v = validateMmsi('366053209');
    expect(v).toMatchObject({ valid: true, chinese: false });
    expect(v.warnings).toHaveLength(1);
  });
});

describe('validateRegisteredName', () => {
  it('accepts Zhoushan names without warnings', () => {
    expect(validateRegisteredName('浙普渔64110')).toEqual({ valid: true, warnings: [] });
    expect(validateRegisteredName('浙嵊渔07689')).toEqual({ valid: true, warnings: [] });
    expect(validateRegisteredName('浙岱渔冷03215').valid).toBe(true);
  });
  it('accepts a well-formed name from another province with a warning', () => {
    const v = validateRegisteredName('鲁荣渔58288');
    expect(v.valid).toBe(true);
    expect(v.warnings[0]).toMatch(/山东/);
  });
  it('warns on an unknown Zhejiang port character', () => {
    const v = validateRegisteredName('浙龙渔12345');
    expect(v.valid).toBe(true);
    expect(v.warnings[0]).toMatch(/not a known Zhejiang port/);
  });
  it('rejects malformed names', () => {
    expect(validateRegisteredName('浙X渔1234').valid).toBe(false);
    expect(validateRegisteredName('浙普渔6411').valid).toBe(false);
    expect(validateRegisteredName('浙普货64110').valid).toBe(false);
    expect(validateRegisteredName('京普渔64110').message).toMatch(/coastal province/);
  });
});
