// Every string the editor shows, Chinese first; `t` reads the current language and `onLanguageChange` lets panels re-render.
export type Language = 'zh' | 'en';

const zh = {
  title: '网格 Wangge',
  loading: '加载中…',
  status: '{grids} 个网格 · {islands} 个海岛',
  loadFailed: '数据加载失败：{detail}',
  switchLanguage: 'English',
  searchPlaceholder: '搜索网格编码、名称或区划',
  searchNone: '没有匹配项',
  layers: '图层',
  legend: '图例',
  'layer.land': '陆地与海岛',
  'layer.divisions': '行政区划界线',
  'layer.grids': '综合网格',
  'layer.special': '专属网格',
  'layer.micro': '微网格',
  'layer.sea': '海上网格',
  'layer.islands': '有人岛 / 未覆盖海岛',
  'layer.density': '户数密度热力图',
  'layer.labels': '网格名称与编码',
  'layer.draft': '草案',
  'layer.basemap': '外部底图',
  'band.under': '户数不足（<{min}）',
  'band.in': '户数达标（{min}–{max}）',
  'band.over': '户数超标（>{max}）',
  'legend.special': '专属网格',
  'legend.sea.vessel_formation': '船只编组',
  'legend.sea.aquaculture': '水产养殖海域',
  'legend.sea.offshore_operation': '海上作业区',
  'legend.inhabited': '有人岛',
  'legend.uncovered': '未覆盖的有人岛',
  'legend.county': '县（区）界',
  'legend.township': '乡镇（街道）界',
  'legend.draft': '草案网格',
  'card.title': '网格',
  'card.code': '编码',
  'card.kind': '类型',
  'card.division': '所属区划',
  'card.households': '户数',
  'card.population': '人口',
  'card.staff': '网格员',
  'card.noStaff': '未配备',
  'card.history': '版本',
  'card.validFrom': '自 {from} 起生效',
  'card.toDraft': '复制到草案',
  'card.close': '关闭',
  'kind.comprehensive': '综合网格',
  'kind.special': '专属网格',
  'kind.maritime': '海上专属网格',
  'role.leader': '网格长',
  'role.worker': '专职网格员',
  'role.info_officer': '信息员',
  'edit.title': '编辑草案',
  'edit.division': '草案所属乡镇',
  'edit.chooseDivision': '（选择乡镇）',
  'edit.loadFiled': '载入该乡镇已备案网格',
  'edit.draw': '绘制',
  'edit.select': '选择',
  'edit.split': '分割',
  'edit.merge': '合并',
  'edit.delete': '删除',
  'edit.undo': '撤销',
  'edit.redo': '重做',
  'edit.count': '草案中 {count} 个网格，已选 {selected} 个',
  'edit.hint.draw': '单击添加顶点，单击起点或按回车完成，Esc 取消',
  'edit.hint.select': '单击选择网格，Shift+单击多选；拖动顶点修改形状',
  'edit.hint.split': '画一条穿过所选网格的线，双击或回车结束',
  'edit.shortcuts': '快捷键：D 绘制 · V 选择 · S 分割 · M 合并 · Delete 删除 · Ctrl+Z 撤销 · Ctrl+Y 重做 · Esc 取消',
  'edit.error.select-one': '请先选择一个网格',
  'edit.error.select-two': '请至少选择两个网格',
  'edit.error.line-does-not-split': '分割线没有把网格分成两部分',
  'edit.error.not-adjacent': '所选网格互不相邻，不能合并',
  'edit.error.unknown-feature': '网格不在草案中',
  'edit.error.empty-geometry': '几何为空',
  'validation.title': '校验',
  'validation.ok': '未发现问题',
  'validation.counts': '{error} 个错误，{warning} 个警告',
  'validation.unavailable': '服务器校验暂不可用（/v1/validate 未开放），仅显示本地检查',
  'validation.failed': '校验请求失败：{detail}',
  'validation.noDivision': '选择草案所属乡镇后进行服务器校验',
  'validation.running': '校验中…',
  'severity.error': '错误',
  'severity.warning': '警告',
  'local.selfIntersection': '草案网格 {name} 自相交（{count} 处），请修改顶点；系统不会自动修复',
  'local.outsideDivision': '草案网格 {name} 超出所属乡镇边界',
  'draft.name': '草案 {n}',
  basemapOn: '外部底图：{url}',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  title: 'Wangge grids',
  loading: 'Loading…',
  status: '{grids} grids · {islands} islands',
  loadFailed: 'Could not load data: {detail}',
  switchLanguage: '中文',
  searchPlaceholder: 'Search grid code, name or division',
  searchNone: 'No match',
  layers: 'Layers',
  legend: 'Legend',
  'layer.land': 'Land and islands',
  'layer.divisions': 'Division boundaries',
  'layer.grids': 'Comprehensive grids',
  'layer.special': 'Special grids',
  'layer.micro': 'Micro-grids',
  'layer.sea': 'Sea grids',
  'layer.islands': 'Inhabited / uncovered islands',
  'layer.density': 'Household density heatmap',
  'layer.labels': 'Grid names and codes',
  'layer.draft': 'Draft',
  'layer.basemap': 'External basemap',
  'band.under': 'Too few households (<{min})',
  'band.in': 'In band ({min}–{max})',
  'band.over': 'Too many households (>{max})',
  'legend.special': 'Special grid',
  'legend.sea.vessel_formation': 'Vessel formation',
  'legend.sea.aquaculture': 'Aquaculture area',
  'legend.sea.offshore_operation': 'Offshore operation zone',
  'legend.inhabited': 'Inhabited island',
  'legend.uncovered': 'Inhabited island without a grid',
  'legend.county': 'County boundary',
  'legend.township': 'Township boundary',
  'legend.draft': 'Draft grid',
  'card.title': 'Grid',
  'card.code': 'Code',
  'card.kind': 'Kind',
  'card.division': 'Division',
  'card.households': 'Households',
  'card.population': 'Population',
  'card.staff': 'Staff',
  'card.noStaff': 'None assigned',
  'card.history': 'Version',
  'card.validFrom': 'in force since {from}',
  'card.toDraft': 'Copy to draft',
  'card.close': 'Close',
  'kind.comprehensive': 'Comprehensive grid',
  'kind.special': 'Special grid',
  'kind.maritime': 'Sea grid',
  'role.leader': 'Grid leader',
  'role.worker': 'Grid worker',
  'role.info_officer': 'Information officer',
  'edit.title': 'Edit draft',
  'edit.division': 'Township of the draft',
  'edit.chooseDivision': '(choose a township)',
  'edit.loadFiled': 'Load the township’s filed grids',
  'edit.draw': 'Draw',
  'edit.select': 'Select',
  'edit.split': 'Split',
  'edit.merge': 'Merge',
  'edit.delete': 'Delete',
  'edit.undo': 'Undo',
  'edit.redo': 'Redo',
  'edit.count': '{count} grids in the draft, {selected} selected',
  'edit.hint.draw': 'Click to add vertices; click the first vertex or press Enter to finish, Esc to cancel',
  'edit.hint.select': 'Click a grid to select it, Shift+click for more; drag vertices to reshape',
  'edit.hint.split': 'Draw a line across the selected grid; double-click or Enter to finish',
  'edit.shortcuts': 'Keys: D draw · V select · S split · M merge · Delete · Ctrl+Z undo · Ctrl+Y redo · Esc cancel',
  'edit.error.select-one': 'Select one grid first',
  'edit.error.select-two': 'Select at least two grids',
  'edit.error.line-does-not-split': 'The line does not cut the grid in two',
  'edit.error.not-adjacent': 'The selected grids do not touch; they cannot be merged',
  'edit.error.unknown-feature': 'That grid is not in the draft',
  'edit.error.empty-geometry': 'Empty geometry',
  'validation.title': 'Validation',
  'validation.ok': 'No findings',
  'validation.counts': '{error} errors, {warning} warnings',
  'validation.unavailable': 'Server validation is not available yet (/v1/validate); local checks only',
  'validation.failed': 'Validation request failed: {detail}',
  'validation.noDivision': 'Choose the township of the draft to validate on the server',
  'validation.running': 'Validating…',
  'severity.error': 'Error',
  'severity.warning': 'Warning',
  'local.selfIntersection': 'Draft grid {name} intersects itself ({count} places); move its vertices — nothing is fixed automatically',
  'local.outsideDivision': 'Draft grid {name} extends outside its township',
  'draft.name': 'Draft {n}',
  basemapOn: 'External basemap: {url}',
};

const messages: Record<Language, Record<MessageKey, string>> = { zh, en };
let current: Language = 'zh';
const listeners = new Set<(language: Language) => void>();

export function language(): Language {
  return current;
}

/** `t('status', { grids: 3, islands: 2 })` → "3 个网格 · 2 个海岛" */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return translate(current, key, params);
}

/** One message in a given language, for texts that carry both (findings are `{ zh, en }`). */
export function translate(lang: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  return messages[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function setLanguage(next: Language): void {
  if (next === current) return;
  current = next;
  for (const listener of listeners) listener(next);
}

export function onLanguageChange(listener: (language: Language) => void): void {
  listeners.add(listener);
}

/** Fills every `[data-i18n]` element under `root` with its message; placeholders via `data-i18n-placeholder`. */
export function translateDom(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n as MessageKey);
  for (const el of root.querySelectorAll<HTMLInputElement>('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder as MessageKey);
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle as MessageKey);
}
