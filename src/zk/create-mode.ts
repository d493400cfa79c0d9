/**
 * `CreateMode` flags as the create request carries them (`CreateMode.fromFlag`); any other number is
 * refused with BadArguments before anything else is checked.
 */
export const CREATE_MODE = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;

export type CreateFlag = (typeof CREATE_MODE)[keyof typeof CREATE_MODE];

export type CreateModeInfo = {
  readonly ephemeral: boolean;
  readonly sequential: boolean;
  readonly container: boolean;
  readonly ttl: boolean;
};

/** null when the flag is not a CreateMode. */
export function createModeInfo(flag: number): CreateModeInfo | null {
  switch (flag) {
    case CREATE_MODE.PERSISTENT:
      return { ephemeral: false, sequential: false, container: false, ttl: false };
    case CREATE_MODE.EPHEMERAL:
      return { ephemeral: true, sequential: false, container: false, ttl: false };
    case CREATE_MODE.PERSISTENT_SEQUENTIAL:
      return { ephemeral: false, sequential: true, container: false, ttl: false };
    case CREATE_MODE.EPHEMERAL_SEQUENTIAL:
      return { ephemeral: true, sequential: true, container: false, ttl: false };
    case CREATE_MODE.CONTAINER:
      return { ephemeral: false, sequential: false, container: true, ttl: false };
    case CREATE_MODE.PERSISTENT_WITH_TTL:
      return { ephemeral: false, sequential: false, container: false, ttl: true };
    case CREATE_MODE.PERSISTENT_SEQUENTIAL_WITH_TTL:
      return { ephemeral: false, sequential: true, container: false, ttl: true };
    default:
      return null;
  }
}
