/**
 * Field helpers the wire contracts share (not exported from the package: only the contracts are).
 * Owns: these helpers. Must not touch: anything but zod.
 */
import { z } from 'zod'

/** Absent or null both read as absent (a reply may leave a field out either way). */
export const absent = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === null ? undefined : value), schema.optional())

/** A moment on the wire: an ISO 8601 date-time in UTC, as `Date.toISOString()` writes it. */
export const Moment = z.iso.datetime()

/** A `PATCH` body: only the named fields, and at least one of them given. */
export const changeOf = <S extends z.ZodRawShape>(shape: S) =>
  z
    .object(shape)
    .strict()
    .refine((body) => Object.values(body).some((value) => value !== undefined), 'nothing to change')
