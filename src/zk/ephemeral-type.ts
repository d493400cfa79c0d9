/**
 * How a node's stored ephemeralOwner encodes its kind (`server/EphemeralType`): 0 persistent, the
 * owning session id for ephemerals, Long.MIN_VALUE for containers, and, when
 * `zookeeper.extendedTypesEnabled` is on, 0xff in the top byte plus the TTL in the low 40 bits.
 * Clients never see the encodings: DataNode.getClientEphemeralOwner shows 0 for anything but a
 * session-owned ephemeral.
 */
export type EphemeralKind = "VOID" | "NORMAL" | "CONTAINER" | "TTL";

export const CONTAINER_EPHEMERAL_OWNER = -(1n << 63n);
const EXTENDED_MASK = BigInt.asIntN(64, 0xff00000000000000n);
const RESERVED_BITS_MASK = 0x00ffff0000000000n;
const EXTENDED_BIT_TTL = 0n;
/** `EphemeralType.TTL.maxValue()`: 2^40 - 1 ms, about 34 years. */
export const TTL_MAX_MS = 0x000000ffffffffffn;

/**
 * `EphemeralType.get`. With extended types off, a TTL-shaped owner reads as a plain ephemeral; that
 * cannot arise in practice, since TTL creates are refused (Unimplemented) then.
 */
export function ephemeralKind(owner: bigint, extendedTypesEnabled: boolean): EphemeralKind {
  if (extendedTypesEnabled && (owner & EXTENDED_MASK) === EXTENDED_MASK) {
    const feature = (owner & RESERVED_BITS_MASK) >> 40n;
    // EphemeralType.get throws IllegalArgumentException here; no create path can make such an owner.
    if (feature !== EXTENDED_BIT_TTL) throw new RangeError(`Invalid ephemeralOwner. [${BigInt.asUintN(64, owner).toString(16)}]`);
    return "TTL";
  }
  if (owner === CONTAINER_EPHEMERAL_OWNER) return "CONTAINER";
  return owner === 0n ? "VOID" : "NORMAL";
}

/** True when `ttl` is acceptable to `EphemeralType.TTL.toEphemeralOwner` (1 .. 2^40-1). */
export const ttlValid = (ttlMs: bigint): boolean => ttlMs > 0n && ttlMs <= TTL_MAX_MS;

/** `EphemeralType.TTL.toEphemeralOwner`. */
export function ttlEphemeralOwner(ttlMs: bigint): bigint {
  if (!ttlValid(ttlMs)) throw new RangeError(`ttl must be positive and cannot be larger than: ${TTL_MAX_MS}`);
  return EXTENDED_MASK | EXTENDED_BIT_TTL | ttlMs;
}

/** The TTL a TTL owner carries (`EphemeralType.getExtendedFeatureValue`). */
export const ttlOf = (owner: bigint): bigint => owner & ~(EXTENDED_MASK | RESERVED_BITS_MASK);

/** What `Stat.ephemeralOwner` shows a client. */
export const clientEphemeralOwner = (owner: bigint, extendedTypesEnabled: boolean): bigint =>
  ephemeralKind(owner, extendedTypesEnabled) === "NORMAL" ? owner : 0n;
