import { isOperatorObject, isPlainObject, type StoredDocument } from '../bson-values.js';
import type { Collection } from '../storage/collection.js';
import { isLookupValue, type CollectionIndex, type IndexEntry, type IndexGroup } from '../storage/collection-index.js';
import { isNumeric, numericValue } from './bson-numbers.js';
import { compareBson } from './bson-order.js';
import type { SortSpecification } from './sort-documents.js';

interface Bound {
  value: unknown;
  inclusive: boolean;
}

/** The range of values a filter allows for one field, in MongoDB's order across BSON types (absent side: open). */
export interface FieldBounds {
  lower?: Bound | undefined;
  upper?: Bound | undefined;
}

/**
 * A query answered by walking an index in its order, as MongoDB's IXSCAN that provides the sort: an equality on the
 * index's leading fields, the sort along the fields that follow (all in the index's directions, or all reversed),
 * and the values of the first sorted field limited to the range the filter allows. The documents come lazily, in
 * the sort's order, so a limit reads only what it returns.
 */
export interface IndexScanPlan {
  index: CollectionIndex;
  /** 1: in the index's order; -1: in reverse. */
  direction: 1 | -1;
  /** How many leading fields of the index the filter pins to one value. */
  equalities: number;
  /** The range of the first sorted field, from the filter. */
  bounds: FieldBounds;
  /** How many index entries the scan holds at most (before the limit stops it). */
  keys: number;
  documents: Iterable<StoredDocument>;
}

/**
 * The index scan that answers a sorted query without sorting, or `undefined` when no index provides the sort (then
 * the caller sorts). Not under a collation (index keys order strings by code unit), nor for a multikey index, nor
 * for a `$natural` sort, as in MongoDB.
 */
export function planIndexScan(collection: Collection, filter: StoredDocument | undefined, sort: SortSpecification): IndexScanPlan | undefined {
  if (!filter) return undefined;
  const sortFields = Object.entries(sort).map(([path, value]) => ({ path, direction: isNumeric(value) ? numericValue(value) : Number.NaN }));
  if (sortFields.length === 0 || sortFields.some((field) => (field.direction !== 1 && field.direction !== -1) || field.path === '$natural')) return undefined;
  let best: { index: CollectionIndex; equalities: number; direction: 1 | -1; sorted: number } | undefined;
  for (const index of collection.indexes) {
    if (!index.isOrdered || !isLookupValue(filter[index.fields[0] as string])) continue;
    let equalities = 1;
    while (equalities < index.fields.length && isLookupValue(filter[index.fields[equalities] as string])) equalities += 1;
    const pinned = new Set(index.fields.slice(0, equalities));
    const remaining = sortFields.filter((field) => !pinned.has(field.path));
    if (remaining.length === 0 || equalities + remaining.length > index.fields.length) continue;
    const direction = ((remaining[0]?.direction ?? 1) * (index.directions[equalities] ?? 1)) as 1 | -1;
    const provides = remaining.every(
      (field, offset) => field.path === index.fields[equalities + offset] && field.direction * (index.directions[equalities + offset] ?? 1) === direction,
    );
    if (provides && (!best || equalities > best.equalities)) best = { index, equalities, direction, sorted: remaining.length };
  }
  if (!best) return undefined;
  const { index, equalities, direction, sorted } = best;
  const group = index.group(filter[index.fields[0] as string]) ?? [];
  let from = 0;
  let to = group.length;
  // Entries hold the values of the fields after the first; each equality, then the sort's first field, narrows the range.
  for (let field = 1; field < equalities; field += 1) {
    const value = filter[index.fields[field] as string];
    [from, to] = narrow(index, group, from, to, field - 1, { lower: { value, inclusive: true }, upper: { value, inclusive: true } });
  }
  const bounds = boundsOf(filter, index.fields[equalities] as string);
  [from, to] = narrow(index, group, from, to, equalities - 1, bounds);
  return {
    index,
    direction,
    equalities,
    bounds,
    keys: to - from,
    documents: walk(collection, group, from, to, direction, equalities - 1, sorted),
  };
}

// The part of [from, to) whose entries' value at `slot` lies within the bounds (entries there are ordered by it).
function narrow(index: CollectionIndex, group: IndexGroup, from: number, to: number, slot: number, bounds: FieldBounds): [number, number] {
  const direction = index.directions[slot + 1] ?? 1;
  const below = (value: unknown) => bounds.lower !== undefined && compareBson(value, bounds.lower.value) < (bounds.lower.inclusive ? 0 : 1);
  const above = (value: unknown) => bounds.upper !== undefined && compareBson(value, bounds.upper.value) > (bounds.upper.inclusive ? 0 : -1);
  // In the index's order, entries before the range are those below it (ascending field) or above it (descending).
  const before = direction === 1 ? below : above;
  const after = direction === 1 ? above : below;
  const start = firstWhere(group, from, to, (entry) => !before(entry.values[slot]));
  const end = firstWhere(group, start, to, (entry) => after(entry.values[slot]));
  return [start, end];
}

