import { describe, expect, it } from 'vitest'
import { ConfigSchema, EnvSchema, loadConfig } from './config'
import { variablesOf } from './envFields'

describe('loadConfig', () => {
  it('runs on a laptop with no variables set', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      http: { port: 8787, host: '127.0.0.1' },
      storage: { dataDir: './data', databaseUrl: undefined },
    })
    expect(config.sync.maxMessageBytes).toBe(8 * 1024 * 1024)
    expect(config.rooms.maxUpdateBytes).toBe(4 * 1024 * 1024)
    expect(config.http.clientDir).toMatch(/client\/dist$/)
  })

  it('reads and coerces what is set', () => {
    const config = loadConfig({ PORT: '9000', ROOM_IDLE_MS: '5', PUBLIC_URL: 'https://board.example.com/' })
    expect(config.http.port).toBe(9000)
    expect(config.rooms.roomIdleMs).toBe(5)
    expect(config.http.publicUrl).toBe('https://board.example.com')
  })

  it('takes the tldraw licence key at run time', () => {
    expect(loadConfig({}).api.tldrawLicenseKey).toBeUndefined()
    expect(loadConfig({ TLDRAW_LICENSE_KEY: ' tldraw-key ' }).api.tldrawLicenseKey).toBe('tldraw-key')
  })

  it('refuses an update cap that is not below the frame cap', () => {
    expect(() => loadConfig({ MAX_UPDATE_BYTES: String(8 * 1024 * 1024) })).toThrow(
      /MAX_UPDATE_BYTES .* must be below MAX_MESSAGE_BYTES/,
    )
    expect(
      loadConfig({ MAX_MESSAGE_BYTES: '20000000', MAX_UPDATE_BYTES: '12000000' }).rooms.maxUpdateBytes,
    ).toBe(12_000_000)
  })

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', PUBLIC_URL: 'not a url', LOG_LEVEL: 'loud' })).toThrow(
      /PORT[\s\S]*PUBLIC_URL[\s\S]*LOG_LEVEL|PUBLIC_URL[\s\S]*PORT/,
    )
  })

  it('takes a variable set to nothing as not set (OPENAI_API_KEY= in a .env template), for every variable', () => {
    // Enumerated from the schema, so a variable added later is covered too.
    const names = Object.keys(EnvSchema.shape)
    expect(names).toContain('OPENAI_API_KEY')
    const empty = Object.fromEntries(names.map((name) => [name, '']))
    const blank = Object.fromEntries(names.map((name) => [name, '  ']))
    expect(loadConfig(empty)).toEqual(loadConfig({}))
    expect(loadConfig(blank)).toEqual(loadConfig({}))
    expect(loadConfig({ OPENAI_API_KEY: '' }).ai.registry).toBeUndefined()
  })

  it('reads each variable in one place, into the slice of the part that uses it', () => {
    const variables = variablesOf(ConfigSchema)
    const names = variables.map((entry) => entry.name)
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([])
    expect(Object.keys(EnvSchema.shape)).toEqual(names)
    const where = Object.fromEntries(variables.map((entry) => [entry.name, entry.path.join('.')]))
    expect(where).toMatchObject({
      DATABASE_URL: 'storage.databaseUrl',
      AI_WORKERS: 'ai.workers',
      REDIS_PREFIX: 'redis.prefix',
      PERSIST_WINDOW_MS: 'rooms.windowMs',
    })
    const config = loadConfig({ AI_WORKERS: '7', PERSIST_WINDOW_MS: '250', REDIS_PREFIX: 'test:' })
    expect([config.ai.workers, config.rooms.windowMs, config.redis.prefix]).toEqual([7, 250, 'test:'])
  })
})
