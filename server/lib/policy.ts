// The shape every module's `<domain>.policy.ts` has: a table of actions → the roles that may do
// them, and the sentence a refusal carries. Use cases call `authorize()` after loading what the
// action is about (a record the user may not see was already a 404 when it was loaded); the same
// table answers `can()` for the abilities sent to the client and the realtime read permissions.
import { AppError } from './app-error.ts';
import type { Role } from '../generated/prisma/client.ts';

/** Who is asking: their role in the group (null when not a member) and whether they run the server. */
export interface RoleAccess {
  role: Role | null;
  user: { isOperator: boolean };
}

export interface PolicyRules<A extends string> {
  /** The roles that may do each action. */
  allowed: Record<A, readonly Role[]>;
  /** Which actions the operator may do without being a member (default: every action). */
  operatorMay?: readonly A[];
  /** The 403 sentence per action, where a general one would not tell the person why. */
  denied?: Partial<Record<A, string>>;
}

export const DEFAULT_DENIED = 'Your role in this group does not allow that.';

export interface Policy<A extends string> {
  readonly actions: readonly A[];
  readonly allowed: Record<A, readonly Role[]>;
  can(access: RoleAccess, action: A): boolean;
  /** 403 with the action's sentence (or `message`) unless the access allows the action. */
  authorize(access: RoleAccess, action: A, message?: string): void;
  abilities(access: RoleAccess): Record<A, boolean>;
}

export function definePolicy<A extends string>(rules: PolicyRules<A>): Policy<A> {
  const actions = Object.keys(rules.allowed) as A[];
  const operatorMay = rules.operatorMay ? new Set<A>(rules.operatorMay) : null;
  const can = (access: RoleAccess, action: A) => {
    if (access.user.isOperator && (operatorMay === null || operatorMay.has(action))) return true;
    return access.role !== null && rules.allowed[action].includes(access.role);
  };
  return {
    actions,
    allowed: rules.allowed,
    can,
    authorize(access, action, message) {
      if (!can(access, action)) throw AppError.forbidden(message ?? rules.denied?.[action] ?? DEFAULT_DENIED);
    },
    abilities: (access) => Object.fromEntries(actions.map((a) => [a, can(access, a)])) as Record<A, boolean>,
  };
}
