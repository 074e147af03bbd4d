// Layer switcher and legend, side by side in the left column; both re-render when the language changes.
import type { Map as MapLibreMap } from 'maplibre-gl';
import { t, type MessageKey } from '../i18n/index.ts';
import { HOUSEHOLD_BANDS } from '../map/bands.ts';
import { EXTERNAL_LAYER_PREFIX } from '../map/basemap.ts';
import { UNASSIGNED_VESSEL_COLOUR, type Formation } from '../map/vessels.ts';
import {
  ALERT_COLOUR,
  COMMENT_COLOUR,
  BAND_COLOURS,
  BOUNDARY_COLOURS,
  DIFF_COLOURS,
  DRAFT_COLOUR,
  HIDDEN_AT_START,
  INHABITED_COLOUR,
  LAYER_GROUPS,
  PLAN_COLOUR,
  SEA_GRID_COLOURS,
  SPECIAL_COLOUR,
  UNCOVERED_COLOUR,
  VILLAGE_COLOUR,
  setGroupVisible,
  type LayerGroup,
} from '../map/layers.ts';

/** `changed` hears every toggle, so a layer can fetch its data the first time it is shown. */
export function mountLayerSwitcher(el: HTMLElement, map: MapLibreMap, hasExternalBasemap: boolean, changed: (group: string, visible: boolean) => void = () => {}): { render(): void } {
  const visible = new Map<string, boolean>(Object.keys(LAYER_GROUPS).map((g) => [g, !HIDDEN_AT_START.includes(g as LayerGroup)]));
  if (hasExternalBasemap) visible.set('basemap', true);
  const apply = (group: string, on: boolean) => {
    visible.set(group, on);
    if (group === 'basemap') {
      for (const layer of map.getStyle().layers.filter((l) => l.id.startsWith(EXTERNAL_LAYER_PREFIX))) map.setLayoutProperty(layer.id, 'visibility', on ? 'visible' : 'none');
    } else setGroupVisible(map, group as LayerGroup, on);
  };
  for (const group of HIDDEN_AT_START) apply(group, false);
  const render = () => {
    el.replaceChildren();
    const heading = document.createElement('h2');
    heading.textContent = t('layers');
    el.append(heading);
    for (const [group, on] of visible) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = on;
      box.dataset.group = group;
      box.addEventListener('change', () => {
        apply(group, box.checked);
        changed(group, box.checked);
      });
      label.append(box, ` ${t(`layer.${group}` as MessageKey)}`);
      el.append(label);
    }
  };
  render();
  return { render };
}

type Swatch = { colour: string; shape: 'fill' | 'line' | 'dash' | 'dot' | 'ring'; text: string };

/** `formations`: the vessel formations on the map, each with its colour. */
export function renderLegend(el: HTMLElement, formations: Formation[]): void {
  const { min, max } = HOUSEHOLD_BANDS.grid;
  const swatches: Swatch[] = [
    { colour: BAND_COLOURS.under, shape: 'fill', text: t('band.under', { min }) },
    { colour: BAND_COLOURS.in, shape: 'fill', text: t('band.in', { min, max }) },
    { colour: BAND_COLOURS.over, shape: 'fill', text: t('band.over', { max }) },
    { colour: SPECIAL_COLOUR, shape: 'fill', text: t('legend.special') },
    ...Object.entries(SEA_GRID_COLOURS).map(([subkind, colour]): Swatch => ({ colour, shape: 'fill', text: t(`legend.sea.${subkind}` as MessageKey) })),
    { colour: INHABITED_COLOUR, shape: 'line', text: t('legend.inhabited') },
    { colour: UNCOVERED_COLOUR, shape: 'dash', text: t('legend.uncovered') },
    { colour: BOUNDARY_COLOURS.county, shape: 'line', text: t('legend.county') },
    { colour: BOUNDARY_COLOURS.township, shape: 'dash', text: t('legend.township') },
    { colour: VILLAGE_COLOUR, shape: 'dash', text: t('legend.village') },
    { colour: DRAFT_COLOUR, shape: 'fill', text: t('legend.draft') },
    { colour: PLAN_COLOUR, shape: 'dash', text: t('layer.plan') },
    { colour: COMMENT_COLOUR, shape: 'dot', text: t('plan.comments.title') },
    ...Object.entries(DIFF_COLOURS).map(([change, colour]): Swatch => ({ colour, shape: 'fill', text: t(`legend.diff.${change}` as MessageKey) })),
    ...formations.map((f): Swatch => ({ colour: f.colour, shape: 'dot', text: t('legend.vessel', { formation: f.name }) })),
    ...(formations.length ? [{ colour: UNASSIGNED_VESSEL_COLOUR, shape: 'dot', text: t('legend.vessel.unassigned') } satisfies Swatch] : []),
    { colour: ALERT_COLOUR, shape: 'ring', text: t('legend.alert') },
  ];
  el.replaceChildren();
  const heading = document.createElement('h2');
  heading.textContent = t('legend');
  el.append(heading);
  for (const swatch of swatches) {
    const row = document.createElement('div');
    row.className = 'legend-row';
    row.dataset.shape = swatch.shape;
    const mark = document.createElement('span');
    mark.className = `swatch ${swatch.shape}`;
    mark.style.setProperty('--colour', swatch.colour);
    row.append(mark, swatch.text);
    el.append(row);
  }
}
