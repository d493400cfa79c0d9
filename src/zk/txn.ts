import type { Acl } from "./acl.js";
import type { ErrCode } from "./errors.js";

/**
 * Transactions as PrepRequestProcessor produces them and DataTree.processTxn applies them. A failed
 * write is still a txn (`error`) and spends its zxid; a failed multi is a `multi` whose sub-txns hold
 * the error (PrepRequestProcessor.pRequestHelper).
 */
export type TxnHeader = {
  readonly sessionId: bigint;
  readonly zxid: bigint;
  /** Leader wall clock when the txn was built, ms since the epoch. */
  readonly timeMs: number;
};

export type CreateTxnKind = "create" | "create2" | "createContainer" | "createTTL";

export type Txn =
  | { readonly type: "createSession"; readonly timeoutMs: number }
  | { readonly type: "closeSession"; readonly paths: readonly string[] }
  | {
      readonly type: "create";
      /** Which request made it; create2/container/TTL results carry a stat. */
      readonly kind: CreateTxnKind;
      readonly path: string;
      readonly data: Uint8Array | null;
      readonly acl: readonly Acl[];
      /** Already encoded (session id, container or TTL owner, or 0). */
      readonly ephemeralOwner: bigint;
      readonly parentCVersion: number;
    }
  | { readonly type: "delete"; readonly path: string }
  | { readonly type: "setData"; readonly path: string; readonly data: Uint8Array | null; readonly version: number }
  | { readonly type: "setACL"; readonly path: string; readonly acl: readonly Acl[]; readonly version: number }
  | { readonly type: "check"; readonly path: string; readonly version: number }
  | { readonly type: "error"; readonly code: ErrCode }
  | { readonly type: "multi"; readonly txns: readonly Txn[] };
