// A frontend's component, type-checked against the packed bindings; each mistake below must be reported.
import { useQuery } from '@tanstack/react-query';
import { memoryTokenStorage, type RouterOutputs, UserhubProvider, useSession, useTRPC } from '@userhub/react';

function Profile() {
  const trpc = useTRPC();
  const session = useSession();
  const me = useQuery(trpc.profile.me.queryOptions());
  const profile: RouterOutputs['profile']['me'] | undefined = me.data;
  // @ts-expect-error a procedure that does not exist
  useQuery(trpc.profile.doesNotExist.queryOptions()); // MISTAKE:procedure
  // @ts-expect-error an input field the procedure does not take
  void session.signIn({ login: 'ada', password: 'secret', rememberMe: true }); // MISTAKE:input
  // @ts-expect-error an output property the procedure does not return
  const nothing: string | undefined = me.data?.notAProfileField; // MISTAKE:output
  return (
    <p>
      {session.status} {profile?.userName} {nothing}
    </p>
  );
}

export function App() {
  return (
    <UserhubProvider url="http://localhost:3000" storage={memoryTokenStorage()}>
      <Profile />
    </UserhubProvider>
  );
}
