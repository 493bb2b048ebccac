import { describe, expect, it } from 'vitest';
import { formatShape } from './format-shape';
import { jsonSchemaOfShape } from './json-schema-of-shape';
import { resolveShapePath } from './resolve-shape-path';
import { shapeOfJsonSchema } from './shape-of-json-schema';

const show = (schema: unknown) => formatShape(shapeOfJsonSchema(schema));

describe('shapeOfJsonSchema', () => {
  it('reads types, required keys and closed or open objects', () => {
    expect(
      show({
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'integer' }, c: { type: ['boolean', 'null'] } },
        required: ['a'],
        additionalProperties: false,
      }),
    ).toBe('{ a: string; b?: number; c?: boolean | null }');
    expect(show({ type: 'object', properties: { a: { type: 'string' } } })).toBe('{ a?: string; ... }');
    expect(show({ type: 'object', additionalProperties: { type: 'number' } })).toBe('{ [key: string]: number }');
    expect(show({ properties: { a: {} }, additionalProperties: false })).toBe('{ a?: unknown }');
  });
  it('reads enums, consts, anyOf/oneOf, nullable, arrays and tuples', () => {
    expect(show({ enum: ['a', 'b', 1, null] })).toBe('"a" | "b" | number | null');
    expect(show({ const: true })).toBe('true');
    expect(show({ anyOf: [{ type: 'string' }, { type: 'null' }] })).toBe('string | null');
    expect(show({ oneOf: [{ type: 'number' }, { type: 'array', items: { type: 'string' } }] })).toBe(
      'number | string[]',
    );
    expect(show({ type: 'string', nullable: true })).toBe('string | null');
    expect(show({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false })).toBe(
      '[string, number, ...never[]]',
    );
    expect(show({ type: 'array' })).toBe('unknown[]');
  });
  it('merges allOf objects', () => {
    expect(
      show({
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false },
          { type: 'object', properties: { b: { type: 'number' } }, additionalProperties: false },
        ],
      }),
    ).toBe('{ a: string; b?: number }');
  });
  it('follows local refs, recursive ones too; anything it does not understand is unknown', () => {
    const tree = {
      $ref: '#/$defs/node',
      $defs: {
        node: {
          type: 'object',
          properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } },
          required: ['name', 'children'],
          additionalProperties: false,
        },
      },
    };
    const shape = shapeOfJsonSchema(tree);
    const deep = resolveShapePath(shape, ['children', 0, 'children', 3, 'name']);
    expect(deep.found && formatShape(deep.shape)).toBe('string');
    const typo = resolveShapePath(shape, ['children', 0, 'nmae']);
    expect(typo).toMatchObject({ found: false, at: 2, keys: ['name', 'children'] });
    expect(jsonSchemaOfShape(shape)).toMatchObject({ type: 'object', required: ['name', 'children'] });
    expect(show({ $ref: 'https://example.com/other.json' })).toBe('unknown');
    expect(show({ type: 'strange' })).toBe('unknown');
    expect(show(true)).toBe('unknown');
    expect(show(false)).toBe('never');
  });
});

describe('resolveShapePath', () => {
  const shape = shapeOfJsonSchema({
    anyOf: [
      { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false },
      { type: 'object', properties: { b: { type: 'array', items: { type: 'number' } } }, additionalProperties: false },
      { type: 'null' },
    ],
  });
  it('finds a key present in any alternative', () => {
    expect(resolveShapePath(shape, ['a'])).toEqual({ found: true, shape: { kind: 'string' } });
    expect(resolveShapePath(shape, ['b', 4])).toEqual({ found: true, shape: { kind: 'number' } });
  });
  it('reports the first segment that cannot exist and the keys there', () => {
    expect(resolveShapePath(shape, ['c'])).toMatchObject({ found: false, at: 0, keys: ['a', 'b'] });
    expect(resolveShapePath(shape, ['a', 'x'])).toMatchObject({ found: false, at: 1, keys: [] });
    expect(resolveShapePath(shape, ['b', 'x'])).toMatchObject({ found: false, at: 1 });
  });
});

describe('jsonSchemaOfShape', () => {
  it('writes closed objects, enums, unions and unknown as draft 2020-12', () => {
    const shape = shapeOfJsonSchema({
      type: 'object',
      properties: {
        v: { enum: ['x', 'y'] },
        n: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
        any: {},
        list: { type: 'array', items: { type: 'boolean' } },
      },
      required: ['v'],
      additionalProperties: false,
    });
    expect(jsonSchemaOfShape(shape)).toEqual({
      type: 'object',
      properties: {
        v: { type: 'string', enum: ['x', 'y'] },
        n: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
        any: {},
        list: { type: 'array', items: { type: 'boolean' } },
      },
      required: ['v'],
      additionalProperties: false,
    });
    expect(jsonSchemaOfShape(shapeOfJsonSchema({ type: 'object' }))).toEqual({ type: 'object', properties: {} });
  });
});
