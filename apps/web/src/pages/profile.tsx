import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type RouterInputs, type RouterOutputs, useTRPC } from '@userhub/react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import {
  Alert,
  CheckboxField,
  SelectField,
  SubmitButton,
  TextAreaField,
  TextField,
} from '../components/forms.js';
import { Card, PageTitle } from '../components/layout.js';
import { Meter } from '../components/meter.js';
import { errorFor, fieldErrorsOf, formErrorMessage } from '../lib/errors.js';
import { useMe } from '../lib/use-me.js';

type OwnProfile = RouterOutputs['profile']['me'];
type ProfileUpdate = RouterInputs['profile']['update'];
type Availability = NonNullable<OwnProfile['availability']>;

const AVAILABILITY_LABELS: Record<Availability, string> = {
  available: 'Available',
  limited: 'Limited availability',
  unavailable: 'Not available',
};

function isAvailability(value: string): value is Availability {
  return value in AVAILABILITY_LABELS;
}

/** The form as the update the API expects: an empty optional field clears it, the server checks every rule. */
function updateFrom(form: FormData): ProfileUpdate {
  const text = (name: string) => String(form.get(name) ?? '');
  const availability = text('availability');
  return {
    firstName: text('firstName'),
    lastName: text('lastName'),
    middleName: text('middleName'),
    headline: text('headline'),
    bio: text('bio'),
    about: text('about'),
    location: text('location'),
    availability: isAvailability(availability) ? availability : null,
    isPrivate: form.get('isPrivate') === 'on',
    contact: {
      country: text('contact.country'),
      state: text('contact.state'),
      city: text('contact.city'),
      address: text('contact.address'),
    },
    socials: {
      github: text('socials.github'),
      twitter: text('socials.twitter'),
      linkedin: text('socials.linkedin'),
      website: text('socials.website'),
    },
    tags: text('tags')
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== ''),
  };
}

export function ProfilePage() {
  const me = useMe();
  if (me.data === undefined) {
    return me.error !== null ? (
      <Alert tone="error">{formErrorMessage(me.error)}</Alert>
    ) : (
      <p className="muted">Loading your profile…</p>
    );
  }
  return <ProfileView profile={me.data} />;
}

function ProfileView({ profile }: { readonly profile: OwnProfile }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.profile.update.mutationOptions({
      onSuccess: (next) => {
        queryClient.setQueryData(trpc.profile.me.queryKey(), next);
        void queryClient.invalidateQueries({
          queryKey: trpc.profile.byUsername.queryKey({ username: next.userName }),
        });
        setSaved(true);
      },
    }),
  );
  const fieldErrors = fieldErrorsOf(update.error);
  const err = (name: string) => errorFor(fieldErrors, name);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    update.mutate(updateFrom(new FormData(event.currentTarget)));
  }

  const fullName = [profile.firstName, profile.middleName, profile.lastName].filter(Boolean).join(' ');
  return (
    <>
      <PageTitle
        lead={
          <>
            @{profile.userName} · {profile.email}
          </>
        }
      >
        {fullName}
      </PageTitle>
      <Card title="Profile completeness">
        <Meter label="Profile complete" value={profile.profileCompleteness} />
        <p className="muted">
          A complete profile helps people recognise you. Your public page:{' '}
          <Link to={`/u/${profile.userName}`}>/u/{profile.userName}</Link>
        </p>
      </Card>

      <Card title="Edit profile">
        <form onSubmit={submit} noValidate>
          {update.error !== null && <Alert tone="error">{formErrorMessage(update.error)}</Alert>}
          {saved && update.error === null && <Alert tone="success">Profile saved.</Alert>}

          <fieldset>
            <legend>Name</legend>
            <div className="row row-3">
              <TextField
                label="First name"
                name="firstName"
                defaultValue={profile.firstName}
                autoComplete="given-name"
                error={err('firstName')}
              />
              <TextField
                label="Middle name"
                name="middleName"
                defaultValue={profile.middleName ?? ''}
                autoComplete="additional-name"
                error={err('middleName')}
              />
              <TextField
                label="Last name"
                name="lastName"
                defaultValue={profile.lastName}
                autoComplete="family-name"
                error={err('lastName')}
              />
            </div>
          </fieldset>

          <fieldset>
            <legend>About you</legend>
            <TextField
              label="Headline"
              name="headline"
              defaultValue={profile.headline ?? ''}
              hint="One line, shown under your name."
              error={err('headline')}
            />
            <TextAreaField
              label="Bio"
              name="bio"
              rows={3}
              defaultValue={profile.bio ?? ''}
              error={err('bio')}
            />
            <TextAreaField
              label="About"
              name="about"
              rows={5}
              defaultValue={profile.about ?? ''}
              error={err('about')}
            />
            <div className="row">
              <TextField
                label="Location"
                name="location"
                defaultValue={profile.location ?? ''}
                error={err('location')}
              />
              <SelectField
                label="Availability"
                name="availability"
                defaultValue={profile.availability ?? ''}
                error={err('availability')}
              >
                <option value="">Not stated</option>
                {Object.entries(AVAILABILITY_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </SelectField>
            </div>
            <TextField
              label="Tags"
              name="tags"
              defaultValue={profile.tags.map((tag) => tag.name).join(', ')}
              hint="Separate tags with commas."
              error={err('tags')}
            />
          </fieldset>

          <fieldset>
            <legend>Contact</legend>
            <div className="row">
              <TextField
                label="Country"
                name="contact.country"
                defaultValue={profile.contact.country ?? ''}
                autoComplete="country-name"
                error={err('contact.country')}
              />
              <TextField
                label="State or region"
                name="contact.state"
                defaultValue={profile.contact.state ?? ''}
                autoComplete="address-level1"
                error={err('contact.state')}
              />
            </div>
            <div className="row">
              <TextField
                label="City"
                name="contact.city"
                defaultValue={profile.contact.city ?? ''}
                autoComplete="address-level2"
                error={err('contact.city')}
              />
              <TextField
                label="Street address"
                name="contact.address"
                defaultValue={profile.contact.address ?? ''}
                autoComplete="street-address"
                hint="Only you can see it."
                error={err('contact.address')}
              />
            </div>
          </fieldset>

          <fieldset>
            <legend>Links</legend>
            <div className="row">
              <TextField
                label="GitHub"
                name="socials.github"
                type="url"
                defaultValue={profile.socials.github ?? ''}
                placeholder="https://github.com/you"
                error={err('socials.github')}
              />
              <TextField
                label="Twitter"
                name="socials.twitter"
                type="url"
                defaultValue={profile.socials.twitter ?? ''}
                placeholder="https://twitter.com/you"
                error={err('socials.twitter')}
              />
            </div>
            <div className="row">
              <TextField
                label="LinkedIn"
                name="socials.linkedin"
                type="url"
                defaultValue={profile.socials.linkedin ?? ''}
                placeholder="https://linkedin.com/in/you"
                error={err('socials.linkedin')}
              />
              <TextField
                label="Website"
                name="socials.website"
                type="url"
                defaultValue={profile.socials.website ?? ''}
                placeholder="https://example.com"
                error={err('socials.website')}
              />
            </div>
          </fieldset>

          <CheckboxField
            label="Private profile: others see only my name and username"
            name="isPrivate"
            defaultChecked={profile.isPrivate}
            error={err('isPrivate')}
          />
          <div className="actions">
            <SubmitButton pending={update.isPending} pendingText="Saving…">
              Save profile
            </SubmitButton>
          </div>
        </form>
      </Card>
    </>
  );
}
