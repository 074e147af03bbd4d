// The role the editor acts in: one of the demo keys, or none (the public).
import { DEMO_KEYS } from '../api/auth.ts';
import { t } from '../i18n/index.ts';

export function renderRoleSwitcher(select: HTMLSelectElement, key: string | null, choose: (key: string | null) => void): void {
  select.replaceChildren(new Option(t('role.public'), ''), ...Object.keys(DEMO_KEYS).map((k) => new Option(k, k, false, k === key)));
  select.title = t('role.label');
  select.onchange = () => choose(select.value || null);
}
