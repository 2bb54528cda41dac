import { useQuery } from '@tanstack/react-query';
import { type RouterOutputs, readUserhubError, useTRPC } from '@userhub/react';
import { useParams } from 'react-router';
import { Alert } from '../components/forms.js';
import { Card, PageTitle } from '../components/layout.js';
import { Meter } from '../components/meter.js';
import { formErrorMessage } from '../lib/errors.js';
import { formatDateTime } from '../lib/format.js';

type PublicProfile = RouterOutputs['profile']['byUsername'];
type FullProfile = Extract<PublicProfile, { visibility: 'full' }>;

export function PublicProfilePage() {
  const { username = '' } = useParams();
  const trpc = useTRPC();
  const profile = useQuery({ ...trpc.profile.byUsername.queryOptions({ username }), retry: false });

  if (profile.error !== null) {
    const isMissing = readUserhubError(profile.error)?.code === 'NOT_FOUND';
    return (
      <div className="narrow">
        <PageTitle>@{username}</PageTitle>
        <Alert tone={isMissing ? 'info' : 'error'}>
          {isMissing ? 'There is no profile with this username.' : formErrorMessage(profile.error)}
        </Alert>
      </div>
    );
  }
  if (profile.data === undefined) return <p className="muted">Loading…</p>;
  const person = profile.data;
  const name = `${person.firstName} ${person.lastName}`;

  return (
    <>
      <div className="profile-head">
        <Avatar name={name} url={person.profilePictureUrl} />
        <div>
          <h1>{name}</h1>
          <p className="lead">
            @{person.userName}
            {person.visibility === 'full' && person.headline !== null && <> · {person.headline}</>}
          </p>
          {person.isOwnProfile && <span className="badge">This is you</span>}
        </div>
      </div>
      {person.visibility === 'full' ? (
        <FullProfileDetails person={person} />
      ) : (
        <Alert tone="info">This profile is private.</Alert>
      )}
    </>
  );
}

function Avatar({ name, url }: { readonly name: string; readonly url: string | null }) {
  if (url !== null) return <img className="avatar" src={url} alt={name} />;
  const initials = name
    .split(' ')
    .map((part) => part.charAt(0))
    .join('')
    .slice(0, 2);
  return (
    <span className="avatar avatar-initials" aria-hidden="true">
      {initials}
    </span>
  );
}

function FullProfileDetails({ person }: { readonly person: FullProfile }) {
  const region = [person.region.city, person.region.state, person.region.country].filter(Boolean).join(', ');
  const links = Object.entries(person.socials).filter(
    (entry): entry is [string, string] => entry[1] !== null,
  );
  return (
    <>
      <Card title="About">
        {person.bio !== null && <p>{person.bio}</p>}
        {person.about !== null && <p className="pre-line">{person.about}</p>}
        {person.bio === null && person.about === null && <p className="muted">Nothing here yet.</p>}
        <dl className="facts">
          {(person.location !== null || region !== '') && (
            <div>
              <dt>Location</dt>
              <dd>{person.location ?? region}</dd>
            </div>
          )}
          {person.availability !== null && (
            <div>
              <dt>Availability</dt>
              <dd>{person.availability}</dd>
            </div>
          )}
          <div>
            <dt>Member since</dt>
            <dd>{formatDateTime(person.createdAt)}</dd>
          </div>
          <div>
            <dt>Followers</dt>
            <dd>{person.stats.followers}</dd>
          </div>
          <div>
            <dt>Following</dt>
            <dd>{person.stats.following}</dd>
          </div>
        </dl>
        {person.tags.length > 0 && (
          <ul className="tags" aria-label="Tags">
            {person.tags.map((tag) => (
              <li key={tag.id}>{tag.name}</li>
            ))}
          </ul>
        )}
      </Card>
      {links.length > 0 && (
        <Card title="Links">
          <ul className="plain-list">
            {links.map(([network, url]) => (
              <li key={network}>
                <a href={url} rel="noopener noreferrer nofollow">
                  {network}: {url}
                </a>
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title="Profile completeness">
        <Meter label="Profile complete" value={person.profileCompleteness} />
      </Card>
    </>
  );
}
