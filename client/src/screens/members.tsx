// Members and invitations (conveners): invite one person or a pasted list and read the
// per-address outcome; change roles; remove members. Lines that could not be invited stay in
// the box for correction, so nothing typed is lost.
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { api, type Group, type InviteOutcome, type Member, type Role } from '../api/endpoints.ts';
import { ApiError } from '../api/http.ts';
import { useAnnounce } from '../components/announcer.tsx';
import { errorBodyMessage, errorMessage, fieldError, FormError, LoadError, Loading } from '../components/errors.tsx';
import { Field } from '../components/field.tsx';
import { PageHeading } from '../components/page-heading.tsx';
import { isolate, useI18n } from '../i18n/index.tsx';
import { roleLabel } from '../lib/labels.ts';
import { failedLines } from '../lib/invite-lines.ts';
import { useResource } from '../lib/use-resource.ts';
import { useSession } from '../session.tsx';

const ROLES: Role[] = ['convener', 'editor', 'participant', 'observer'];

export function MembersScreen({ slug }: { slug: string }) {
  const { t, tb } = useI18n();
  const group = useResource(() => api.group(slug), [slug]);
  const members = useResource(() => api.members(slug), [slug]);
  const g = group.data;
  return (
    <div className="page">
      <PageHeading title={t('members.title')} />
      {g ? (
        <p>
          <Link href={`/groups/${slug}`}>{tb('members.backToGroup', { group: g.acronym })}</Link>
        </p>
      ) : null}
      {group.error ? <LoadError error={group.error} onRetry={group.reload} /> : null}
      {g?.abilities['members.invite'] ? <InviteForm group={g} onInvited={members.reload} /> : null}
      <section aria-labelledby="member-table-title">
        <h2 id="member-table-title">{t('group.members')}</h2>
        {members.error ? <LoadError error={members.error} onRetry={members.reload} /> : null}
        {members.data && g ? <MemberTable group={g} members={members.data.members} onChanged={members.reload} /> : members.error ? null : <Loading />}
      </section>
    </div>
  );
}

