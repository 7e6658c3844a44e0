// Every API route the client calls, as [method, path template]. A test checks each one against
// the server's registered routes (test/api/client.test.ts), so a renamed route fails
// the build rather than the user.
export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type Route = readonly [Method, string];

export const ROUTES = {
  session: ['GET', '/api/auth/session'],
  signIn: ['POST', '/api/auth/sign-in'],
  signOut: ['POST', '/api/auth/sign-out'],
  signOutEverywhere: ['POST', '/api/auth/sign-out-everywhere'],
  sessions: ['GET', '/api/auth/sessions'],
  revokeSession: ['DELETE', '/api/auth/sessions/:sessionId'],
  me: ['GET', '/api/me'],
  updateMe: ['PATCH', '/api/me'],
  groups: ['GET', '/api/groups'],
  group: ['GET', '/api/groups/:slug'],
  updateGroup: ['PATCH', '/api/groups/:slug'],
  members: ['GET', '/api/groups/:slug/members'],
  invite: ['POST', '/api/groups/:slug/invitations'],
  changeRole: ['PATCH', '/api/groups/:slug/members/:userId'],
  removeMember: ['DELETE', '/api/groups/:slug/members/:userId'],
  mailbox: ['GET', '/api/admin/mailbox'],
  mailboxMessage: ['GET', '/api/admin/mailbox/:id'],
  mailboxHtml: ['GET', '/api/admin/mailbox/:id/html'],
  inboundMail: ['GET', '/api/admin/mail/inbound'],
  // Documents, revisions, comment periods and comments (the lazily loaded document screens).
  documents: ['GET', '/api/groups/:slug/documents'],
  createDocument: ['POST', '/api/groups/:slug/documents'],
  document: ['GET', '/api/groups/:slug/documents/:documentId'],
  revision: ['GET', '/api/groups/:slug/documents/:documentId/revisions/:sequence'],
  previewRevision: ['POST', '/api/groups/:slug/documents/:documentId/revisions/preview'],
  postRevision: ['POST', '/api/groups/:slug/documents/:documentId/revisions'],
  compare: ['GET', '/api/groups/:slug/documents/:documentId/compare'],
  periods: ['GET', '/api/groups/:slug/documents/:documentId/periods'],
  openPeriod: ['POST', '/api/groups/:slug/documents/:documentId/periods'],
  extendPeriod: ['POST', '/api/groups/:slug/documents/:documentId/periods/:periodId/extensions'],
  closePeriod: ['POST', '/api/groups/:slug/documents/:documentId/periods/:periodId/close'],
  phase: ['GET', '/api/groups/:slug/phase'],
  allComments: ['GET', '/api/groups/:slug/documents/:documentId/comments/export'],
  createComment: ['POST', '/api/groups/:slug/documents/:documentId/revisions/:sequence/comments'],
  replyToComment: ['POST', '/api/groups/:slug/documents/:documentId/comments/:commentId/replies'],
  editComment: ['PATCH', '/api/groups/:slug/documents/:documentId/comments/:commentId'],
  withdrawComment: ['POST', '/api/groups/:slug/documents/:documentId/comments/:commentId/withdraw'],
  // Digests and notifications.
  digests: ['GET', '/api/groups/:slug/digests'],
  digest: ['GET', '/api/groups/:slug/digests/:digestId'],
  digestHtml: ['GET', '/api/groups/:slug/digests/:digestId/html'],
  digestSubscription: ['GET', '/api/groups/:slug/digests/subscription'],
  setDigestSubscription: ['PUT', '/api/groups/:slug/digests/subscription'],
  notificationSettings: ['GET', '/api/me/notification-settings'],
  updateNotificationSettings: ['PATCH', '/api/me/notification-settings'],
  // Adjudication: the working pile, one comment's disposition, the consultation loop, the
  // disposition of comments and the final report (the lazily loaded adjudication screens).
  pile: ['GET', '/api/groups/:slug/documents/:documentId/dispositions'],
  decidedDispositions: ['GET', '/api/groups/:slug/documents/:documentId/dispositions/decided'],
  bulkDispositions: ['POST', '/api/groups/:slug/documents/:documentId/dispositions/bulk'],
  disposition: ['GET', '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition'],
  decide: ['PUT', '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition'],
  confirmDisposition: ['POST', '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition/confirm'],
  respondToDisposition: ['POST', '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition/response'],
  finaliseDisposition: ['POST', '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition/finalise'],
  assignDisposition: ['PUT', '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition/assignee'],
  dispositionDeadline: ['PUT', '/api/groups/:slug/documents/:documentId/comments/:commentId/disposition/deadline'],
  awaitingMyResponse: ['GET', '/api/me/dispositions/awaiting'],
  dispositionTable: ['GET', '/api/groups/:slug/documents/:documentId/disposition-table'],
  dispositionTableCsv: ['GET', '/api/groups/:slug/documents/:documentId/disposition-table.csv'],
  dispositionTableDocx: ['GET', '/api/groups/:slug/documents/:documentId/disposition-table.docx'],
  dispositionTableJson: ['GET', '/api/groups/:slug/documents/:documentId/disposition-table.json'],
  publishFinalReport: ['POST', '/api/groups/:slug/documents/:documentId/final-report'],
  finalReport: ['GET', '/api/groups/:slug/documents/:documentId/final-report'],
  publicFinalReport: ['GET', '/api/public/groups/:slug/documents/:documentId/final'],
  publicDispositions: ['GET', '/api/public/groups/:slug/documents/:documentId/dispositions'],
  publicDispositionsCsv: ['GET', '/api/public/groups/:slug/documents/:documentId/dispositions.csv'],
  publicDispositionsDocx: ['GET', '/api/public/groups/:slug/documents/:documentId/dispositions.docx'],
  // Compare: per clause of a revision, the comments whose dispositions it implements.
  resolvedComments: ['GET', '/api/groups/:slug/documents/:documentId/revisions/:sequence/resolved-comments'],
  // Word and Excel: downloads and the comment-template import.
  revisionDocx: ['GET', '/api/groups/:slug/documents/:documentId/revisions/:sequence/revision.docx'],
  finalReportDocx: ['GET', '/api/groups/:slug/documents/:documentId/final-report.docx'],
  dispositionTableXlsx: ['GET', '/api/groups/:slug/documents/:documentId/disposition-table.xlsx'],
  publicFinalDocx: ['GET', '/api/public/groups/:slug/documents/:documentId/final.docx'],
  publicDispositionsXlsx: ['GET', '/api/public/groups/:slug/documents/:documentId/dispositions.xlsx'],
  previewCommentTemplate: ['POST', '/api/groups/:slug/documents/:documentId/revisions/:sequence/comment-template/preview'],
  importCommentTemplate: ['POST', '/api/groups/:slug/documents/:documentId/revisions/:sequence/comment-template'],
  // Open consultations: the public page and its respondents; moderation and analysis (conveners).
  consultationPage: ['GET', '/api/open-periods/:periodId'],
  consultationVerifyEmail: ['POST', '/api/open-periods/:periodId/verify-email'],
  consultationLiaisonLink: ['POST', '/api/open-periods/:periodId/liaison-link'],
  consultationParticipant: ['PUT', '/api/open-periods/:periodId/participant'],
  consultationComment: ['POST', '/api/open-periods/:periodId/comments'],
  consultationWithdraw: ['POST', '/api/open-periods/:periodId/comments/:outsideCommentId/withdraw'],
  consultationAnswers: ['PUT', '/api/open-periods/:periodId/answers'],
  consultationRespond: ['POST', '/api/open-periods/:periodId/comments/:outsideCommentId/response'],
  consultationAnonymise: ['POST', '/api/open-periods/:periodId/anonymise'],
  periodOpenness: ['GET', '/api/groups/:slug/documents/:documentId/periods/:periodId/openness'],
  setPeriodOpenness: ['PUT', '/api/groups/:slug/documents/:documentId/periods/:periodId/openness'],
  moderationQueue: ['GET', '/api/groups/:slug/documents/:documentId/periods/:periodId/moderation'],
  moderate: ['POST', '/api/groups/:slug/documents/:documentId/periods/:periodId/moderation/:outsideCommentId'],
  consultationAnalysis: ['GET', '/api/groups/:slug/documents/:documentId/periods/:periodId/analysis'],
  consultationCsv: ['GET', '/api/groups/:slug/documents/:documentId/periods/:periodId/responses.csv'],
  liaisons: ['GET', '/api/groups/:slug/documents/:documentId/liaisons'],
  sendLiaison: ['POST', '/api/groups/:slug/documents/:documentId/liaisons'],
} as const satisfies Record<string, Route>;

/** Fills `:name` segments, encoded. */
export function pathOf(template: string, params: Record<string, string> = {}): string {
  return template.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
}
