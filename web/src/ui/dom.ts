// The few element builders every panel uses, so each panel reads as its content.

export function heading(text: string): HTMLHeadingElement {
  const h = document.createElement('h2');
  h.textContent = text;
  return h;
}

export function button(id: string, text: string, onClick: () => void, disabled = false): HTMLButtonElement {
  const b = document.createElement('button');
  if (id) b.id = id;
  b.textContent = text;
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

export function paragraph(className: string, text: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

/** A time as people in Zhoushan read it (China Standard Time), in the interface language. */
export function localTime(iso: string, lang: 'zh' | 'en'): string {
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' });
}
