/** Reads one unlabelled sample from a server's Prometheus `/metrics`. */
export async function readMetric(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text()
  const match = text.match(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm'))
  if (!match) throw new Error(`metric ${name} not found`)
  return Number(match[1])
}
