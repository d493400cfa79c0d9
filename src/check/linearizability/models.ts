/** The models `zksim check-history --model` accepts, by name. */
import { casRegisterModel } from "./cas-register.js";
import type { Model } from "./model.js";
import { registerModel } from "./register.js";

export const MODEL_NAMES = ["register", "cas-register"] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export function modelByName(name: ModelName): Model {
  switch (name) {
    case "register":
      return registerModel();
    case "cas-register":
      return casRegisterModel();
  }
}
