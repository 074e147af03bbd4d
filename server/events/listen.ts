// A dedicated PostgreSQL connection that LISTENs to some channels and reconnects when it is lost. While it is down
// notifications are missed, so the owner hears `onDisconnected` (stop trusting what notifications keep current) and
// `onConnected` after every (re)connection (catch up).
import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';

const RECONNECT_MS = 1_000;

export interface ChannelListenerOptions {
  connectionString: string;
  channels: readonly string[];
  onNotification(channel: string, payload: string | undefined): void;
  onConnected?(): void;
  onDisconnected?(): void;
  log?: FastifyBaseLogger;
}

export interface ChannelListener {
  stop(): Promise<void>;
}

/** Connects and LISTENs before resolving, so nothing sent after the promise settles is missed. */
export async function listenToChannels(options: ChannelListenerOptions): Promise<ChannelListener> {
  let client: pg.Client | null = null;
  let stopped = false;

  const connect = async (first: boolean): Promise<void> => {
    if (stopped) return;
    const current = new pg.Client({ connectionString: options.connectionString });
    const lost = () => {
      if (client !== current || stopped) return;
      client = null;
      options.onDisconnected?.();
      current.end().catch(() => undefined);
      setTimeout(() => connect(false).catch((err: unknown) => options.log?.warn({ err }, 'LISTEN reconnect failed')), RECONNECT_MS).unref();
    };
    current.on('error', (err) => {
      options.log?.warn({ err }, `LISTEN ${options.channels.join(', ')}: connection lost`);
      lost();
    });
    current.on('notification', (message) => options.onNotification(message.channel, message.payload));
    client = current;
    try {
      await current.connect();
      await current.query(options.channels.map((channel) => `LISTEN ${channel}`).join('; '));
    } catch (err) {
      // At start the caller hears the failure; later, keep trying.
      if (first) {
        client = null;
        await current.end().catch(() => undefined);
      } else lost();
      throw err;
    }
    options.onConnected?.();
  };

  await connect(true);
  return {
    async stop() {
      stopped = true;
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}
