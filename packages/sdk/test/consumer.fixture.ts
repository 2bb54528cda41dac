// A frontend's file, type-checked against the packed SDK; each mistake below must be reported.
import { createUserhubClient, type RouterInputs, type RouterOutputs, readUserhubError } from '@userhub/sdk';

const api = createUserhubClient({ url: 'http://localhost:3000', token: () => null });

export async function usesTheApi(): Promise<string> {
  const me: RouterOutputs['profile']['me'] = await api.profile.me.query();
  const signIn: RouterInputs['auth']['signIn'] = { login: 'ada@example.com', password: 'secret' };
  const result = await api.auth.signIn.mutate(signIn);
  if (result.status === 'two_factor_required') return result.challengeToken;
  // @ts-expect-error a procedure that does not exist
  await api.profile.doesNotExist.query(); // MISTAKE:procedure
  // @ts-expect-error an input field the procedure does not take
  await api.auth.signIn.mutate({ login: 'ada', password: 'secret', rememberMe: true }); // MISTAKE:input
  // @ts-expect-error an output property the procedure does not return
  const nothing: string = me.notAProfileField; // MISTAKE:output
  const error = readUserhubError(new Error('x'));
  return `${me.userName} ${result.token} ${error?.code ?? ''} ${nothing}`;
}
