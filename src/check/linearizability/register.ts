/** A read/write register whose initial value is null (Knossos `register`). */
import { ANY_STATE, IMPOSSIBLE, type Model } from "./model.js";
import { NULL_VALUE, type Operation } from "./operation.js";

/** A read sees the current value; from an unknown state it fixes the state to what it read. */
export function readStep(state: number, op: Operation): number {
  if (state === ANY_STATE) return op.result;
  return state === op.result ? state : IMPOSSIBLE;
}

export function registerModel(): Model {
  return {
    name: "register",
    initial: NULL_VALUE,
    supports: (f) => f === "read" || f === "write",
    readOnly: (op) => op.f === "read",
    step(state, op) {
      switch (op.f) {
        case "read":
          return readStep(state, op);
        case "write":
          return op.arg;
        case "cas":
          throw new Error("register model: cas reached the search; the caller must reject it");
      }
    },
  };
}
