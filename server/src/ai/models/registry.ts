/**
 * The model registry: which OpenAI-compatible models the co-pilot may call, what they cost and
 * which to try next when one keeps failing. Built from a JSON file (AI_MODELS_FILE) or from
 * OPENAI_API_KEY / OPENAI_BASE_URL / AI_MODEL. Owns: the registry's shape and the fallback order.
 * Must not touch: HTTP clients, the queue.
 */
import { z } from 'zod'

export const ModelCapability = z.enum(['tools', 'json', 'streaming'])

export const ModelEntry = z.object({
  /** The name jobs, usage rows and fallbacks refer to. */
  id: z.string().min(1).max(100),
  /** OpenAI-compatible base URL (`…/v1`); unset: api.openai.com. */
  baseUrl: z.url().optional(),
  /** Name of the environment variable holding this model's key (keys never live in the file). */
  apiKeyEnv: z.string().min(1).optional(),
  /** The provider's model name. */
  model: z.string().min(1).max(200),
  capabilities: z.array(ModelCapability).default(['tools', 'streaming']),
  maxTokens: z.number().int().positive().max(1_000_000).default(4096),
  temperature: z.number().min(0).max(2).default(0.2),
  /** US dollars per 1,000 tokens, for the usage records. */
  pricePer1kInput: z.number().min(0).default(0),
  pricePer1kOutput: z.number().min(0).default(0),
  /** Models (by id) to try, in order, when this one fails after its retries. */
  fallbacks: z.array(z.string().min(1)).default([]),
})
export type ModelEntry = z.infer<typeof ModelEntry>

export const ModelsFile = z
  .object({ default: z.string().min(1), models: z.array(ModelEntry).min(1).max(50) })
  .refine((file) => file.models.some((model) => model.id === file.default), {
    message: '`default` must name one of `models`',
  })

/** A model with its key resolved. */
export interface ModelSpec extends ModelEntry {
  apiKey: string
}

export interface ModelRegistry {
  defaultModel: string
  models: Map<string, ModelSpec>
}

/** The registry for the common case: one endpoint and one model from the environment. */
export function registryFromEnvironment(openai: {
  apiKey: string
  baseUrl: string | undefined
  model: string
}): ModelRegistry {
  const entry = ModelEntry.parse({ id: openai.model, model: openai.model, baseUrl: openai.baseUrl })
  return { defaultModel: entry.id, models: new Map([[entry.id, { ...entry, apiKey: openai.apiKey }]]) }
}

/**
 * The registry from a parsed models file; a model's key comes from its `apiKeyEnv` variable or,
 * failing that, from OPENAI_API_KEY. Throws on fallbacks naming unknown models.
 */
export function registryFromFile(
  file: z.infer<typeof ModelsFile>,
  keyOf: (variable: string) => string | undefined,
  defaultKey: string | undefined,
): ModelRegistry {
  const models = new Map<string, ModelSpec>()
  for (const entry of file.models) {
    // Local servers (Ollama, vLLM) accept any key; the SDK insists on a non-empty one.
    const apiKey = (entry.apiKeyEnv ? keyOf(entry.apiKeyEnv) : undefined) ?? defaultKey ?? 'unused'
    models.set(entry.id, { ...entry, apiKey })
  }
  for (const model of models.values()) {
    const unknown = model.fallbacks.filter((id) => !models.has(id))
    if (unknown.length > 0) throw new Error(`model ${model.id}: unknown fallbacks ${unknown.join(', ')}`)
  }
  return { defaultModel: file.default, models }
}

/** The model to call first and then each fallback in order (breadth-first, each model once). */
export function fallbackChain(registry: ModelRegistry, first = registry.defaultModel): ModelSpec[] {
  const chain: ModelSpec[] = []
  const queue = [first]
  const seen = new Set<string>()
  while (queue.length > 0) {
    const id = queue.shift()!
    const model = registry.models.get(id)
    if (!model || seen.has(id)) continue
    seen.add(id)
    chain.push(model)
    queue.push(...model.fallbacks)
  }
  return chain
}

/** What one call to a model cost, in US dollars. */
export function costOf(model: ModelEntry, tokensIn: number, tokensOut: number): number {
  return (tokensIn / 1000) * model.pricePer1kInput + (tokensOut / 1000) * model.pricePer1kOutput
}
