// Every e-mail Convene sends: template name → the props it needs and its subject line.
// Templates live beside this file as <name>.mjml (HTML) and <name>.txt (text part); both are
// Mustache templates filled per recipient with escaping. User text is never put into MJML
// source: MJML is compiled once, at start, and only the compiled HTML is filled.
import type { DigestRecipientView, DigestView } from '../server/modules/digests/digest-content.ts';

export interface EmailTemplates {
  'sign-in': { name: string; url: string };
  invitation: { name: string; url: string; signInUrl: string; inviterName: string; groupName: string; groupAcronym: string; roleLabel: string };
  /** Every milestone digest; what it says per kind is built by server/modules/digests/digest-content.ts. */
  digest: DigestView & DigestRecipientView;
  'digest-subscribe-confirm': { groupName: string; groupAcronym: string; url: string; days: number };
  notification: {
    subject: string;
    name: string;
    items: { title: string; body: string; url: string; reply?: { address: string; howTo: string } }[];
    settingsUrl: string;
  };
  /** The answer to a reply received by mail: recorded (with its link), or why not. */
  'mail-answer': { subject: string; accepted: boolean; sentence: string; url: string; notes: string[] };
}

export type EmailTemplateName = keyof EmailTemplates;

export const subjects: { [K in EmailTemplateName]: (props: EmailTemplates[K]) => string } = {
  'sign-in': () => 'Your Convene sign-in link',
  invitation: (p) => `Invitation to ${p.groupAcronym} on Convene`,
  digest: (p) => p.subject,
  'digest-subscribe-confirm': (p) => `Confirm your subscription to the ${p.groupAcronym} digests`,
  notification: (p) => p.subject,
  'mail-answer': (p) => p.subject,
};

export const templateNames = Object.keys(subjects) as EmailTemplateName[];
