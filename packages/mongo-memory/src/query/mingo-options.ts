import { Context } from 'mingo';
import { Lazy, type Iterator } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import type { AnyObject, CollectionResolver, Options } from 'mingo/types';
import { sortDocuments, type SortSpecification } from './sort-documents.js';
import { $type } from './type-operator.js';

// mingo ranks BSON classes it does not know (ObjectId...) after every built-in type; MongoDB has an order of its own.
const sortStage = (collection: Iterator, specification: AnyObject, _options: Options): Iterator =>
  collection.transform((documents) => Lazy(sortDocuments(documents as AnyObject[], specification as SortSpecification)));

// mingo's own entry points merge a caller's context under its defaults, so an override there is ignored; building
// the whole context here (used with the `mingo/query`, `mingo/aggregator` and `mingo/updater` classes) lets ours win.
const CONTEXT = Context.init({
  accumulator: { ...accumulatorOperators },
  expression: { ...expressionOperators },
  pipeline: { ...pipelineOperators, $sort: sortStage },
  projection: { ...projectionOperators },
  query: { ...queryOperators, $type },
  window: { ...windowOperators },
});

/** mingo options shared by queries, updates and pipelines: strict MongoDB semantics, no server-side scripts. */
export function mingoOptions(collectionResolver?: CollectionResolver): Partial<Options> {
  return { idKey: '_id', useStrictMode: true, scriptEnabled: false, context: CONTEXT, collectionResolver };
}
