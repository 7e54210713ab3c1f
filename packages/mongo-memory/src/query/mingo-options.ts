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
import type { Collation } from './collation.js';
import { compileMatch } from './filter/compile-match.js';
import { sortDocuments, type SortSpecification } from './sort-documents.js';
import { $type } from './type-operator.js';

/** mingo's prepared options (its `ComputeOptions`): shared settings plus per-run locals such as the query condition. */
export type ComputeOptions = NonNullable<Parameters<typeof $set>[2]>;

interface ComputeOptionsClass {
  init(options: Partial<Options>): ComputeOptions;
}

// mingo ranks BSON classes it does not know (ObjectId...) after every built-in type, and its matcher lacks much of
// MongoDB's semantics: the engine's own sort and matcher run the `$sort` and `$match` stages, with the collation.
function buildContext(collation: Collation | undefined): Context {
  const sortStage = (collection: Iterator, specification: AnyObject, _options: Options): Iterator =>
    collection.transform((documents) => Lazy(sortDocuments(documents as AnyObject[], specification as SortSpecification, collation?.compare)));
  const matchStage = (collection: Iterator, filter: AnyObject, _options: Options): Iterator => {
    const matches = compileMatch(filter, { collation });
    return collection.filter((document) => matches(document as AnyObject));
  };
  // mingo's own entry points merge a caller's context under its defaults, so an override there is ignored; building
  // the whole context here (used with the `mingo/query` and `mingo/aggregator` modules) lets ours win.
  return Context.init({
    accumulator: { ...accumulatorOperators },
    expression: { ...expressionOperators },
    pipeline: { ...pipelineOperators, $sort: sortStage, $match: matchStage },
    projection: { ...projectionOperators },
    query: { ...queryOperators, $type },
    window: { ...windowOperators },
  });
}

const CONTEXT = buildContext(undefined);
const COLLATED = new Map<string, ComputeOptions>();

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
 * call gives fresh locals (so `$$NOW` belongs to one operation) over one shared context; a collation gets a context
 * of its own (kept for the next command with the same collation).
 */
export function mingoOptions(collectionResolver?: CollectionResolver, collation?: Collation): ComputeOptions {
  const base = collation ? collatedOptions(collation) : SHARED;
  if (!collectionResolver) return COMPUTE_OPTIONS.init(base);
  // The constructor is private in mingo's types; it takes the settings and locals, and shares the context as given.
  const construct = COMPUTE_OPTIONS as unknown as new (options: Options) => ComputeOptions;
  return new construct({ ...base.options, collectionResolver });
}

function collatedOptions(collation: Collation): ComputeOptions {
  const key = JSON.stringify(collation.specification);
  let options = COLLATED.get(key);
  if (!options) {
    options = COMPUTE_OPTIONS.init({ idKey: '_id', useStrictMode: true, scriptEnabled: false, context: buildContext(collation) });
    COLLATED.set(key, options);
  }
  return options;
}
