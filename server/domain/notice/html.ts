// Printable public notices: one A4 page per grid, Chinese first with English labels. Self-contained HTML (inline SVG
// map, system CJK fonts, no scripts) so a township office can print it offline and nothing is fetched from elsewhere.
import type { ChainHead } from '../../schemas/plans.ts';
import type { DivisionNotice, GridNotice } from './content.ts';
import { escapeHtml as e } from './escape.ts';
import { shortGridLabel } from './map.ts';
import { ROLE_NAMES } from '../staff/roster.ts';

const KIND = {
  comprehensive: ['综合网格', 'Comprehensive grid'],
  special: ['专属网格', 'Special grid'],
  maritime: ['海上专属网格', 'Maritime grid'],
} as const;


const STYLE = `
@page { size: A4; margin: 15mm }
* { box-sizing: border-box }
body { margin: 0; color: #1a1a1a; font: 11pt/1.45 "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif }
.notice-page { width: 180mm; margin: 0 auto }
.notice-page ~ .notice-page { page-break-before: always; break-before: page }
header { border-bottom: 2px solid #c62828; margin-bottom: 4mm; padding-bottom: 2mm }
header .kicker { color: #c62828; font-size: 10pt; letter-spacing: 0.1em }
h1 { font-size: 20pt; margin: 1mm 0 0 }
h1 small, h2 small, th small, .en { color: #666; font-weight: normal; font-size: 0.7em }
h2 { font-size: 12pt; margin: 4mm 0 1.5mm; border-left: 3px solid #c62828; padding-left: 2mm }
table { width: 100%; border-collapse: collapse }
th, td { border: 1px solid #bbb; padding: 1.2mm 2mm; text-align: left; vertical-align: top }
th { background: #f3f3f3; font-weight: 600 }
.facts th, .staff th:first-child { width: 34mm }
td.phone { font-variant-numeric: tabular-nums; white-space: nowrap }
.map svg { display: block; width: 100%; height: auto; border: 1px solid #bbb }
.hotline { margin-top: 4mm; padding: 2.5mm 3mm; border: 2px solid #c62828; font-size: 13pt }
.hotline strong { font-size: 18pt; color: #c62828; margin-left: 2mm }
.empty { padding: 10mm 0; font-size: 13pt }
footer { margin-top: 3mm; color: #666; font-size: 8.5pt }
footer .chain-head { margin-top: 1mm }
footer code { font-size: 7.5pt; word-break: break-all }
@media screen {
  body { background: #ddd }
  .notice-page { background: #fff; width: 210mm; min-height: 297mm; padding: 15mm; margin: 8mm auto; box-shadow: 0 1px 4px rgba(0,0,0,.3) }
}
`;

const bilingual = ([zh, en]: readonly [string, string]) => `${e(zh)} <small>${e(en)}</small>`;

