/**
 * Constants of ClickHouse's native TCP protocol: packet codes and the revisions from which optional fields
 * exist. Every optional field is gated on the negotiated revision, min(client revision, SERVER_REVISION).
 */

/** The revision Hadron speaks. 54460 stops short of chunked packets (54470), password rules (54461), the
 * nonce (54462), total_bytes in Progress (54463) and the new String serialization (54492). */
export const SERVER_REVISION = 54460;

export const ClientPacket = {
  Hello: 0,
  Query: 1,
  Data: 2,
  Cancel: 3,
  Ping: 4,
  TablesStatusRequest: 5,
  KeepAlive: 6,
  /** Results of scalar subqueries a distributed initiator computed; they precede external tables. */
  Scalar: 7,
} as const;

export const ServerPacket = {
  Hello: 0,
  Data: 1,
  Exception: 2,
  Progress: 3,
  Pong: 4,
  EndOfStream: 5,
  ProfileInfo: 6,
  Totals: 7,
  Extremes: 8,
  TablesStatusResponse: 9,
  Log: 10,
  TableColumns: 11,
  ProfileEvents: 14,
} as const;

/** Revisions that gate optional fields (ClickHouse's ProtocolDefines.h). */
export const Rev = {
  BlockInfo: 51903,
  ClientInfo: 54032,
  ServerTimezone: 54058,
  QuotaKeyInClientInfo: 54060,
  TablesStatus: 54226,
  ServerDisplayName: 54372,
  VersionPatch: 54401,
  ServerLogs: 54406,
  ColumnDefaultsMetadata: 54410,
  /** From here the server runs INSERT with inline data itself; older clients send that data as blocks too. */
  EmbeddedData: 54415,
  ClientWriteInfo: 54420,
  SettingsAsStrings: 54429,
  InterserverSecret: 54441,
  OpenTelemetry: 54442,
  DistributedDepth: 54448,
  QueryStartTime: 54449,
  ProfileEvents: 54451,
  ParallelReplicas: 54453,
  CustomSerialization: 54454,
  ProfileEventsInInsert: 54456,
  Addendum: 54458,
  Parameters: 54459,
  ServerQueryTimeInProgress: 54460,
} as const;

/** Query processing stages a client may ask for; Hadron always runs to Complete. */
export const QueryStage = { FetchColumns: 0, WithMergeableState: 1, Complete: 2 } as const;

/** ClientInfo.interface values. */
export const ClientInterface = { TCP: 1, HTTP: 2 } as const;

/** Setting flags in the string serialization of settings (revision >= 54429). */
export const SettingFlag = { Important: 0x01, Custom: 0x02, Obsolete: 0x04 } as const;
