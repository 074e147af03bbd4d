// What every route plugin receives: the store and the configuration.
import type { Knex } from 'knex';
import type { Config } from '../config/env.ts';
import type { Backend } from '../db/database.ts';

export interface RouteContext {
  knex: Knex;
  backend: Backend;
  config: Config;
}
