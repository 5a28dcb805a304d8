// The hook failures the crash test provokes in its child-process server, shared by both sides.

/** The ways a hook can fail, by name. */
export const KINDS: Record<string, () => unknown> = {
  throw: () => {
    throw new Error('hook threw');
  },
  reject: () => Promise.reject(new Error('hook rejected')),
  'bad-then': () => ({
    then() {
      throw new Error('then threw');
    },
  }),
};

/** The hooks the server wires to `x-fail`. */
export const HOOKS = ['key', 'context', 'isEligible', 'override.allow', 'bots', 'onExposure', 'onError'] as const;
