import type { Session, SessionFactory } from '../../src/server/session-api.js';
import { toDbError } from '../../src/errors/index.js';
import { CACHING_SHA2_PASSWORD, NATIVE_PASSWORD } from './mysql-constants.js';
import { ProtocolError, writeDbError, writeErrPacket } from './mysql-errors.js';
import { failingCredentials, pluginFor, verify, type UserSecret } from './mysql-auth.js';
import { isSslRequest, newScramble, parseHandshakeResponse, writeGreeting } from './handshake.js';
import type { PacketChannel } from './packet-channel.js';

/** A logged-in connection: the session and what the client announced. */
export interface Established {
  readonly session: Session;
  readonly capabilities: number;
  readonly user: string;
}

export interface ConnectionPhaseArgs {
  readonly channel: PacketChannel;
  readonly engine: SessionFactory;
  readonly serverVersion: string;
  readonly connectionId: number;
  readonly address: string | undefined;
  readonly userSecret: (user: string) => UserSecret | undefined;
}

/**
 * The connection phase: greeting, HandshakeResponse41, an AuthSwitchRequest when the client's plugin
 * cannot be checked as it is and the caching_sha2 fast-auth result; the caller sends the OK. On failure an
 * ERR was sent and the result is undefined (the caller closes the connection).
 */
export async function connectionPhase(a: ConnectionPhaseArgs): Promise<Established | undefined> {
  const { channel } = a;
  const scramble = newScramble();
  const fail = async (code: { errno: number; sqlState: string }, message: string) => {
    const w = channel.writer();
    writeErrPacket(w, code, message);
    await channel.send(w);
    return undefined;
  };
  const greeting = channel.writer();
  writeGreeting(greeting, { serverVersion: a.serverVersion, connectionId: a.connectionId, scramble, authPlugin: NATIVE_PASSWORD });
  await channel.send(greeting);
  const first = await channel.next();
  if (!first) return undefined;
  if (isSslRequest(first.payload)) return fail(ProtocolError.HANDSHAKE, 'SSL is not enabled on this server');
  let response;
  try {
    response = parseHandshakeResponse(first.payload);
  } catch (e) {
    return fail(ProtocolError.HANDSHAKE, `Bad handshake: ${(e as Error).message}`);
  }
  const user = response.user || 'default';
  const secret = a.userSecret(user);
  let plugin = response.authPlugin;
  let data = response.authResponse;
  const switchTo = pluginFor(secret, plugin, data);
  if (switchTo) {
    const w = channel.writer();
    w.begin().u8(0xfe).nulString(switchTo).bytes(scramble).u8(0).end();
    await channel.send(w);
    const p = await channel.next();
    if (!p) return undefined;
    plugin = switchTo;
    data = p.payload;
  }
  const credentials = verify(user, secret, plugin, scramble, data) ?? failingCredentials(user);
  let session: Session;
  try {
    session = a.engine.openSession(credentials, { interface: 'mysql', address: a.address, clientName: response.attributes.get('_client_name') }, { database: response.database });
  } catch (e) {
    const err = toDbError(e);
    if (err.errorName === 'AUTHENTICATION_FAILED') return fail({ errno: 1045, sqlState: '28000' }, `Access denied for user '${response.user}' (${err.displayText()})`);
    const w = channel.writer();
    writeDbError(w, err);
    await channel.send(w);
    return undefined;
  }
  if (plugin === CACHING_SHA2_PASSWORD && data.length > 0) {
    // AuthMoreData: fast_auth_success.
    const w = channel.writer();
    w.begin().u8(0x01).u8(0x03).end();
    await channel.send(w);
  }
  return { session, capabilities: response.capabilities, user: response.user };
}
