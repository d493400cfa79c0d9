import type { TraceValue } from "../../sim/trace.js";
import type { Txn, TxnHeader } from "../txn.js";
import { fromWire, hex, toWire } from "./wire.js";

/** The txn log file on the server's disk: one record per txn, header and txn as `FileTxnLog` keeps them. */
export const TXN_LOG = "log";

export function encodeLogRecord(hdr: TxnHeader, txn: Txn): TraceValue {
  return { zxid: hex(hdr.zxid), session: hex(hdr.sessionId), timeMs: hdr.timeMs, txn: toWire(txn) };
}

export function decodeLogRecord(rec: TraceValue): { readonly hdr: TxnHeader; readonly txn: Txn } {
  const r = rec as { readonly zxid: string; readonly session: string; readonly timeMs: number; readonly txn: TraceValue };
  return { hdr: { zxid: BigInt(r.zxid), sessionId: BigInt(r.session), timeMs: r.timeMs }, txn: fromWire<Txn>(r.txn) };
}
