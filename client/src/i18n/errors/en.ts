// The server's error sentences, keyed by their stable code: the reference catalogue that fr.ts
// (complete: the type enforces it, and test/unit/client/api-errors.test.ts checks it against
// every code the server source can emit) and ar.ts (the common ones) translate.
//
// An English reader sees the server's own sentence, which is English already and often names
// more (the clause, the revision); these English entries are the source the translations follow.
//
// A value is one sentence, or alternatives tried in order: the first whose {placeholders} the
// error's details all provide is used (a rate limit with and without the wait, say). Values come
// from the error body's top-level fields and, for validation, from its `issue`. `{name, instant}`
// writes an ISO instant in the reader's zone with UTC beside it; numbers are written for the locale.
// `invalid_request.<kind>` refines a validation error by what was wrong (see api-errors.ts).
export type ApiErrorMessage = string | readonly string[];

export const apiErrorsEn = {
  // Validation (the errors plugin): shown beside the field it names.
  invalid_request: 'This value is not valid.',
  'invalid_request.required': 'Fill in this field.',
  'invalid_request.too_short': 'Write at least {minimum} characters.',
  'invalid_request.too_long': 'Write at most {maximum} characters.',
  'invalid_request.too_small': 'Give {minimum} or more.',
  'invalid_request.too_big': 'Give {maximum} or less.',
  'invalid_request.email': 'Give an e-mail address, such as name@example.org.',
  'invalid_request.datetime': 'Give a date and time.',
  'invalid_request.format': 'This value does not have the expected form.',
  'invalid_request.choice': 'Choose one of the values offered.',
  'invalid_request.type': 'Fill in this field with a value of the right kind.',
  'invalid_request.characters': 'Remove the invisible control characters from this text (pasted text sometimes carries them).',
  'invalid_request.unknown_field': 'The request contained a field this server does not know; reload the page and try again.',
  invalid_json: 'The request could not be read; reload the page and try again.',
  invalid_cursor: 'The list could not be continued; reload the page.',
  bad_request: 'The request could not be understood; reload the page and try again.',
  body_too_large: 'What you sent is larger than this server accepts.',
  unsupported_media_type: 'The request was sent in a form this server does not accept.',
  invalid_email: 'That is not a valid e-mail address.',

  // Signing in, sessions, security.
  unauthenticated: 'Your session has ended; sign in again to continue. Nothing you typed has been lost.',
  csrf_token_invalid: 'This page is out of date with your session; reload it and try again. Copy what you typed first.',
  origin_not_allowed: 'Requests from another site are not accepted.',
  rate_limited: ['Too many requests; try again in {retryAfterSeconds} seconds.', 'Too many requests; wait a moment and try again.'],
  sign_in_link_used: 'This sign-in link has already been used. Ask for a new one on the sign-in page.',
  sign_in_link_expired: 'This sign-in link has expired (links are valid for 10 minutes). Ask for a new one on the sign-in page.',
  sign_in_link_invalid: 'This sign-in link is not valid. Ask for a new one on the sign-in page.',

  // Access.
  forbidden: 'Your role in this group does not allow that.',
  not_found: 'That was not found.',
  already_exists: 'That already exists.',
  internal_error: 'Something went wrong on our side; it has been logged. Try again later.',
  database_unavailable: [
    'The database cannot be reached at the moment; try again in {retryAfterSeconds} seconds.',
    'The database cannot be reached at the moment; try again in a few seconds.',
  ],
  server_shutting_down: 'This server is restarting; try again in a moment.',
  server_busy: [
    'The server is too busy to answer now; try again in {retryAfterSeconds} seconds.',
    'The server is too busy to answer now; try again in a few seconds.',
  ],
  group_not_found: 'That group was not found.',
  user_not_found: 'That user was not found.',
  metrics_token_invalid: 'Metrics are for the operator’s scraper: send its token as `Authorization: Bearer <token>`.',
  person_already_anonymised: 'This person’s data has already been anonymised.',
  operator_not_anonymisable: 'An operator cannot be anonymised: remove their operator rights first.',
  member_not_found: 'That member was not found.',
  message_not_found: 'That message was not found.',
  document_not_found: 'That document was not found.',
  revision_not_found: 'That revision of the document was not found.',
  clause_not_found: 'That clause was not found in this revision.',
  comment_not_found: 'That comment was not found.',
  digest_not_found: 'That digest was not found.',
  delivery_not_found: 'That delivery was not found.',
  milestone_not_found: 'That milestone was not found.',
  period_not_found: 'That comment period was not found.',
  final_report_not_found: 'The final report of this document has not been published.',
  calendar_not_found: 'That calendar was not found.',
  calendar_feed_not_found: 'You have no calendar subscription link for this group.',
  calendar_members_only: 'Only members of this group can subscribe to its calendar.',

  // Groups and members.
  group_slug_taken: 'A group already has that URL name; choose another.',
  last_convener: 'A group needs at least one convener; appoint another before removing this one.',
  nobody_invited: 'Nobody could be invited; see each address below.',
  milestone_bound_to_period: 'This milestone marks a comment period; extend or close the period instead.',
  delivery_not_failed: 'Only dead-lettered or failed deliveries can be retried.',

  // Comment periods.
  comment_period_closed: 'The comment period closed at {closesAt, instant}; nothing was stored.',
  comment_period_not_open: [
    'Comments open at {opensAt, instant}; nothing was stored.',
    'No comment period has been opened on this revision; nothing was stored.',
  ],
  invalid_period: 'A comment period must close after it opens ({opensAt, instant}).',
  period_overlaps: 'Revision {revision} already has a comment period in that time; extend it instead.',
  extension_overlaps:
    'Revision {revision} has another comment period from {opensAt, instant}; the extension may not run into it. Choose an earlier deadline, or extend that period instead.',
  extension_not_later: 'An extension must move the deadline later than {closesAt, instant}; to end comments now, close the period.',
  extension_in_past: 'The new deadline {closesAt, instant} has already passed.',
  period_already_closed: 'This comment period already closed at {closesAt, instant}.',

  // Comments.
  comment_too_long: 'A comment may have at most {maxChars} characters; this one has {length}.',
  quote_not_in_clause: 'The quoted text does not occur in the text you comment on; quote the exact words.',
  markdown_too_deep:
    'The text nests quotes, lists, emphasis or brackets more than {maxDepth} levels deep, which cannot be displayed; flatten the nesting and send it again.',
  comment_version_conflict: 'The comment changed since you loaded it (now version {version}); reload and edit again.',
  comment_withdrawn: 'This comment has been withdrawn.',
  not_comment_author: 'Only its author may change a comment.',

  // Revisions.
  file_too_large: 'The file is larger than this server accepts.',
  not_a_docx: 'The file is not a Word document (.docx) that can be read.',
  docx_too_large_uncompressed: 'The Word document unpacks to more than this server accepts.',
  docx_conversion_failed: 'The Word document could not be converted; upload it as Markdown instead.',
  docx_conversion_timeout: 'Converting the document took too long and was stopped; simplify it or upload it as Markdown.',
  no_clauses: 'The document has no text and no headings, so it has no clauses.',
  duplicate_clause_number: 'Clause number {number} appears more than once; each clause needs its own number.',

  // Dispositions.
  rationale_required: 'This disposition needs a rationale: say why.',
  comment_period_open: 'The comment period on this revision is still open; decide after it closes (or let the conveners allow early adjudication).',
  disposition_version_conflict: 'Someone changed this disposition meanwhile; nothing was stored. Review the current disposition and try again.',
  disposition_already_proposed: 'A convener has already proposed a disposition for this comment; an editor can no longer draft one.',
  disposition_final: 'This disposition is final and can no longer be changed.',
  disposition_not_proposed: 'There is no proposed disposition for this yet.',
  no_draft_to_confirm: "There is no editor's draft to confirm.",
  response_deadline_passed: 'The deadline for responding to this disposition has passed; nothing was stored.',
  response_window_open: 'The commenter may still respond to this proposal; finalise after they respond or after the response deadline.',
  nothing_to_implement: 'Only an accepted disposition is implemented in a revision.',
  not_your_comment: 'Only the commenter responds to the disposition of their comment.',
  reply_has_no_disposition: 'Replies in a thread are not adjudicated; decide on the comment that started it.',
  assignee_not_adjudicator: 'Comments are assigned to a convener or an editor of this group.',
  deadline_in_past: 'The response deadline must be in the future.',
  deadline_by_conveners: 'The conveners set the response deadline when they confirm the draft.',
  bulk_not_applied: 'Some of the selected comments could not be changed, so none was; see each comment.',
  not_applied: 'Not applied, because another comment of the selection failed.',
  dispositions_not_final: 'Comments without a final disposition: {notFinal}. Finalise every disposition before publishing the final report.',
  final_report_published: 'The final report of this document has already been published.',

  // Live updates (socket acknowledgements).
  access_revoked: 'You may no longer follow this; your membership changed.',
  group_not_public: 'This group no longer publishes its outputs.',
  not_public: 'Without signing in, only the published outputs of public groups can be followed.',
  not_subscribed: 'This connection does not follow that.',
  disconnected: 'The connection closed; it will be retried.',
  invalid_payload: 'The live connection sent a message the server could not read.',
  payload_too_large: 'The live connection sent a message that is too large.',
  unknown_event: 'The live connection sent a message the server does not understand.',

  // Work programme and Member State consultations.
  work_item_not_found: 'That work item was not found.',
  work_item_exists: 'This work programme already has a work item with that name.',
  work_item_changed: 'Someone changed this work item since you opened it; reload it and apply your change again.',
  editor_not_member: 'An editor must be a member of this group.',
  document_not_in_group: 'That document is neither this group’s nor of a group that reports to it.',
  status_transition_not_allowed: 'The work item cannot move to that status from where it stands.',
  approval_process_fixed: 'The approval process cannot change at this stage; move the text back to in progress first.',
  consultation_not_found: 'That consultation was not found.',
  consultation_exists: 'This group already has a consultation with that reference.',
  work_item_not_in_group: 'That work item is not in this group’s work programme.',
  work_item_not_ready: 'A consultation covers determined or consented texts only.',
  deadline_not_later: 'An extended deadline must be later than the current one.',
  attachment_type_not_allowed: 'Attach a PDF or a Word document (.docx).',
  too_many_attachments: 'An answer carries at most 5 attachments on each draft; remove one before adding another.',
  consultation_closed: 'The deadline of this consultation has passed: nothing can be added or changed.',
  consultation_open: 'The results are announced after the deadline.',
  draft_has_answers: 'This draft cannot be removed: Administrations have answered on it.',
  focal_point_elsewhere: 'This person already answers for another Administration in this consultation.',
  draft_not_in_consultation: 'That draft is not part of this consultation.',
  answer_option_required: 'When assigning authority, choose “no comments” or “comments attached”.',
  answer_comments_required: 'Give the comments and suggested changes you attach.',
  answer_option_not_applicable: 'The options apply only when assigning authority.',
  answer_reasons_required: 'Give the reasons, and the changes that would let the work progress.',
  not_focal_point: 'Only the focal points of an Administration invited to this consultation answer it.',
  answer_changed: 'Another focal point of your Administration answered on this draft since you opened the form. Their answer is shown; you may replace it.',
  template_columns_unrecognised:
    'No table in the file has the columns of the comment template: it needs at least "Clause/Subclause" and "Comments" (and usually MB/NC, Line number, Paragraph/Figure/Table, Type of comment, Proposed change, Observations of the secretariat).',
  template_unsupported_format: 'Upload the comment template as .docx, .xlsx or CSV (UTF-8); save an old .doc or .xls in the newer format first.',
  template_unreadable: 'The file could not be read as a Word, Excel or CSV comment template.',
  template_read_timeout: 'Reading the file took too long and was stopped; simplify it or split it.',
  template_too_many_rows: 'The file has too many rows; split the comments over several files.',
  template_rows_unresolved: 'Some rows need attention: map each unmatched row to a clause (or leave it out) and correct the invalid ones. Nothing was stored.',
  template_empty: 'The file has no comment to import. Nothing was stored.',
  // Open consultations (outside respondents, moderation, liaisons).
  open_consultation_not_found: 'This consultation was not found, or it is not open to you.',
  consultation_member_comments_in_group: "You are a member of this group: comment from the document's page in the group.",
  participant_profile_required: 'Tell us your name, stakeholder group and whether your name may be published before you comment.',
  consultation_not_open_yet: ['This consultation opens on {opensAt, instant}; comments are not accepted before.', 'This consultation is not open yet.'],
  open_consultation_closed: ['This consultation closed on {closesAt, instant}; comments are no longer accepted.', 'This consultation has closed.'],
  country_unknown: 'Choose a country or economy from the list.',
  outside_comment_not_found: 'That comment of yours was not found.',
  outside_comment_withdrawn: 'This comment was withdrawn.',
  outside_comment_moderated: 'This comment has already been moderated.',
  participant_anonymised: 'The respondent was anonymised; the comment can only be rejected.',
  participant_not_found: 'That respondent was not found.',
  question_not_found: 'This consultation asks no such question.',
  question_invalid: 'A choice question needs at least two options, and a free-text question none.',
  questions_answered: 'Respondents have already answered these questions; they can no longer be changed.',
  answer_invalid: 'This answer does not fit the question: check the options chosen.',
  rejection_reason_required: 'Say why the comment is rejected: spam, off-topic or other.',
  liaison_deadline_after_period: 'The liaison deadline must not be after the comment period closes.',
  liaison_contact_repeated: 'Each contact address may appear only once.',
  liaison_link_invalid: 'This liaison link is not valid. Ask the group that sent the liaison statement for a new one.',
  // Taking part by e-mail: the MTA's pipe, and refusals of replies by mail (shown in the operator's inbound log).
  disposition_not_found: 'That disposition does not exist (any more).',
  mail_pipe_disabled: 'The mail pipe is not enabled on this server (MAIL_INBOUND_SECRET is not set).',
  invalid_pipe_secret: 'The mail pipe needs its secret: Authorization: Bearer MAIL_INBOUND_SECRET.',
  raw_message_expected: 'Send one raw e-mail message as the body, with Content-Type: message/rfc822.',
  unclear_answer: 'The answer was not recorded: its first line must be "agree", or "object" followed by the reasons.',
  invalid_comment_type: 'The comment was not recorded: its Type line must be general, technical or editorial.',
} as const satisfies Record<string, ApiErrorMessage>;

export type ApiErrorKey = keyof typeof apiErrorsEn;
export type ApiErrorCatalogue = Record<ApiErrorKey, ApiErrorMessage>;
