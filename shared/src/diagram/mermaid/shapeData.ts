/**
 * Mermaid's shape data, the YAML map in `A@{ shape: cyl, label: "Orders" }` or
 * `e1@{ animate: true }`: flat `key: value` pairs separated by commas or line breaks, values
 * plain or quoted (a quoted value may span lines, which Mermaid turns into line breaks).
 * Owns: reading that map. Must not touch: what the keys mean.
 */

/** The pairs of a shape-data body (without `@{` and `}`); keys lower-cased. */
export function readShapeData(body: string): Map<string, string> {
  const out = new Map<string, string>()
  let i = 0
  const text = body
  while (i < text.length) {
    const key = /\s*,?\s*([A-Za-z_][\w-]*)\s*:\s*/y
    key.lastIndex = i
    const k = key.exec(text)
    if (!k) break
    i = key.lastIndex
    let value: string
    const quote = text[i]
    if (quote === '"' || quote === "'") {
      const end = text.indexOf(quote, i + 1)
      const stop = end < 0 ? text.length : end
      value = text
        .slice(i + 1, stop)
        .split('\n')
        .map((line, n) => (n === 0 ? line : line.trim()))
        .join('\n')
      i = stop + 1
    } else {
      const plain = /[^,\n]*/y
      plain.lastIndex = i
      value = plain.exec(text)![0].trim()
      i = plain.lastIndex
    }
    out.set(k[1]!.toLowerCase(), value)
  }
  return out
}
