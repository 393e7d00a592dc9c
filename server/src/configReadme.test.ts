/**
 * The README's configuration table checked against the configuration schema (`EnvSchema` in
 * config.ts: every variable `ConfigSchema`'s fields read, with its format and default): every
 * variable the server reads is in the table with its default, and every variable in the table is one
 * the server reads (or, marked "(client build)", one the client's build reads). Owns: this check only.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { EnvSchema } from './config'

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const TABLE_HEADER = '| variable | default | meaning |'
/** What the table writes for "no default". */
const NONE = '—'
/** Variables the schema leaves unset whose value, when unset, the server works out (as the README says). */
const WORKED_OUT_WHEN_UNSET: Record<string, string> = {
  PUBLIC_URL: 'http://localhost:PORT',
  OPENAI_BASE_URL: 'OpenAI',
}
const CLIENT_BUILD_MARK = '(client build)'

interface Row {
  names: string[]
  /** One documented default per name. */
  defaults: string[]
  meaning: string
}

/** The configuration table's rows: names are the cell's `CODE` spans; defaults split by ", " when there is one per name. */
function readTable(readme: string): Row[] {
  const lines = readme.split('\n')
  const start = lines.indexOf(TABLE_HEADER)
  if (start < 0) throw new Error(`README has no "${TABLE_HEADER}" table`)
  const rows: Row[] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break
    const [nameCell = '', defaultCell = '', ...meaning] = line.slice(1, -1).split(' | ')
    const names = [...nameCell.matchAll(/`([A-Z0-9_]+)`/g)].map((match) => match[1] as string)
    const parts = defaultCell.trim().split(', ')
    const defaults = parts.length === names.length ? parts : names.map(() => defaultCell.trim())
    rows.push({ names, defaults, meaning: meaning.join(' | ').trim() })
  }
  return rows
}

/** A documented default as a value: backticks and a trailing "(8 MiB)" gloss removed. */
const documentedValue = (cell: string) => cell.replace(/\s*\([^)]*\)$/, '').replace(/^`(.*)`$/, '$1')

/** The schema's default for a variable as the table would write it; undefined when it has none. */
function schemaDefault(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (value === '') return NONE
  if (name === 'CLIENT_DIR') return String(value).replace(REPO_ROOT, '')
  return String(value)
}

const rows = readTable(readFileSync(`${REPO_ROOT}README.md`, 'utf8'))
const documented = new Map<string, string[]>()
for (const row of rows) {
  row.names.forEach((name, index) => {
    documented.set(name, [...(documented.get(name) ?? []), row.defaults[index] ?? ''])
  })
}
const defaults: Record<string, unknown> = EnvSchema.parse({})
const schemaNames = Object.keys(EnvSchema.shape)

describe('README configuration table', () => {
  it('lists every variable the server reads, with its default', () => {
    const mismatches: string[] = []
    for (const name of schemaNames) {
      const cells = documented.get(name)
      if (!cells) {
        mismatches.push(`${name}: not in the table`)
        continue
      }
      const expected = schemaDefault(name, defaults[name]) ?? WORKED_OUT_WHEN_UNSET[name] ?? NONE
      for (const cell of cells) {
        if (documentedValue(cell) !== expected)
          mismatches.push(`${name}: table says ${cell}, schema ${expected}`)
      }
    }
    expect(mismatches).toEqual([])
  })

  it('lists only variables something reads', () => {
    const clientDir = `${REPO_ROOT}client/src/`
    const clientSource = readdirSync(clientDir, { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.tsx?$/.test(file))
      .map((file) => readFileSync(`${clientDir}${file}`, 'utf8'))
      .join('\n')
    const unknown = rows.flatMap((row) =>
      row.names.filter((name) =>
        row.meaning.startsWith(CLIENT_BUILD_MARK)
          ? !clientSource.includes(`import.meta.env.${name}`)
          : !schemaNames.includes(name),
      ),
    )
    expect(unknown).toEqual([])
  })
})
