/**
 * Prometheus metrics of one server instance (its own registry, so several servers can share a
 * process in tests). Owns metric names; callers only increment and observe.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

export function createMetrics() {
  const registry = new Registry()
  // The event-loop delay histogram samples every 100 ms, not prom-client's 10 ms: 100 timer wake-ups a
  // second cost an idle server 14 ms of CPU a second, 3.5× everything else it does when idle. A stall
  // still shows as the delay of the next sample.
  collectDefaultMetrics({
    register: registry,
    prefix: 'drawbridge_process_',
    eventLoopMonitoringPrecision: 100,
  })
  const metric = { registers: [registry] }
  return {
    registry,
    connections: new Gauge({ name: 'drawbridge_connections', help: 'Open sync connections', ...metric }),
    roomsLoaded: new Gauge({ name: 'drawbridge_rooms_loaded', help: 'Rooms held in memory', ...metric }),
    updatesIn: new Counter({
      name: 'drawbridge_updates_in_total',
      help: 'Document updates received from clients',
      ...metric,
    }),
    updatesOut: new Counter({
      name: 'drawbridge_updates_out_total',
      help: 'Document update frames sent to clients',
      ...metric,
    }),
    bytesIn: new Counter({
      name: 'drawbridge_bytes_in_total',
      help: 'Bytes received on sync connections',
      ...metric,
    }),
    bytesOut: new Counter({
      name: 'drawbridge_bytes_out_total',
      help: 'Bytes sent on sync connections',
      ...metric,
    }),
    exportAssetBytesRead: new Counter({
      name: 'drawbridge_export_asset_bytes_read_total',
      help: 'Bytes of board files read to embed them in exports',
      ...metric,
    }),
    droppedViewerWrites: new Counter({
      name: 'drawbridge_viewer_writes_dropped_total',
      help: 'Sync step 2 / update messages from viewers that were dropped',
      ...metric,
    }),
    refusedUpdates: new Counter({
      name: 'drawbridge_updates_refused_total',
      help: 'Updates refused for breaking the document contract (sender closed with 1003)',
      ...metric,
    }),
    droppedPresence: new Counter({
      name: 'drawbridge_presence_entries_dropped_total',
      help: 'Awareness entries a connection sent for a client id it does not own',
      ...metric,
    }),
    closedConnections: new Counter({
      name: 'drawbridge_connections_closed_total',
      help: 'Sync connections closed by the server, by close code',
      labelNames: ['code'],
      ...metric,
    }),
    persistSeconds: new Histogram({
      name: 'drawbridge_persist_seconds',
      help: 'Time to write one coalesced update batch to the database',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      ...metric,
    }),
    updatesPersisted: new Counter({
      name: 'drawbridge_updates_persisted_total',
      help: 'Document updates written to the database (several may share one row)',
      ...metric,
    }),
    persistFailures: new Counter({
      name: 'drawbridge_persist_failures_total',
      help: 'Failed update writes (retried)',
      ...metric,
    }),
    busMessagesIn: new Counter({
      name: 'drawbridge_bus_messages_in_total',
      help: 'Messages received from other instances over Redis, by type',
      labelNames: ['type'],
      ...metric,
    }),
    busMessagesOut: new Counter({
      name: 'drawbridge_bus_messages_out_total',
      help: 'Messages published to Redis',
      ...metric,
    }),
    busPublishFailures: new Counter({
      name: 'drawbridge_bus_publish_failures_total',
      help: 'Publishes that failed (Redis unreachable); the periodic resync repairs them',
      ...metric,
    }),
    busRepairs: new Counter({
      name: 'drawbridge_bus_repairs_total',
      help: 'Resync replies that brought in changes this instance had missed',
      ...metric,
    }),
    compactions: new Counter({
      name: 'drawbridge_compactions_total',
      help: 'Room compactions run',
      ...metric,
    }),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
