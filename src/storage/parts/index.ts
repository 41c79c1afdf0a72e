export { PartWriter, type PartWriterOptions } from './part-writer.js';
export { PartReader, newReadStats, type PartReadOptions, type PartReadStats } from './part-reader.js';
export { readPartMeta, type PartMeta, type PartColumnMeta } from './part-meta.js';
export { formatPartName, parsePartName, partitionIdOf, covers, type PartName } from './part-name.js';
export { splitByPartition, NO_PARTITION, type PartitionAssignment, type PartitionFn } from './partitioning.js';
export { sortBlock, replacingDedup } from './sort-block.js';
export { writeSortedParts, writePart, type PartLayout, type PartRange } from './write-parts.js';
export { mergeParts, type MergeOptions, type MergeResult } from './merge-parts.js';
export { DEFAULT_PART_CODEC, type PartCodec } from './part-compression.js';
