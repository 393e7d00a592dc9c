/**
 * The import graph of `shared/src`, `server/src` and `client/src`: no cycles, no upward imports.
 *
 * Every `.ts`/`.tsx` file is read and its module specifiers (static `import … from`, `export … from`,
 * side-effect `import '…'`, dynamic `import('…')`) are extracted with the TypeScript compiler's
 * `preProcessFile`. Type-only imports count like any other: a cycle through types is still a cycle
 * a reader has to untangle. "Upward" means, for this test:
 * - `shared/src` imports nothing from the server or the client (no relative path out of
 *   `shared/src`, no `@drawbridge/server` or `@drawbridge/client`);
 * - no file in a folder of `server/src` imports the entry points `server/src/server.ts`,
 *   `server/src/main.ts` or `server/src/index.ts` (only they assemble the parts);
 * - `server/src/storage` imports no other server folder: only its own files, `logger.ts`,
 *   `config.ts` and `turnBatch.ts`.
 * Documented in docs/architecture.md ("Import rules").
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const SOURCE_ROOTS = ['shared/src', 'server/src', 'client/src']
const SOURCE_EXTENSIONS = ['.ts', '.tsx']
const SERVER_ENTRY_POINTS = ['server/src/server.ts', 'server/src/main.ts', 'server/src/index.ts']
/** Imports of style sheets and other assets are the bundler's business, not modules of the graph. */
const ASSET_SPECIFIER = /\.(css|svg|png|jpe?g|webp|json)(\?.*)?$/
const STORAGE_ALLOWED = [
  'server/src/storage/',
  'server/src/logger.ts',
  'server/src/config.ts',
  'server/src/turnBatch.ts',
]

/** Repo-relative paths of every source file under the roots. */
function sourceFiles(directory: string): string[] {
  const files: string[] = []
  for (const name of readdirSync(join(REPO_ROOT, directory))) {
    const path = `${directory}/${name}`
    if (statSync(join(REPO_ROOT, path)).isDirectory()) files.push(...sourceFiles(path))
    else if (SOURCE_EXTENSIONS.some((extension) => name.endsWith(extension)) && !name.endsWith('.d.ts'))
      files.push(path)
  }
  return files
}

/** The module specifiers a file names, as written. */
function specifiers(path: string): string[] {
  const text = readFileSync(join(REPO_ROOT, path), 'utf8')
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName)
}

/** The repo-relative source file a relative specifier points at, or undefined if none exists. */
function resolveRelative(from: string, specifier: string, known: Set<string>): string | undefined {
  const base = relative(REPO_ROOT, resolve(REPO_ROOT, dirname(from), specifier))
    .split('\\')
    .join('/')
  const stem = base.replace(/\.(js|ts|tsx)$/, '')
  const candidates = [base, ...SOURCE_EXTENSIONS.flatMap((ext) => [`${stem}${ext}`, `${stem}/index${ext}`])]
  return candidates.find((candidate) => known.has(candidate))
}

interface Graph {
  files: string[]
  /** file → the source files it imports by relative path. */
  edges: Map<string, string[]>
  /** file → every specifier it names (for package-name rules). */
  named: Map<string, string[]>
}

function buildGraph(): Graph {
  const files = SOURCE_ROOTS.flatMap(sourceFiles)
  const known = new Set(files)
  const edges = new Map<string, string[]>()
  const named = new Map<string, string[]>()
  for (const file of files) {
    const all = specifiers(file)
    named.set(file, all)
    const targets = all
      .filter((specifier) => specifier.startsWith('.') && !ASSET_SPECIFIER.test(specifier))
      .map((specifier) => resolveRelative(file, specifier, known) ?? `${file} → unresolved ${specifier}`)
    edges.set(file, targets)
  }
  return { files, edges, named }
}

/** Every elementary cycle found by a depth-first search, each reported once as `a → b → a`. */
export function findCycles(edges: Map<string, string[]>): string[] {
  const cycles = new Set<string>()
  const state = new Map<string, 'active' | 'done'>()
  const stack: string[] = []
  const visit = (file: string) => {
    state.set(file, 'active')
    stack.push(file)
    for (const target of edges.get(file) ?? []) {
      if (state.get(target) === 'active') {
        const loop = stack.slice(stack.indexOf(target))
        // Rotate so the same loop found from another entry reads the same.
        const start = loop.indexOf([...loop].sort()[0] as string)
        const rotated = [...loop.slice(start), ...loop.slice(0, start)]
        cycles.add([...rotated, rotated[0]].join(' → '))
      } else if (!state.has(target)) visit(target)
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of [...edges.keys()].sort()) if (!state.has(file)) visit(file)
  return [...cycles].sort()
}

const graph = buildGraph()

describe('import graph', () => {
  it('reads a plausible number of files and resolves every relative import', () => {
    expect(graph.files.length).toBeGreaterThan(100)
    const unresolved = [...graph.edges.values()].flat().filter((target) => target.includes('unresolved'))
    expect(unresolved).toEqual([])
  })

  it('finds a cycle when there is one (the detector itself works)', () => {
    const edges = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ])
    expect(findCycles(edges)).toEqual(['a → b → c → a'])
  })

  it('has no import cycle in shared, server or client', () => {
    expect(findCycles(graph.edges)).toEqual([])
  })

  it('shared imports nothing from the server or the client', () => {
    const offending = graph.files
      .filter((file) => file.startsWith('shared/src/'))
      .flatMap((file) => [
        ...(graph.edges.get(file) ?? [])
          .filter((target) => !target.startsWith('shared/src/'))
          .map((target) => `${file} → ${target}`),
        ...(graph.named.get(file) ?? [])
          .filter((specifier) => /^@drawbridge\/(server|client)/.test(specifier))
          .map((specifier) => `${file} → ${specifier}`),
      ])
    expect(offending).toEqual([])
  })

  it('no server folder imports the entry points (server.ts, main.ts, index.ts)', () => {
    const offending = graph.files
      .filter((file) => /^server\/src\/[^/]+\//.test(file))
      .flatMap((file) =>
        (graph.edges.get(file) ?? [])
          .filter((target) => SERVER_ENTRY_POINTS.includes(target))
          .map((target) => `${file} → ${target}`),
      )
    expect(offending).toEqual([])
  })

  it('storage imports only storage, logger and config', () => {
    const offending = graph.files
      .filter((file) => file.startsWith('server/src/storage/'))
      .flatMap((file) =>
        (graph.edges.get(file) ?? [])
          .filter((target) => !STORAGE_ALLOWED.some((allowed) => target.startsWith(allowed)))
          .map((target) => `${file} → ${target}`),
      )
    expect(offending).toEqual([])
  })
})
