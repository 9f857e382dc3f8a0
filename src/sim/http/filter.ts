import type { StoredObject } from '../store.js';
import type { Resource } from './resources.js';
import { fieldMatcher, labelMatcher } from './selectors.js';

/** The namespace, label selector and field selector of a list or watch request, as one predicate. */
export function objectFilter(
  resource: Resource,
  namespace: string | undefined,
  query: URLSearchParams,
): (object: StoredObject) => boolean {
  const labels = labelMatcher(query.get('labelSelector'));
  const fields = fieldMatcher(query.get('fieldSelector'), resource.fieldLabels);
  return (object) =>
    (namespace === undefined || object.namespace === namespace) &&
    labels(object.labels) &&
    fields(object.fields);
}
