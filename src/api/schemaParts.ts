/** Building blocks of the API's JSON schemas (OpenAPI): closed objects, typed scalars with descriptions. */
export type Schema = Record<string, unknown>;
export const text = (description?: string): Schema => ({
  type: 'string',
  ...(description ? { description } : {}),
});
export const nullableText = (description?: string): Schema => ({
  type: ['string', 'null'],
  ...(description ? { description } : {}),
});
export const int = (description?: string): Schema => ({
  type: 'integer',
  ...(description ? { description } : {}),
});
export const nullableInt = (description?: string): Schema => ({
  type: ['integer', 'null'],
  ...(description ? { description } : {}),
});
export const num = (description?: string): Schema => ({
  type: 'number',
  ...(description ? { description } : {}),
});
export const nullableNum = (description?: string): Schema => ({
  type: ['number', 'null'],
  ...(description ? { description } : {}),
});
export const bool = (description?: string): Schema => ({
  type: 'boolean',
  ...(description ? { description } : {}),
});
export const dateTime = (description?: string): Schema => ({
  type: 'string',
  format: 'date-time',
  ...(description ? { description } : {}),
});
export const nullableDateTime = (description?: string): Schema => ({
  type: ['string', 'null'],
  format: 'date-time',
  ...(description ? { description } : {}),
});
export const nullable = (schema: Schema): Schema => ({
  ...schema,
  type: [...(Array.isArray(schema.type) ? schema.type : [schema.type]), 'null'],
});
export const mapOf = (values: Schema, description?: string): Schema => ({
  type: 'object',
  additionalProperties: values,
  ...(description ? { description } : {}),
});
/** A closed object whose every property is required. */
export const closed = (properties: Record<string, Schema>, description?: string): Schema => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
  ...(description ? { description } : {}),
});
