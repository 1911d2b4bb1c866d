export type {
  AttributeColumn,
  AttributeColumns,
  BooleanColumn,
  BuildAttributeColumnsOptions,
  CategoryColumn,
  NumericColumn,
} from './attribute-columns.ts';
export { BOOLEAN_MISSING, buildAttributeColumns } from './attribute-columns.ts';
export type { AttributeSchema, AttributeSpec, AttributeType } from './attribute-schema.ts';
export { ATTRIBUTE_TYPES, isNumericType, validateAttributeSchema } from './attribute-schema.ts';
export { buildCategoryDictionary, categoryCode, compareCategories } from './category-dictionary.ts';
export { inferSchema } from './infer-schema.ts';
export type { LloydMax1dOptions, LloydMax1dResult } from './lloyd-max-1d.ts';
export { lloydMax1d } from './lloyd-max-1d.ts';
export type {
  QuantizeAttributesOptions,
  QuantizedAttribute,
  QuantizedAttributes,
  QuantizedBooleanAttribute,
  QuantizedCategoryAttribute,
  QuantizedNumericAttribute,
} from './quantized-attributes.ts';
export { gatherQuantizedRows, quantizeAttributes } from './quantized-attributes.ts';