function firstWhere(group: IndexGroup, from: number, to: number, test: (entry: IndexEntry) => boolean): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (test(group[middle] as IndexEntry)) high = middle;
    else low = middle + 1;
  }
  return low;
}

// Entries in the scan's direction; entries equal on the sorted fields come in natural order, as the engine's stable
// sort leaves them.
function* walk(collection: Collection, group: IndexGroup, from: number, to: number, direction: 1 | -1, firstSlot: number, sorted: number): Generator<StoredDocument> {
  const sameSortKey = (left: IndexEntry, right: IndexEntry) => {
    for (let slot = firstSlot; slot < firstSlot + sorted; slot += 1) if (compareBson(left.values[slot], right.values[slot]) !== 0) return false;
    return true;
  };
  let at = direction === 1 ? from : to - 1;
  while (direction === 1 ? at < to : at >= from) {
    const first = group[at] as IndexEntry;
    const run = [first];
    at += direction;
    while ((direction === 1 ? at < to : at >= from) && sameSortKey(first, group[at] as IndexEntry)) {
      run.push(group[at] as IndexEntry);
      at += direction;
    }
    if (run.length > 1) run.sort((left, right) => left.position - right.position);
    for (const entry of run) {
      const document = collection.get(entry.idKey);
      if (document) yield document;
    }
  }
}

/**
 * The range a filter allows for a field: from its conditions on the field (`$eq`, `$lt`, `$lte`, `$gt`, `$gte`,
 * `$in`, a plain value), those inside `$and`, and the widest range of the branches of an `$or` (open when a branch
 * does not limit the field). Only a superset of the matches: the filter is still tested on every document.
 */
export function boundsOf(filter: StoredDocument, field: string): FieldBounds {
  const parts: FieldBounds[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (key === field) parts.push(boundsOfCondition(condition));
    else if (key === '$and' && Array.isArray(condition)) for (const part of condition) if (isPlainObject(part)) parts.push(boundsOf(part, field));
    if (key === '$or' && Array.isArray(condition) && condition.length > 0 && condition.every(isPlainObject)) {
      const branches = (condition as StoredDocument[]).map((branch) => boundsOf(branch, field));
      parts.push({ lower: widest(branches.map((branch) => branch.lower), -1), upper: widest(branches.map((branch) => branch.upper), 1) });
    }
  }
  return { lower: tightest(parts.map((part) => part.lower), 1), upper: tightest(parts.map((part) => part.upper), -1) };
}

function boundsOfCondition(condition: unknown): FieldBounds {
  if (isLookupValue(condition)) return { lower: { value: condition, inclusive: true }, upper: { value: condition, inclusive: true } };
  if (!isOperatorObject(condition)) return {};
  const lowers: (Bound | undefined)[] = [];
  const uppers: (Bound | undefined)[] = [];
  for (const [operator, value] of Object.entries(condition)) {
    if (operator === '$in' && Array.isArray(value) && value.length > 0 && value.every(isLookupValue)) {
      const ordered = [...value].sort(compareBson);
      lowers.push({ value: ordered[0], inclusive: true });
      uppers.push({ value: ordered[ordered.length - 1], inclusive: true });
    }
    if (!isLookupValue(value)) continue;
    if (operator === '$eq' || operator === '$gt' || operator === '$gte') lowers.push({ value, inclusive: operator !== '$gt' });
    if (operator === '$eq' || operator === '$lt' || operator === '$lte') uppers.push({ value, inclusive: operator !== '$lt' });
  }
  return { lower: tightest(lowers, 1), upper: tightest(uppers, -1) };
}

// The narrowest of several bounds on one side (`side` 1: the greatest lower bound; -1: the least upper bound).
function tightest(bounds: (Bound | undefined)[], side: 1 | -1): Bound | undefined {
  let chosen: Bound | undefined;
  for (const bound of bounds) {
    if (!bound) continue;
    const order = chosen ? compareBson(bound.value, chosen.value) * side : 1;
    if (!chosen || order > 0 || (order === 0 && !bound.inclusive)) chosen = bound;
  }
  return chosen;
}

// The widest of the bounds of `$or` branches (`side` -1: the least lower bound; 1: the greatest upper bound); open
// when any branch is open on that side.
function widest(bounds: (Bound | undefined)[], side: 1 | -1): Bound | undefined {
  let chosen: Bound | undefined;
  for (const bound of bounds) {
    if (!bound) return undefined;
    const order = chosen ? compareBson(bound.value, chosen.value) * side : 1;
    if (!chosen || order > 0 || (order === 0 && bound.inclusive)) chosen = bound;
  }
  return chosen;
}
