import type { Session, User } from '../../generated/prisma/client.ts';

/** The signed-in user's own view of themselves (their e-mail included). */
export const presentSelf = (user: User) => ({
  id: user.id,
  name: user.name,
  affiliation: user.affiliation,
  email: user.email,
  locale: user.locale,
  isOperator: user.isOperator,
});

export const presentSession = (session: Session, currentId: string | null) => ({
  id: session.id,
  current: session.id === currentId,
  createdAt: session.createdAt.toISOString(),
  lastSeenAt: session.lastSeenAt.toISOString(),
  expiresAt: session.expiresAt.toISOString(),
  ip: session.ip,
  userAgent: session.userAgent,
});
