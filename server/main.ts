// `npm start`: configuration errors and an unreachable database end in one line and a non-zero exit, not a stack trace.
import pino from 'pino';
import { ConfigError, loadConfig } from './config/env.ts';
import { DatabaseUnavailable } from './db/database.ts';
import { startService } from './start.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  const service = await startService(config, log);
  await service.app.listen({ port: config.port, host: config.host });
  log.info(`Wangge is running: editor http://${config.host}:${config.port}/ · API docs http://${config.host}:${config.port}/docs`);
  const stop = async () => {
    await service.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`wangge: configuration error: ${error.message}`);
  else if (error instanceof DatabaseUnavailable) console.error(`wangge: database unavailable: ${error.message}`);
  else console.error(`wangge: failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
