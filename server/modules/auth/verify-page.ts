// The page behind the link in the e-mail. Opening it changes nothing (mail scanners open links);
// the person confirms with a button, which posts the token. Works without JavaScript.
import { escapeHtml } from '../../lib/html.ts';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Convene</title><link rel="stylesheet" href="/assets/base.css"></head>
<body><main class="narrow"><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;

export const confirmPage = (token: string, email: string) =>
  page(
    'Sign in to Convene',
    `
<p>Sign in as <strong>${escapeHtml(email)}</strong>?</p>
<form method="post" action="/api/auth/verify">
  <input type="hidden" name="token" value="${escapeHtml(token)}">
  <button type="submit">Sign in</button>
</form>`,
  );

export const linkProblemPage = (message: string) =>
  page(
    'This link cannot be used',
    `
<p role="alert">${escapeHtml(message)}</p>
<p><a href="/sign-in">Ask for a new sign-in link</a></p>`,
  );
