/** A register with compare-and-set (Knossos `cas-register`): cas [e, n] succeeds iff current === e. */
import { ANY_STATE, IMPOSSIBLE, type Model } from "./model.js";
import { NULL_VALUE } from "./operation.js";
import { readStep } from "./register.js";

export function casRegisterModel(): Model {
  return {
    name: "cas-register",
    initial: NULL_VALUE,
    supports: () => true,
    readOnly: (op) => op.f === "read",
    step(state, op) {
      switch (op.f) {
        case "read":
          return readStep(state, op);
        case "write":
          return op.arg;
        case "cas":
          // A cas that returned `fail` never reaches here (it did not happen), so a linearized
          // cas is a successful one and needs the expected value to be current.
          return state === op.arg || state === ANY_STATE ? op.arg2 : IMPOSSIBLE;
      }
    },
  };
}
