/**
 * Ours and the reference under the same load at the same moment: two copies of the fan-out load, one
 * against each server, start together and are measured over the same window. Repeated `rounds`
 * times (fresh servers each round, alternating which load is set going first); the figures are each
 * round's ratio, ours ÷ reference, and their median.
 *
 * Why side by side: on a virtual machine that shares its host, the same server's CPU per delivered
 * update moved by up to 2× between runs a few minutes apart (20.9–46.5 µs for the reference alone,
 * 15 s windows), which is more than the difference being measured. Run side by side, both servers see
 * the same machine; the reference against itself (an A/A check) stays within 0.92–1.11 a round.
 * Used at light load, where two copies of the load leave the two cores far from saturated.
 */
import { createRoom } from '../../integration/support/clients'
import { type Backend, createTestDatabase } from '../../integration/support/databases'
import { inBatches, median, round } from '../lib/measure'
import type { Numbers } from '../lib/report'
import { startOurs, startReference } from '../lib/servers'
import { type FanoutOptions, type FanoutResult, measure, roomCount } from './fanout'

/** Resolves for everyone once `parties` have arrived: both loads are connected before either starts. */
function startLine(parties: number): () => Promise<void> {
  let arrived = 0
  let release: () => void = () => {}
  const everyone = new Promise<void>((resolve) => {
    release = resolve
  })
  return () => {
    arrived++
    if (arrived === parties) release()
    return everyone
  }
}

interface Round {
  ours: FanoutResult
  reference: FanoutResult
}

async function runRound(backend: Backend, options: FanoutOptions, oursFirst: boolean): Promise<Round> {
  const database = await createTestDatabase(backend)
  const reference = await startReference()
  const ours = await startOurs(database)
  try {
    const created = await inBatches(
      Array.from({ length: roomCount(options) }, (_, i) => i),
      10,
      (i) => createRoom(ours.url, `side by side ${i}`),
    )
    const referenceRooms = Array.from({ length: roomCount(options) }, (_, i) => `bench-room-${i}`)
    const ready = startLine(2)
    const measureOurs = () =>
      measure(
        [ours],
        created.map((room) => room.links.edit.id),
        false,
        options,
        { ready },
      )
    const measureReference = () => measure([reference], referenceRooms, true, options, { ready })
    if (oursFirst) {
      const [oursResult, referenceResult] = await Promise.all([measureOurs(), measureReference()])
      return { ours: oursResult, reference: referenceResult }
    }
    const [referenceResult, oursResult] = await Promise.all([measureReference(), measureOurs()])
    return { ours: oursResult, reference: referenceResult }
  } finally {
    await reference.stop()
    await ours.stop()
    await database.drop()
  }
}

/** Ours on `backend` beside the reference, `rounds` times: medians of each side and of the ratios. */
export async function benchFanoutSideBySide(
  backend: Backend,
  options: FanoutOptions,
  rounds = 3,
): Promise<Numbers> {
  const results: Round[] = []
  for (let i = 0; i < rounds; i++) {
    const result = await runRound(backend, options, i % 2 === 1)
    const cpu = result.ours.serverCpuUsPerDelivery / result.reference.serverCpuUsPerDelivery
    console.log(
      `   round ${i + 1}/${rounds}: CPU per delivery ${result.ours.serverCpuUsPerDelivery} vs ${result.reference.serverCpuUsPerDelivery} µs (${round(cpu, 2)}×), p99 ${result.ours.p99Ms} vs ${result.reference.p99Ms} ms`,
    )
    results.push(result)
  }
  const ratios = (pick: (result: FanoutResult) => number) =>
    results.map((result) => pick(result.ours) / pick(result.reference))
  const of = (side: 'ours' | 'reference', pick: (result: FanoutResult) => number) =>
    round(median(results.map((result) => pick(result[side]))), 2)
  const cpuRatios = ratios((result) => result.serverCpuUsPerDelivery)
  const p99Ratios = ratios((result) => result.p99Ms)
  return {
    rounds,
    cpuRatio: round(median(cpuRatios), 2),
    cpuRatioMin: round(Math.min(...cpuRatios), 2),
    cpuRatioMax: round(Math.max(...cpuRatios), 2),
    p50Ratio: round(median(ratios((result) => result.p50Ms)), 2),
    p99Ratio: round(median(p99Ratios), 2),
    p99RatioMax: round(Math.max(...p99Ratios), 2),
    serverCpuUsPerDelivery: of('ours', (result) => result.serverCpuUsPerDelivery),
    referenceCpuUsPerDelivery: of('reference', (result) => result.serverCpuUsPerDelivery),
    p50Ms: of('ours', (result) => result.p50Ms),
    referenceP50Ms: of('reference', (result) => result.p50Ms),
    p99Ms: of('ours', (result) => result.p99Ms),
    referenceP99Ms: of('reference', (result) => result.p99Ms),
    serverRssMB: of('ours', (result) => result.serverRssMB),
    referenceRssMB: of('reference', (result) => result.serverRssMB),
    postgresCpuPct: of('ours', (result) => result.postgresCpuPct),
    embeddedDbCpuPct: of('ours', (result) => result.embeddedDbCpuPct),
    deliveredPct: Math.min(...results.map((result) => result.ours.deliveredPct)),
    witnessDeliveredPct: Math.min(...results.map((result) => result.ours.witnessDeliveredPct ?? 100)),
    loadgenLoopDelayP99Ms: Math.max(
      ...results.flatMap((result) => [result.ours, result.reference].map((r) => r.loadgenLoopDelayP99Ms)),
    ),
  }
}