function document(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

/** 舟山市 普陀区 沈家门街道 …: the chain from the top down. */
const place = (notice: Pick<GridNotice, 'division'>) => [...notice.division.chain].reverse().map((d) => d.name).join(' ');

const footer = (validFrom: string | null, head: ChainHead | null) => `<footer>依据《舟山市网格化服务管理条例》第二十二条公示 · Public notice under Art. 22 of the Zhoushan Regulations on Grid-based Service Management${
  validFrom ? ` · 自 ${e(validFrom)} 起施行 In force since ${e(validFrom)}` : ''
}${chainHeadLine(head)}</footer>`;

/** The filing chain's head, in full: whoever holds the paper can later check the chain still reaches it. */
const chainHeadLine = (head: ChainHead | null) =>
  head
    ? `<div class="chain-head">备案链头 <span class="en">Filing chain head</span>: ${e(head.number)} · 第 ${head.chainSeq} 号 <span class="en">sequence ${head.chainSeq}</span> · ${e(head.filedAt)} · SHA-256 <code>${e(head.sha256)}</code></div>`
    : '';

const hotline = (number: string) =>
  `<div class="hotline">监督举报电话 <span class="en">Supervision hotline</span><strong>${e(number)}</strong></div>`;

function gridSection(notice: GridNotice, map: string): string {
  const staffRows = notice.staff.length
    ? notice.staff.map((s) => `<tr><th>${bilingual([ROLE_NAMES[s.role].zh, ROLE_NAMES[s.role].en])}</th><td>${e(s.name)}</td><td class="phone">${e(s.phone ?? '—')}</td></tr>`).join('')
    : '<tr><td colspan="3">未配备 <span class="en">No staff assigned</span></td></tr>';
  const units = notice.managingUnits.map((u) => `${e(u.name)}${u.role === 'business' ? '（业务主管 business）' : '（属地 territorial）'}`).join('；');
  return `<section class="notice-page grid-notice" data-code="${e(notice.code)}">
<header><div class="kicker">网格公示 · PUBLIC NOTICE OF GRID</div>
<h1>${e(notice.name)} <small>${e(notice.code)}</small></h1></header>
<table class="facts">
<tr><th>网格编码 <small>Code</small></th><td>${e(notice.code)}</td><th>网格类型 <small>Kind</small></th><td>${bilingual(KIND[notice.kind])}</td></tr>
<tr><th>所属区划 <small>Division</small></th><td colspan="3">${e(place(notice))} <small class="en">${e(notice.division.code)}</small></td></tr>
<tr><th>户数 <small>Households</small></th><td>${notice.households}</td><th>人口 <small>Population</small></th><td>${notice.population}</td></tr>
<tr><th>面积 <small>Area</small></th><td>${notice.areaKm2.toFixed(2)} km²</td><th>管理单位 <small>Managed by</small></th><td>${units || '—'}</td></tr>
</table>
<h2>区域范围 <small>Area map</small></h2>
<div class="map">${map}</div>
<h2>网格化服务管理人员 <small>Grid staff and contacts</small></h2>
<table class="staff"><tr><th>职务 <small>Role</small></th><th>姓名 <small>Name</small></th><th>联系电话 <small>Phone</small></th></tr>${staffRows}</table>
${hotline(notice.hotline)}
${footer(notice.validFrom, notice.chainHead)}
</section>`;
}

/** One grid's notice as a printable A4 page; `map` is the SVG from renderNoticeMap. */
export function renderGridNoticePage(notice: GridNotice, map: string): string {
  return document(`网格公示 ${notice.name} ${notice.code}`, gridSection(notice, map));
}

/**
 * A division's notices as one printable document: an overview page with all grids labelled on one map and a
 * list of them, then one page per grid. `maps` holds each grid's SVG by code.
 */
export function renderDivisionNoticeDocument(notice: DivisionNotice, overviewMap: string, maps: Map<string, string>): string {
  const name = notice.division.name;
  const rows = notice.notices
    .map((n) => {
      const leader = n.staff.find((s) => s.role === 'leader');
      return `<tr><td>${e(shortGridLabel(n.code))}</td><td>${e(n.code)}</td><td>${e(n.name)}</td><td>${n.households}</td><td>${e(leader?.name ?? '—')}</td><td class="phone">${e(leader?.phone ?? '—')}</td></tr>`;
    })
    .join('');
  const list = notice.notices.length
    ? `<h2>网格一览 <small>Grids</small></h2>
<table class="grid-list"><tr><th>图上编号 <small>Map</small></th><th>编码 <small>Code</small></th><th>名称 <small>Name</small></th><th>户数 <small>Households</small></th><th>网格长 <small>Leader</small></th><th>电话 <small>Phone</small></th></tr>${rows}</table>`
    : `<p class="empty">本区划${notice.at ? `于 ${e(notice.at)} ` : ''}尚无已备案网格。<br><span class="en">No filed grids in this division${notice.at ? ` on ${e(notice.at)}` : ''}.</span></p>`;
  const overview = `<section class="notice-page overview">
<header><div class="kicker">网格公示 · PUBLIC NOTICE OF GRIDS</div>
<h1>${e(name)}网格划分 <small>Grids of ${e(name)} · ${e(notice.division.code)}</small></h1></header>
<div class="map">${overviewMap}</div>
${list}
${hotline(notice.hotline)}
${footer(null, notice.chainHead)}
</section>`;
  const pages = notice.notices.map((n) => gridSection(n, maps.get(n.code) ?? ''));
  return document(`网格公示 ${name}`, overview + pages.join(''));
}
