// What Convene holds about a person, and how long it keeps what it no longer needs: two
// registries every module fills for its own data, so no central file has to know every table.
//
// - Personal data: a module that stores something about a person (an account's comments, an
//   outside respondent's submission, a raw inbound e-mail) registers a provider that collects it
//   for the person's download and anonymises it when the operator anonymises the person. The
//   privacy module (modules/privacy) runs every provider; it registers the core ones itself.
// - Retention: a module that keeps something only for a while (sign-in links, ended sessions,
//   stored raw mail) registers a rule; the daily retention job runs every rule, each in its own
//   short statements, and logs what each deleted.
//
// Registered before the domain modules, so any module may register whatever its load order.
import fp from 'fastify-plugin';
import type { Ctx, Tx } from '../lib/use-case.ts';

/** The person a request is about: an account (userId) and the address Convene knew them by. */
export interface DataSubject {
  userId: string;
  /** Lower-cased; also matches data kept by address only (a subscription, a respondent without an account). */
  email: string;
  name: string;
}

export interface AnonymiseOptions {
  /** The name shown from now on wherever the person's contributions stay on the record. */
  replacementName: string;
  /** Whether the person allowed their affiliation to stay beside their contributions. */
  keepAffiliation: boolean;
  /** The operator who anonymises. */
  actorId: string;
}

export interface PersonalDataProvider {
  /** The section's name in the download (e.g. `comments`, `consultation_responses`). */
  name: string;
  /** Everything this module holds about the person, as JSON (no secrets: token hashes stay out). */
  collect(ctx: Ctx, subject: DataSubject): Promise<unknown>;
  /**
   * Removes or replaces what identifies the person, inside the anonymisation's transaction; returns
   * what it changed (counts, for the audit entry). Contributions to a group's record stay, attributed
   * to the replacement name.
   */
  anonymise?(tx: Tx, subject: DataSubject, options: AnonymiseOptions): Promise<Record<string, number>>;
}

export interface RetentionRule {
  /** What is pruned, for the log (e.g. `sign-in links`, `raw inbound mail`). */
  name: string;
  /** Deletes what is past its retention; returns how many rows (or files) went. */
  prune(ctx: Ctx): Promise<number>;
}

export class Registry<T extends { name: string }> {
  private readonly items = new Map<string, T>();
  private readonly what: string;
  constructor(what: string) {
    this.what = what;
  }
  register(item: T) {
    if (this.items.has(item.name)) throw new Error(`${this.what} ${item.name} is registered twice`);
    this.items.set(item.name, item);
  }
  all(): T[] {
    return [...this.items.values()];
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    personalData: Registry<PersonalDataProvider>;
    retention: Registry<RetentionRule>;
  }
}

export default fp(
  async (app) => {
    app.decorate('personalData', new Registry<PersonalDataProvider>('personal-data provider'));
    app.decorate('retention', new Registry<RetentionRule>('retention rule'));
  },
  { name: 'personal-data' },
);
