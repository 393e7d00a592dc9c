/** Test-only: the `mxgraph` npm package ships no types; mxgraphDecode.test.ts uses it through this. */
declare module 'mxgraph' {
  const factory: (options: Record<string, unknown>) => Record<string, unknown>
  export default factory
}
