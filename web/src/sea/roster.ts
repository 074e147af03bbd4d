// The vessel list the maritime authority builds formations (编组) from: each vessel with the formation it is in and
// that formation's colour on the map, and the formations in force it can be put into.
import type { GridFeature, Vessel } from '../api/client.ts';
import { UNASSIGNED_VESSEL_COLOUR, type Formation } from '../map/vessels.ts';

export interface FormationChoice {
  code: string;
  name: string;
  divisionCode: string;
}

export interface FleetRow {
  id: string;
  name: string;
  mmsi: string;
  formationCode: string | null;
  formationName: string | null;
  colour: string;
}

/**
 * The vessel formations in force among the filed grids, by code.
 * @example formationChoices(grids).map((f) => f.code) // ['330903001000804', '330903001000805', '330922100000801']
 */
export function formationChoices(grids: GridFeature[]): FormationChoice[] {
  return grids
    .filter((g) => g.properties.kind === 'maritime' && g.properties.subkind === 'vessel_formation' && g.properties.code)
    .map((g) => ({ code: g.properties.code!, name: g.properties.name, divisionCode: g.properties.divisionCode }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** Every vessel, grouped by formation in the order of the legend, those in none last; by registered name within. */
export function fleetRows(vessels: Vessel[], formations: Formation[]): FleetRow[] {
  const order = new Map(formations.map((f, i) => [f.code, i]));
  const byCode = new Map(formations.map((f) => [f.code, f]));
  const rank = (code: string | null) => (code === null ? formations.length : (order.get(code) ?? formations.length));
  return vessels
    .map((v) => {
      const formation = v.formationCode ? byCode.get(v.formationCode) : undefined;
      return {
        id: v.id,
        name: v.registeredName,
        mmsi: v.mmsi ?? '',
        formationCode: v.formationCode,
        formationName: formation?.name ?? v.formationCode,
        colour: formation?.colour ?? UNASSIGNED_VESSEL_COLOUR,
      };
    })
    .sort((a, b) => rank(a.formationCode) - rank(b.formationCode) || a.name.localeCompare(b.name, 'zh'));
}
