// Personal-data requests. A person reads everything held about them (their own account only, so
// no rule beyond being signed in); anonymising a person is the operator's alone: it is irreversible
// and done on a request the operator has checked (identity, the person's wish about affiliation).
import { definePolicy } from '../../lib/policy.ts';

export type PrivacyAction = 'person.anonymise';

export const privacyPolicy = definePolicy<PrivacyAction>({
  allowed: { 'person.anonymise': [] },
  operatorMay: ['person.anonymise'],
  denied: { 'person.anonymise': 'Only the operator of this server can anonymise a person.' },
});
