// The `f=html` face of the OGC API: plain pages a person can follow in a browser, no scripts.
import type { StoredFeature } from '../../db/repositories/features.ts';

export interface HtmlLink {
  href: string;
  rel: string;
  type?: string;
  title?: string;
}

const escape = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}</style>
</head><body><h1>${escape(title)}</h1>${body}</body></html>`;
}

export function linkList(links: HtmlLink[]): string {
  const items = links.map((l) => `<li><a href="${escape(l.href)}">${escape(l.title ?? l.rel)}</a> <small>${escape(l.rel)} ${escape(l.type)}</small></li>`);
  return `<ul>${items.join('')}</ul>`;
}

export function paragraph(text: string): string {
  return `<p>${escape(text)}</p>`;
}

/** Features as a table of their properties, each id linking to the feature's own page. */
export function featureTable(features: StoredFeature[], itemHref: (id: string) => string): string {
  const columns = [...new Set(features.flatMap((f) => Object.keys(f.properties)))];
  const head = `<tr><th>id</th>${columns.map((c) => `<th>${escape(c)}</th>`).join('')}</tr>`;
  const rows = features.map(
    (f) => `<tr><td><a href="${escape(itemHref(f.id))}">${escape(f.id)}</a></td>${columns.map((c) => `<td>${escape(f.properties[c])}</td>`).join('')}</tr>`,
  );
  return `<table>${head}${rows.join('')}</table>`;
}
