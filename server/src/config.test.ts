import { describe, expect, it } from 'vitest'
import { EnvSchema, loadConfig } from './config'

describe('loadConfig', () => {
  it('runs on a laptop with no variables set', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ port: 8787, host: '127.0.0.1', dataDir: './data', databaseUrl: undefined })
    expect(config.maxMessageBytes).toBe(8 * 1024 * 1024)
    expect(config.maxUpdateBytes).toBe(4 * 1024 * 1024)
    expect(config.clientDir).toMatch(/client\/dist$/)
  })

  it('reads and coerces what is set', () => {
    const config = loadConfig({ PORT: '9000', ROOM_IDLE_MS: '5', PUBLIC_URL: 'https://board.example.com/' })
    expect(config.port).toBe(9000)
    expect(config.roomIdleMs).toBe(5)
    expect(config.publicUrl).toBe('https://board.example.com')
  })

  it('takes the tldraw licence key at run time', () => {
    expect(loadConfig({}).tldrawLicenseKey).toBeUndefined()
    expect(loadConfig({ TLDRAW_LICENSE_KEY: ' tldraw-key ' }).tldrawLicenseKey).toBe('tldraw-key')
  })

  it('refuses an update cap that is not below the frame cap', () => {
    expect(() => loadConfig({ MAX_UPDATE_BYTES: String(8 * 1024 * 1024) })).toThrow(
      /MAX_UPDATE_BYTES .* must be below MAX_MESSAGE_BYTES/,
    )
    expect(loadConfig({ MAX_MESSAGE_BYTES: '20000000', MAX_UPDATE_BYTES: '12000000' }).maxUpdateBytes).toBe(
      12_000_000,
    )
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
})
