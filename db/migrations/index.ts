// Explicit migration list: knex's directory loader does not know TypeScript ESM, and an explicit list is reviewable.
import type { Knex } from 'knex';
import * as registry from './001_registry.ts';
import * as maritime from './002_maritime.ts';
import * as workflow from './003_workflow.ts';
import * as planScope from './004_plan_scope.ts';
import * as formationFootprint from './005_formation_footprint.ts';
import * as filingBase from './006_filing_base.ts';
import * as positionTimeBrin from './007_position_time_brin.ts';
import * as aisFeedRole from './008_ais_feed_role.ts';
import * as tileShapes from './009_tile_shapes.ts';
import * as administration from './010_administration.ts';
import * as gridClosedBy from './011_grid_closed_by.ts';
import * as staffRoster from './012_staff_roster.ts';

const MIGRATIONS: Record<string, Knex.Migration> = {
  '001_registry': registry,
  '002_maritime': maritime,
  '003_workflow': workflow,
  '004_plan_scope': planScope,
  '005_formation_footprint': formationFootprint,
  '006_filing_base': filingBase,
  '007_position_time_brin': positionTimeBrin,
  '008_ais_feed_role': aisFeedRole,
  '009_tile_shapes': tileShapes,
  '010_administration': administration,
  '011_grid_closed_by': gridClosedBy,
  '012_staff_roster': staffRoster,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS),
  getMigrationName: (name) => name,
  getMigration: async (name) => MIGRATIONS[name],
};
