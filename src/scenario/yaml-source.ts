/**
 * A parsed YAML (or JSON) document that can point back at its own text: every validation error
 * becomes `file:line:col`.
 */
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from "yaml";
import { InputError, type Located } from "./errors.js";

export type PathKey = string | number;

export class YamlSource {
  private constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  static parse(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const problems = [...doc.errors, ...doc.warnings.filter((w) => w.code === "DUPLICATE_KEY")];
    if (problems.length > 0) {
      throw new InputError(
        problems.map((e) => {
          const pos = lines.linePos(e.pos[0]);
          const first = e.message.split("\n")[0] ?? e.message;
          return { file, line: pos.line, col: pos.col, field: null, message: `YAML syntax error: ${first.replace(/ at line \d+, column \d+:?$/, "")}` };
        }),
      );
    }
    return new YamlSource(file, doc, lines);
  }

  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 1000 });
  }

  /** Where the value at `path` starts; for a missing key, where its nearest existing parent starts. */
  locate(path: readonly PathKey[], keyOf = false): { line: number; col: number } {
    let node: YamlNode | null = this.doc.contents as YamlNode | null;
    let offset = node?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        const last = i === path.length - 1;
        const k = pair.key as YamlNode;
        if (last && keyOf) {
          offset = k.range?.[0] ?? offset;
          node = null;
          break;
        }
        node = (pair.value as YamlNode | null) ?? null;
        offset = node?.range?.[0] ?? k.range?.[0] ?? offset;
      } else if (isSeq(node) && typeof key === "number") {
        const item = node.items[key] as YamlNode | undefined;
        if (!item) break;
        node = item;
        offset = item.range?.[0] ?? offset;
      } else break;
    }
    return this.lines.linePos(offset);
  }

  error(path: readonly PathKey[], message: string, keyOf = false): Located {
    const { line, col } = this.locate(path, keyOf);
    return { file: this.file, line, col, field: formatPath(path), message };
  }
}

export function formatPath(path: readonly PathKey[]): string | null {
  if (path.length === 0) return null;
  let out = "";
  for (const k of path) out += typeof k === "number" ? `[${k}]` : out === "" ? k : `.${k}`;
  return out;
}
