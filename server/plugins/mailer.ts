// One mailer for everything Convene sends. Templates are compiled once at start with MJML's
// strict validation (a broken template stops start, not a send). With SMTP_URL set, mail goes
// out over SMTP; without it, it is kept in the local mailbox the operator reads in the browser.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import mjml2html from 'mjml';
import Mustache from 'mustache';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { subjects, templateNames, type EmailTemplateName, type EmailTemplates } from '../../emails/registry.ts';
import type { Config } from '../config.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

const TEMPLATE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../emails/templates');

export interface OutgoingMail<K extends EmailTemplateName> {
  to: string;
  template: K;
  props: EmailTemplates[K];
  /** Extra nodemailer options (headers, messageId, list, replyTo…) for digests. */
  options?: Omit<SendMailOptions, 'to' | 'from' | 'subject' | 'html' | 'text'>;
}

export interface RenderedMail { subject: string; html: string; text: string }

export interface Mailer {
  render<K extends EmailTemplateName>(template: K, props: EmailTemplates[K]): RenderedMail;
  send<K extends EmailTemplateName>(mail: OutgoingMail<K>): Promise<{ messageId: string }>;
  readonly mode: 'smtp' | 'mailbox';
}

declare module 'fastify' {
  interface FastifyInstance { mailer: Mailer }
}

/** Compiles every template; throws (stopping start) on the first MJML validation error. */
export async function compileTemplates(): Promise<Map<EmailTemplateName, { html: string; text: string }>> {
  const compiled = new Map<EmailTemplateName, { html: string; text: string }>();
  for (const name of templateNames) {
    const source = await readFile(path.join(TEMPLATE_DIR, `${name}.mjml`), 'utf8');
    const { html, errors } = await mjml2html(source, { validationLevel: 'strict', filePath: TEMPLATE_DIR });
    if (errors.length) throw new Error(`emails/templates/${name}.mjml is invalid: ${errors.map((e) => e.formattedMessage).join('; ')}`);
    const text = await readFile(path.join(TEMPLATE_DIR, `${name}.txt`), 'utf8');
    Mustache.parse(html);
    Mustache.parse(text);
    compiled.set(name, { html, text });
  }
  return compiled;
}

/** Header values never carry CR/LF, whatever a user typed into a name or title. */
const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

export async function createMailer(config: Config, prisma: PrismaClient): Promise<Mailer> {
  const compiled = await compileTemplates();
  const transport: Transporter = config.smtpUrl
    ? nodemailer.createTransport(config.smtpUrl)
    : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  const render: Mailer['render'] = (template, props) => {
    const t = compiled.get(template)!;
    const view = props as unknown as Record<string, unknown>;
    return {
      subject: oneLine(subjects[template](props as never)),
      html: Mustache.render(t.html, view),
      // The text part is not HTML: no HTML escaping there.
      text: Mustache.render(t.text, view, undefined, { escape: (v: unknown) => String(v) }),
    };
  };

  return {
    mode: config.smtpUrl ? 'smtp' : 'mailbox',
    render,
    async send(mail) {
      const { subject, html, text } = render(mail.template, mail.props);
      const info = await transport.sendMail({ ...mail.options, from: config.mailFrom, to: mail.to, subject, html, text });
      if (!config.smtpUrl) {
        const headers = Object.fromEntries(Object.entries(mail.options?.headers ?? {}).map(([k, v]) => [k, String(v)]));
        await prisma.mailboxMessage.create({
          data: { messageId: info.messageId, from: config.mailFrom, to: mail.to, subject, html, text, headers },
        });
      }
      return { messageId: info.messageId };
    },
  };
}

export default fp<{ config: Config }>(async (app, { config }) => {
  const mailer = await createMailer(config, app.prisma);
  app.decorate('mailer', mailer);
}, { name: 'mailer', dependencies: ['prisma'] });
