// Puts an Express request or response in V8's dictionary mode, once, so that every later property access on it hits V8's caches.
//
// Why: Express sets the prototype of each request and response (`Object.setPrototypeOf`), after
// which V8 records no map transition for a property added to them: each property Express's router
// (`req.params`, `req.baseUrl`, `req.originalUrl`…), Node or an app adds gives that one object a map
// of its own, so every later read or write of it misses V8's inline caches (a runtime lookup up the
// prototypes, about 2 k instructions a read and 8 k a write: bench/README.md, "Express: objects in
// dictionary mode"). An object in dictionary mode keeps its properties in a hash table and keeps its
// map when a property is added; all such objects (same prototype, same constructor) share V8's one
// normalized map, so the caches hit from the second request on. Deleting a property that is not the
// last one added through a map transition is what moves an object there (V8's own rule, as for any
// `delete`): here a property of our own, added and deleted at once. Nothing observable changes: the
// object has the same properties, values, order and prototype. Where V8 did record the transition
// (a shared map, nothing to gain), the delete just takes it back.

const kShape = Symbol('tracks-ab shape');

/** Moves `target` to V8's dictionary mode (see above); no observable effect. */
export function toDictionaryMode(target: object): void {
  // A frozen or sealed object cannot take the property (a TypeError in strict mode): left as it is.
  if (!Object.isExtensible(target)) return;
  const slots = target as Record<symbol, unknown>;
  slots[kShape] = true;
  delete slots[kShape];
}
