// Plain pages behind the links in digest mail (confirm, unsubscribe): no JavaScript, no cookies.
// Opening a link changes nothing (mail scanners open links); a button posts the change.
import { escapeHtml } from '../../lib/html.ts';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Convene</title><link rel="stylesheet" href="/assets/base.css"></head>
<body><main class="narrow"><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;

const form = (action: string, label: string) => `<form method="post" action="${escapeHtml(action)}"><button type="submit">${escapeHtml(label)}</button></form>`;

export const confirmSubscriptionPage = (token: string, groupName: string, email: string) =>
  page(
    'Confirm your subscription',
    `
<p>Receive the digests of <strong><bdi>${escapeHtml(groupName)}</bdi></strong> at <strong>${escapeHtml(email)}</strong>?</p>
<form method="post" action="/digests/confirm"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Confirm</button></form>`,
  );

export const subscribedPage = (groupName: string) =>
  page(
    'You are subscribed',
    `
<p role="status">You will receive the digests of <strong><bdi>${escapeHtml(groupName)}</bdi></strong>. Every digest has a link to unsubscribe.</p>`,
  );

export const unsubscribePage = (token: string, groupName: string) =>
  page(
    'Unsubscribe',
    `
<p>Stop receiving the digests of <strong><bdi>${escapeHtml(groupName)}</bdi></strong>?</p>
${form(`/digests/unsubscribe?token=${encodeURIComponent(token)}`, 'Unsubscribe')}`,
  );

export const unsubscribedPage = (groupName: string, already: boolean) =>
  page(
    'You are unsubscribed',
    `
<p role="status">${already ? 'You had already unsubscribed from' : 'You will no longer receive'} the digests of <strong><bdi>${escapeHtml(groupName)}</bdi></strong>.</p>`,
  );

const PROBLEMS = {
  invalid: 'This link is not valid: it may have been copied incompletely. Nothing was changed.',
  expired: 'This confirmation link has expired. Nothing was changed; subscribe again to get a new link.',
  used: 'This confirmation link was already used. Nothing was changed.',
} as const;

export const PROBLEM_STATUS = { invalid: 400, expired: 410, used: 410 } as const;

export const linkProblemPage = (problem: keyof typeof PROBLEMS) => page('This link cannot be used', `<p role="alert">${PROBLEMS[problem]}</p>`);
