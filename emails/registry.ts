// Every e-mail Convene sends: template name → the props it needs and its subject line.
// Their words come from the `emails` catalogue in the mail's language (emails/messages.ts).
// Templates live beside this file as <name>.mjml (HTML) and <name>.txt (text part); both are
// Mustache templates filled per recipient with escaping. User text is never put into MJML
// source: MJML is compiled once, at start, and only the compiled HTML is filled.
import type { DigestRecipientView, DigestView } from '../server/modules/digests/digest-content.ts';

export interface EmailTemplates {
  'sign-in': { name: string; url: string };
  invitation: { name: string; url: string; signInUrl: string; inviterName: string; groupName: string; groupAcronym: string; roleLabel: string };
  /** Every milestone digest; what it says per kind is built by server/modules/digests/digest-content.ts. */
  digest: DigestView & DigestRecipientView & { others?: DigestInLanguage[]; otherLanguages?: string };
  'digest-subscribe-confirm': { groupName: string; groupAcronym: string; url: string; days: number };
  'consultation-invitation': ConsultationMailProps;
  'consultation-reminder': ConsultationMailProps & { answered: number };
  'consultation-deadline-extended': ConsultationMailProps & { previousDeadline: string };
  'consultation-link': { groupName: string; documentTitle: string; url: string };
  'liaison-statement': {
    groupName: string;
    groupAcronym: string;
    title: string;
    purpose: string;
    bodyName: string;
    contactName: string;
    documentTitle: string;
    revisionLabel: string;
    deadline: string;
    paragraphs: { text: string }[];
    url: string;
  };
  notification: {
    subject: string;
    name: string;
    items: { title: string; body: string; url: string; reply?: { address: string; howTo: string } }[];
    settingsUrl: string;
  };
  /** The answer to a reply received by mail: recorded (with its link), or why not. */
  'mail-answer': { subject: string; accepted: boolean; sentence: string; url: string; notes: string[] };
}

/** The same digest in another of the group's languages: a section laid out in its own direction. */
export type DigestInLanguage = DigestView & { lang: string; dir: 'ltr' | 'rtl'; align: 'left' | 'right'; languageName: string };

/** A focal point's mail about a Member State consultation (server/modules/consultations). */
export interface ConsultationMailProps {
  name: string;
  administration: string;
  reference: string;
  subject: string;
  drafts: number;
  deadline: string;
  url: string;
}

export type EmailTemplateName = keyof EmailTemplates;

/** Each template's subject line, from its text messages (`t.subject`) or from props built by the server in the mail's language. */
export const subjects: { [K in EmailTemplateName]: (props: EmailTemplates[K], t: Record<string, string>) => string } = {
  'sign-in': (_, t) => t.subject!,
  invitation: (_, t) => t.subject!,
  digest: (p) => p.subject,
  'digest-subscribe-confirm': (_, t) => t.subject!,
  notification: (p) => p.subject,
  'consultation-invitation': (_, t) => t.subject!,
  'consultation-reminder': (_, t) => t.subject!,
  'consultation-deadline-extended': (_, t) => t.subject!,
  'consultation-link': (_, t) => t.subject!,
  'liaison-statement': (_, t) => t.subject!,
  'mail-answer': (p) => p.subject,
};

export const templateNames = Object.keys(subjects) as EmailTemplateName[];
