/**
 * KeeperException codes (`KeeperException.Code`) and the message the Java client's exception carries
 * (`KeeperException.getMessage`, `getCodeMessage`).
 */
export const ERR = {
  Ok: 0,
  SystemError: -1,
  RuntimeInconsistency: -2,
  DataInconsistency: -3,
  ConnectionLoss: -4,
  MarshallingError: -5,
  Unimplemented: -6,
  OperationTimeout: -7,
  BadArguments: -8,
  UnknownSession: -12,
  NewConfigNoQuorum: -13,
  ReconfigInProgress: -14,
  APIError: -100,
  NoNode: -101,
  NoAuth: -102,
  BadVersion: -103,
  NoChildrenForEphemerals: -108,
  NodeExists: -110,
  NotEmpty: -111,
  SessionExpired: -112,
  InvalidCallback: -113,
  InvalidACL: -114,
  AuthFailed: -115,
  SessionMoved: -118,
  NotReadOnly: -119,
  EphemeralOnLocalSession: -120,
  NoWatcher: -121,
  RequestTimeout: -122,
  ReconfigDisabled: -123,
  SessionClosedRequireSaslAuth: -124,
  QuotaExceeded: -125,
  ThrottledOp: -127,
} as const;

export type ErrName = keyof typeof ERR;
export type ErrCode = (typeof ERR)[ErrName];

const NAME_BY_CODE: Readonly<Record<string, ErrName>> = Object.freeze(
  Object.fromEntries(Object.entries(ERR).map(([k, v]) => [String(v), k as ErrName])),
);

/** Name of a code, or undefined if ZooKeeper 3.8 has none. */
export const errName = (code: number): ErrName | undefined => NAME_BY_CODE[String(code)];

/** The text `getCodeMessage` gives; a few differ from the enum name ("Directory not empty"). */
const CODE_TEXT: Readonly<Partial<Record<ErrName, string>>> = {
  Ok: "ok",
  NotEmpty: "Directory not empty",
  SessionExpired: "Session expired",
  InvalidCallback: "Invalid callback",
  SessionMoved: "Session moved",
  NotReadOnly: "Not a read-only call",
  EphemeralOnLocalSession: "Ephemeral node on local session",
  NoWatcher: "No such watcher",
  ReconfigDisabled: "Reconfig is disabled",
  SessionClosedRequireSaslAuth: "Session closed because client failed to authenticate",
  QuotaExceeded: "Quota has exceeded",
  ThrottledOp: "Op throttled due to high load",
  // getCodeMessage has no case for these two and falls to "Unknown error " + the enum constant.
  UnknownSession: "Unknown error UNKNOWNSESSION",
  RequestTimeout: "Unknown error REQUESTTIMEOUT",
};

export function codeMessage(code: ErrCode): string {
  const name = errName(code);
  if (name === undefined) throw new RangeError(`unknown KeeperException code ${code}`);
  return CODE_TEXT[name] ?? name;
}

/** `KeeperErrorCode = NoNode for /a`, or without " for …" when the path is null or empty. */
export const keeperErrorMessage = (code: ErrCode, path: string | null): string =>
  path === null || path === "" ? `KeeperErrorCode = ${codeMessage(code)}` : `KeeperErrorCode = ${codeMessage(code)} for ${path}`;

/** A failed request as a value: the code and the path the server names (null when it names none). */
export type ZkError = { readonly code: ErrCode; readonly path: string | null };

export const zkError = (code: ErrCode, path: string | null): ZkError => ({ code, path });

/**
 * How zkCli words a KeeperException (`cli/CliWrapperException.getMessage`); other codes fall back to
 * the exception's own message. A null path prints as "null", as Java string concatenation does.
 */
export function cliErrorMessage(code: ErrCode, path: string | null): string {
  const p = path ?? "null";
  switch (code) {
    case ERR.NoNode:
      return `Node does not exist: ${p}`;
    case ERR.NoChildrenForEphemerals:
      return `Ephemerals cannot have children: ${p}`;
    case ERR.NodeExists:
      return `Node already exists: ${p}`;
    case ERR.NotEmpty:
      return `Node not empty: ${p}`;
    case ERR.NotReadOnly:
      return `Not a read-only call: ${p}`;
    case ERR.InvalidACL:
      return `Acl is not valid : ${p}`;
    case ERR.NoAuth:
      return `Insufficient permission : ${p}`;
    case ERR.BadArguments:
      return `Arguments are not valid : ${p}`;
    case ERR.BadVersion:
      return `version No is not valid : ${p}`;
    case ERR.ReconfigInProgress:
      return "Another reconfiguration is in progress -- concurrent reconfigs not supported (yet)";
    case ERR.NewConfigNoQuorum:
      return (
        "No quorum of new config is connected and up-to-date with the leader of last commmitted config - " +
        "try invoking reconfiguration after new servers are connected and synced"
      );
    case ERR.QuotaExceeded:
      return `Quota has exceeded : ${p}`;
    default:
      return keeperErrorMessage(code, path);
  }
}
