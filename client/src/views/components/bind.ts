import type { FormState, FormStore } from '../../state/form';
import type { Message } from '../../state/message';

const domId = (name: string) => name.replace(/\./g, '-');

/** Props that connect one TextField to one form value. */
export function binder<V extends Record<string, string>>(
  form: FormStore<V>,
  state: FormState<V>,
  say: (m: Message) => string,
) {
  return (name: keyof V & string) => {
    const error = state.errors[name];
    return {
      id: domId(name),
      value: state.values[name],
      onValue: (value: string) => form.set(name, value),
      onBlur: () => form.blur(name),
      error: error ? say(error) : undefined,
    };
  };
}
