// Demo mode's users: one per role, with fixed, printed keys. Production mode creates none.
import type { Role } from './roles.ts';

export interface DemoUser {
  key: string;
  name: string;
  role: Role;
  scopePrefix: string;
}

export const DEMO_USERS: DemoUser[] = [
  { key: 'demo-planner', name: '沈家门街道网格规划员 (demo)', role: 'township_planner', scopePrefix: '330903001' },
  { key: 'demo-planner-changguo', name: '昌国街道网格规划员 (demo)', role: 'township_planner', scopePrefix: '330902002' },
  { key: 'demo-reviewer', name: '普陀区网格化工作机构审核员 (demo)', role: 'county_reviewer', scopePrefix: '330903' },
  { key: 'demo-reviewer-dinghai', name: '定海区网格化工作机构审核员 (demo)', role: 'county_reviewer', scopePrefix: '330902' },
  { key: 'demo-registrar', name: '舟山市网格化工作机构备案员 (demo)', role: 'city_registrar', scopePrefix: '3309' },
  { key: 'demo-maritime', name: '舟山市海洋与渔业局 (demo)', role: 'maritime_authority', scopePrefix: '3309' },
  { key: 'demo-client', name: '12345热线系统 (demo)', role: 'api_client', scopePrefix: '' },
  { key: 'demo-ais', name: '舟山渔船AIS岸基站数据接入 (demo)', role: 'ais_feed', scopePrefix: '' },
];
