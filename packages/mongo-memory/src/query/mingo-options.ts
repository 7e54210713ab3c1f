import { Context } from 'mingo';
import { Lazy, type Iterator } from 'mingo/lazy';
import type { AnyObject, CollectionResolver, Options } from 'mingo/types';
import { sortDocuments, type SortSpecification } from './sort-documents.js';

// mingo ranks BSON classes it does not know (ObjectId...) after every built-in type; MongoDB has an order of its own.
const sortStage = (collection: Iterator, specification: AnyObject, _options: Options): Iterator =>
  collection.transform((documents) => Lazy(sortDocuments(documents as AnyObject[], specification as SortSpecification)));

const CONTEXT = Context.init({ pipeline: { $sort: sortStage } });

/** mingo options shared by queries, updates and pipelines: strict MongoDB semantics, no server-side scripts. */
export function mingoOptions(collectionResolver?: CollectionResolver): Partial<Options> {
  return { idKey: '_id', useStrictMode: true, scriptEnabled: false, context: CONTEXT, collectionResolver };
}
