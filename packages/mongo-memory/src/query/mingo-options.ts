import { computeValue, Context } from 'mingo/core';
import { Lazy, type Iterator } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import type { $set } from 'mingo/operators/update';
import * as windowOperators from 'mingo/operators/window';
import type { AnyObject, CollectionResolver, Options } from 'mingo/types';
import { sortDocuments, type SortSpecification } from './sort-documents.js';
import { $type } from './type-operator.js';

/** mingo's prepared options (its `ComputeOptions`): shared settings plus per-run locals such as the query condition. */
export type ComputeOptions = NonNullable<Parameters<typeof $set>[2]>;

interface ComputeOptionsClass {
  init(options: Partial<Options>): ComputeOptions;
}

// mingo ranks BSON classes it does not know (ObjectId...) after every built-in type; MongoDB has an order of its own.
const sortStage = (collection: Iterator, specification: AnyObject, _options: Options): Iterator =>
  collection.transform((documents) => Lazy(sortDocuments(documents as AnyObject[], specification as SortSpecification)));

// mingo's own entry points merge a caller's context under its defaults, so an override there is ignored; building
// the whole context here (used with the `mingo/query`, `mingo/aggregator` and update operator modules) lets ours win.
const CONTEXT = Context.init({
  accumulator: { ...accumulatorOperators },
  expression: { ...expressionOperators },
  pipeline: { ...pipelineOperators, $sort: sortStage },
  projection: { ...projectionOperators },
  query: { ...queryOperators, $type },
  window: { ...windowOperators },
});

// Given plain options, every mingo Query, Aggregator and update copies the whole operator context (hundreds of
// entries) before doing any work; that copy dominated the engine's CPU. Given a ComputeOptions instance, mingo only
// copies its locals. The class is not exported, so it is taken from the instance mingo hands to an operator.
const COMPUTE_OPTIONS = captureComputeOptionsClass();
const SHARED = COMPUTE_OPTIONS.init({ idKey: '_id', useStrictMode: true, scriptEnabled: false, context: CONTEXT });

function captureComputeOptionsClass(): ComputeOptionsClass {
  let captured: unknown;
  const capture = (_object: unknown, _expression: unknown, options: Options): null => {
    captured = options;
    return null;
  };
  const probe = Context.init().addExpressionOps({ $captureOptions: capture });
  computeValue({}, null, '$captureOptions', { context: probe } as Options);
  const constructor = (captured as { constructor?: unknown } | undefined)?.constructor as Partial<ComputeOptionsClass> | undefined;
  if (typeof constructor?.init !== 'function') throw new Error('this version of mingo has no ComputeOptions.init');
  return constructor as ComputeOptionsClass;
}

/**
 * mingo options shared by queries, updates and pipelines: strict MongoDB semantics, no server-side scripts. Each
 * call gives fresh locals (so `$$NOW` and the query condition belong to one operation) over one shared context.
 */
export function mingoOptions(collectionResolver?: CollectionResolver): ComputeOptions {
  if (!collectionResolver) return COMPUTE_OPTIONS.init(SHARED);
  // The constructor is private in mingo's types; it takes the settings and locals, and shares the context as given.
  const construct = COMPUTE_OPTIONS as unknown as new (options: Options) => ComputeOptions;
  return new construct({ ...SHARED.options, collectionResolver });
}

/** Options for mingo's update operators: the query condition (for the positional `$`) and the array filters. */
export function updateOptions(condition: AnyObject, arrayFilters: AnyObject[]): ComputeOptions {
  return COMPUTE_OPTIONS.init(SHARED).update({ condition, updateConfig: { cloneMode: 'deep', arrayFilters } });
}
