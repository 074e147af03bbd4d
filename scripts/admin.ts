// `npm run admin -- <command>`: administration at the console, on the same use cases as /v1/admin, as an operator who
// may do anything (audited as "admin CLI (<user>)"). Keys are printed once, on stdout, and stored only as hashes.
//
//   init --city <330900000000|330900|3309> [--name <name>] [--force]   the city's first administrator and its key
//   users add --name <name> --role <role> --division <12-digit code>
//   users list [--role <role>]
//   users disable <user id>
//   keys issue --user <user id> --label <label> [--expires <RFC 3339 date-time>]
//   keys rotate <key id> [--expires <RFC 3339 date-time>]
//   keys revoke <key id>
//   keys list [--user <user id>]
//
// Exit status: 0 done, 1 refused (a reason on stderr), 2 bad usage. Results are JSON on stdout.
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { loadConfig } from '../server/config/env.ts';
import { migrateToLatest, openDatabase } from '../server/db/database.ts';
import type { Principal, Role } from '../server/domain/access/roles.ts';
import { KeyRotation, NewKey, NewUser, RecordId, UserRole } from '../server/schemas/admin.ts';
import {
  AdministrationError,
  createUser,
  disableUser,
  initCityAdministrator,
  issueKey,
  listKeys,
  listUsers,
  revokeKey,
  rotateKey,
  scopeOf,
} from '../server/workflow/administration.ts';

const USAGE = `usage: npm run admin -- init --city <city code> [--name <name>] [--force]
       npm run admin -- users add --name <name> --role <role> --division <12-digit code> | users list [--role <role>] | users disable <user id>
       npm run admin -- keys issue --user <user id> --label <label> [--expires <date-time>] | keys rotate <key id> [--expires <date-time>]
       npm run admin -- keys revoke <key id> | keys list [--user <user id>]`;

class UsageError extends Error {}

function usage(message: string): never {
  throw new UsageError(message);
}

/** The value checked against the API's own schema; a fault names the option it came from. */
function checked<T>(schema: TSchema, value: unknown, options: Record<string, string>): T {
  const [first] = Value.Errors(schema, value);
  if (first) {
    const missing = (first.params as { requiredProperties?: string[] }).requiredProperties?.[0];
    const field = missing ?? first.instancePath.replace(/^\//, '');
    usage(`${options[field] ?? (field || 'argument')}: ${first.message}`);
  }
  return value as T;
}

/** A city given as 4, 6 or 12 digits, as its 12-digit code. */
function cityCode(value: string | undefined): string {
  if (!value || !/^[1-9]\d{3}(\d{2}|\d{8})?$/.test(value)) usage(`--city: a city code such as 330900000000, 330900 or 3309, got ${value ?? 'nothing'}`);
  const code = value.padEnd(12, '0');
  if (!code.endsWith('00000000')) usage(`--city: ${value} is not a city (its county digits are not 00)`);
  return code;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    city: { type: 'string' },
    name: { type: 'string' },
    force: { type: 'boolean', default: false },
    role: { type: 'string' },
    division: { type: 'string' },
    user: { type: 'string' },
    label: { type: 'string' },
    expires: { type: 'string' },
  },
});
const [group, verb, id] = positionals;
const command = verb && group !== 'init' ? `${group} ${verb}` : group;
const idArgument = () => checked<string>(RecordId, id, {});
const operator: Principal = { id: null, name: `admin CLI (${process.env.USER ?? 'operator'})`, role: 'admin', scopePrefix: '' };

const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.databaseUrl, embeddedDir: path.join(config.dataDir, 'pglite') });
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
try {
  await migrateToLatest(db.knex);
  switch (command) {
    case 'init': {
      const code = cityCode(values.city);
      const name = values.name ?? `城市网格化管理员 ${scopeOf(code)}`;
      checked(NewUser, { name, role: 'city_admin', divisionCode: code }, { name: '--name', divisionCode: '--city' });
      const { user, key } = await initCityAdministrator(db.knex, operator, { cityCode: code, name, force: values.force });
      process.stderr.write(`city administrator ${user.name} (user ${user.id}, scope ${user.scopePrefix}); its key is printed once, below: keep it now\n`);
      print({ user, key });
      break;
    }
    case 'users add': {
      const body = checked<{ name: string; role: Role; divisionCode: string }>(
        NewUser,
        { name: values.name, role: values.role, divisionCode: values.division },
        { name: '--name', role: '--role', divisionCode: '--division' },
      );
      print(await createUser(db.knex, operator, { name: body.name, role: body.role, scopePrefix: scopeOf(body.divisionCode) }));
      break;
    }
    case 'users list':
      if (values.role !== undefined) checked(UserRole, values.role, { '': '--role' });
      print(await listUsers(db.knex, operator, values.role as Role | undefined));
      break;
    case 'users disable':
      print(await disableUser(db.knex, operator, idArgument()));
      break;
    case 'keys issue': {
      const body = { userId: values.user, label: values.label, ...(values.expires === undefined ? {} : { expiresAt: values.expires }) };
      print(await issueKey(db.knex, operator, checked(NewKey, body, { userId: '--user', label: '--label', expiresAt: '--expires' })));
      break;
    }
    case 'keys rotate': {
      const body = checked<{ expiresAt?: string }>(KeyRotation, values.expires === undefined ? {} : { expiresAt: values.expires }, { expiresAt: '--expires' });
      print(await rotateKey(db.knex, operator, idArgument(), body));
      break;
    }
    case 'keys revoke':
      print(await revokeKey(db.knex, operator, idArgument()));
      break;
    case 'keys list':
      if (values.user !== undefined) checked(RecordId, values.user, { '': '--user' });
      print(await listKeys(db.knex, operator, values.user));
      break;
    default:
      usage(`unknown command: ${positionals.join(' ') || '(none)'}`);
  }
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else if (error instanceof AdministrationError) {
    process.stderr.write(`${error.type}: ${error.message}\n`);
    process.exitCode = 1;
  } else throw error;
} finally {
  await db.close();
}
