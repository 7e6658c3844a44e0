// Every e-mail Convene sends: template name → the props it needs and its subject line.
// Templates live beside this file as <name>.mjml (HTML) and <name>.txt (text part); both are
// Mustache templates filled per recipient with escaping. User text is never put into MJML
// source: MJML is compiled once, at start, and only the compiled HTML is filled.
export interface EmailTemplates {
  'sign-in': { name: string; url: string };
  invitation: { name: string; url: string; signInUrl: string; inviterName: string; groupName: string; groupAcronym: string; roleLabel: string };
}

export type EmailTemplateName = keyof EmailTemplates;

export const subjects: { [K in EmailTemplateName]: (props: EmailTemplates[K]) => string } = {
  'sign-in': () => 'Your Convene sign-in link',
  invitation: (p) => `Invitation to ${p.groupAcronym} on Convene`,
};

export const templateNames = Object.keys(subjects) as EmailTemplateName[];
