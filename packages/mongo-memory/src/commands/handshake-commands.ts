import type { StoredDocument } from '../bson-values.js';
import { CommandError, notSupported } from '../command-error.js';
import type { CommandHandler } from './command-context.js';

/** The wire version range we answer with: MongoDB 7.0 (21), which driver 7 and mongoose 9 accept. */
export const WIRE_VERSION = { min: 0, max: 21 } as const;

const SERVER_VERSION = '7.0.0';

/** The `hello` / legacy `isMaster` reply of a standalone server; without `topologyVersion` drivers poll instead of streaming. */
const hello: CommandHandler = (context) => {
  const legacy = !('hello' in context.command);
  const reply: StoredDocument = {
    helloOk: true,
    [legacy ? 'ismaster' : 'isWritablePrimary']: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    // Drivers only use sessions (and so transactions) when this is present.
    logicalSessionTimeoutMinutes: 30,
    connectionId: context.connectionId,
    minWireVersion: WIRE_VERSION.min,
    maxWireVersion: WIRE_VERSION.max,
    readOnly: false,
  };
  return reply;
};

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'ai-chat-mongo-memory',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['memory'],
  modules: [],
});

const hostInfo: CommandHandler = () => ({
  system: { currentTime: new Date(), hostname: '127.0.0.1', cpuAddrSize: 64, numCores: 1 },
  os: { type: process.platform, name: process.platform },
  extra: {},
});

const serverStatus: CommandHandler = (context) => ({
  host: '127.0.0.1',
  version: SERVER_VERSION,
  process: 'ai-chat-mongo-memory',
  pid: process.pid,
  uptime: Math.floor((Date.now() - context.engine.startedAt.getTime()) / 1000),
  localTime: new Date(),
  connections: { current: 0, available: 1_000 },
});

const getParameter: CommandHandler = (context) => {
  const reply: StoredDocument = {};
  const all = context.command['getParameter'] === '*';
  if ('featureCompatibilityVersion' in context.command || all) reply['featureCompatibilityVersion'] = { version: '7.0' };
  if ('ttlMonitorSleepSecs' in context.command || all) reply['ttlMonitorSleepSecs'] = context.engine.ttlMonitorIntervalMs / 1000;
  return reply;
};

// Only the TTL monitor's period can be set; any other parameter is refused rather than accepted and ignored.
const setParameter: CommandHandler = (context) => {
  const settings = Object.entries(context.command).filter(([key]) => key !== 'setParameter' && !key.startsWith('$') && key !== 'lsid' && key !== 'comment');
  if (settings.length === 0) throw new CommandError(2, 'BadValue', 'no option found to set, use help:true to see options ');
  const reply: StoredDocument = {};
  for (const [name, value] of settings) {
    if (name !== 'ttlMonitorSleepSecs') throw notSupported(`the server parameter '${name}'`);
    const seconds = Number(value);
    if (!Number.isInteger(seconds) || seconds < 1) throw new CommandError(2, 'BadValue', `Invalid value for parameter ttlMonitorSleepSecs: ${String(value)}`);
    reply['was'] = context.engine.ttlMonitorIntervalMs / 1000;
    context.engine.ttlMonitorIntervalMs = seconds * 1000;
    context.engine.onTtlMonitorIntervalChange?.();
  }
  return reply;
};

const empty: CommandHandler = () => ({});

/** Handshake and server information: `hello`, `isMaster`, `ping`, `buildInfo`, `hostInfo`, `serverStatus`... */
export const handshakeCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: empty,
  buildInfo,
  buildinfo: buildInfo,
  hostInfo,
  serverStatus,
  getParameter,
  setParameter,
  getCmdLineOpts: () => ({ argv: ['ai-chat-mongo-memory'], parsed: {} }),
  whatsmyuri: () => ({ you: '127.0.0.1:0' }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] } }),
  getLog: () => ({ totalLinesWritten: 0, log: [] }),
  getFreeMonitoringStatus: () => ({ state: 'disabled' }),
  endSessions: (context) => {
    const sessions = context.command['endSessions'];
    context.engine.transactions.endSessions(Array.isArray(sessions) ? sessions : []);
    return {};
  },
  refreshSessions: empty,
  killAllSessions: empty,
  startSession: empty,
};
