export { buildLookupIndex, lookupBatch, lookupLayerOf, lookupPartKey, lookupPoint, lookupUpdateScope, updateLookupIndex } from './lookup-index.ts';
export type { BatchLookup, LookupGrid, LookupGridInput, LookupIndex, LookupIndexOptions, LookupLayer, LookupLayerName, LookupPart, PointLookup } from './lookup-index.ts';
export { nearestGrid, type NearestGrid } from './nearest-grid.ts';
export { detectSwappedPoint, type ServiceBBox } from './swapped-point.ts';
export { LOOKUP_LAYER_FILTER, lookupBatchSql, lookupPointSql, type LookupSqlOptions } from './sql.ts';