function InviteForm({ group, onInvited }: { group: Group; onInvited: () => void }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const { user } = useSession();
  const [list, setList] = useState('');
  const [role, setRole] = useState<Role>('participant');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<InviteOutcome | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.invite(group.slug, { list, role });
      setOutcome(result);
      setList(failedLines(list, result));
      announce(result.summary);
      onInvited();
    } catch (err) {
      // "Nobody could be invited" still carries the per-address outcome: show it, keep the text.
      if (err instanceof ApiError && err.code === 'nobody_invited' && err.body) setOutcome(err.body as InviteOutcome);
      else setOutcome(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const roles = ROLES.filter((r) => r !== 'convener' || user?.isOperator);
  return (
    <section aria-labelledby="invite-title" className="panel">
      <h2 id="invite-title">{t('invite.title')}</h2>
      <form onSubmit={submit} noValidate>
        <Field label={t('invite.list')} hint={t('invite.listHint')} error={fieldError(error, 'list', t) ?? fieldError(error, 'invitees', t)}>
          {(props) => <textarea {...props} name="list" rows={6} value={list} onChange={(e) => setList(e.target.value)} spellCheck={false} />}
        </Field>
        <Field label={t('invite.defaultRole')} error={fieldError(error, 'role', t)}>
          {(props) => (
            <select {...props} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(t, r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? t('invite.sending') : t('invite.submit')}
          </button>
        </div>
        <FormError error={error} fields={['list', 'invitees', 'role']} />
      </form>
      {outcome ? <InviteSummary outcome={outcome} /> : null}
    </section>
  );
}

function InviteSummary({ outcome }: { outcome: InviteOutcome }) {
  const { t } = useI18n();
  const rows = [
    ...outcome.invited.map((i) => ({
      key: `i-${i.email}`,
      address: i.email,
      ok: true,
      text: t(i.newAccount ? 'invite.outcomeInvitedNew' : 'invite.outcomeInvited', { role: roleLabel(t, i.role) }),
    })),
    ...outcome.alreadyMembers.map((a) => ({
      key: `a-${a.email}`,
      address: a.email,
      ok: true,
      text: t('invite.outcomeAlready', { role: roleLabel(t, a.role) }),
    })),
    ...outcome.errors.map((e, n) => ({ key: `e-${n}`, address: e.input, ok: false, text: t('invite.outcomeError', { message: errorBodyMessage(e, t) }) })),
  ];
  return (
    <div className="invite-summary" data-testid="invite-summary">
      <h3>{t('invite.resultTitle')}</h3>
      <p>
        {t('invite.invited', { count: outcome.invited.length })} · {t('invite.already', { count: outcome.alreadyMembers.length })} ·{' '}
        {t('invite.failed', { count: outcome.errors.length })}
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('invite.address')}</th>
            <th scope="col">{t('invite.outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className={r.ok ? 'ok' : 'failed'} data-outcome={r.ok ? 'ok' : 'failed'}>
              <td>
                <bdi>{r.address}</bdi>
              </td>
              <td className={r.ok ? '' : 'error'}>
                {r.ok ? '✓ ' : '✗ '}
                {r.text}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {outcome.errors.length ? <p className="hint">{t('invite.keptForCorrection')}</p> : null}
    </div>
  );
}

function MemberTable({ group, members, onChanged }: { group: Group; members: Member[]; onChanged: () => void }) {
  const { t } = useI18n();
  const manage = group.abilities['members.manage'] === true;
  const showEmail = members.some((m) => m.email !== undefined && manage);
  return (
    <div className="table-scroll">
      <table className="members">
        <thead>
          <tr>
            <th scope="col">{t('members.name')}</th>
            <th scope="col">{t('members.affiliation')}</th>
            {showEmail ? <th scope="col">{t('members.email')}</th> : null}
            <th scope="col">{t('members.role')}</th>
            {manage ? <th scope="col">{t('members.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <MemberRow key={m.userId} group={group} member={m} manage={manage} showEmail={showEmail} onChanged={onChanged} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MemberRow({
  group,
  member,
  manage,
  showEmail,
  onChanged,
}: {
  group: Group;
  member: Member;
  manage: boolean;
  showEmail: boolean;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const { user } = useSession();
  const [role, setRole] = useState<Role>(member.role as Role);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const errorId = `member-error-${member.userId}`;
  const isMe = user?.id === member.userId;

  const run = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      announce(done);
      onChanged();
    } catch (err) {
      setError(err);
      announce(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };
  const saveRole = () =>
    run(() => api.changeRole(group.slug, member.userId, { role }), t('members.roleChanged', { name: member.name, role: roleLabel(t, role) }));
  const remove = () => {
    // A dialog shows its text: the name is isolated there (aria-labels and announcements are not seen, but read in logical order).
    if (!window.confirm(t('members.removeConfirm', { name: isolate(member.name) }))) return;
    void run(() => api.removeMember(group.slug, member.userId), t('members.removed', { name: member.name }));
  };

  return (
    <tr>
      <th scope="row">
        <bdi className="member-name">{member.name}</bdi> {isMe ? <span className="hint">{t('members.you')}</span> : null}
      </th>
      <td>
        <bdi>{member.affiliation || '—'}</bdi>
      </td>
      {showEmail ? (
        <td>
          <bdi>{member.email ?? ''}</bdi>
        </td>
      ) : null}
      <td>
        {manage ? (
          <select
            aria-label={t('members.roleFor', { name: member.name })}
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            aria-describedby={error ? errorId : undefined}
            aria-invalid={error ? true : undefined}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(t, r)}
              </option>
            ))}
          </select>
        ) : (
          roleLabel(t, member.role)
        )}
      </td>
      {manage ? (
        <td className="row-actions">
          <button
            type="button"
            className="secondary"
            disabled={busy || role === member.role}
            onClick={() => void saveRole()}
            aria-label={`${t('members.saveRole')}: ${member.name}`}
          >
            {t('members.saveRole')}
          </button>
          <button type="button" className="danger" disabled={busy} onClick={remove} aria-label={`${t('members.remove')}: ${member.name}`}>
            {t('members.remove')}
          </button>
          {error ? (
            <p className="error" id={errorId}>
              {errorMessage(error, t)}
            </p>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}
