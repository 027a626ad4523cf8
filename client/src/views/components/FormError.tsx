import type { FormState } from '../../state/form';
import { useApp } from '../context';
import { Alert } from './Alert';

export function FormError<V>({ state }: { state: FormState<V> }) {
  const { say } = useApp();
  if (!state.formError) return null;
  return (
    <Alert kind="error" title={say(state.formError.title)}>
      {state.formError.detail ? <p>{state.formError.detail}</p> : null}
    </Alert>
  );
}
