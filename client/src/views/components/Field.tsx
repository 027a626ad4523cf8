import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useApp } from '../context';

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  okay?: string;
  /** Neutral progress shown under the control (e.g. "17 / 18"). */
  status?: string;
  optional?: boolean;
  children: ComponentChildren;
  /** Rendered after the error (e.g. a show-password switch), so the error stays next to the input. */
  after?: ComponentChildren;
}

/** Label, hint and error around one control; the control gets aria-describedby from ids below. */
export function Field({ id, label, hint, error, okay, status, optional, children, after }: FieldProps) {
  const { t } = useApp();
  return (
    <div class="field">
      <label for={id}>
        {label}
        {optional ? <span class="optional"> {t('common.optional')}</span> : null}
      </label>
      {hint ? (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {children}
      {error ? (
        <span class="error" id={`${id}-error`}>
          {error}
        </span>
      ) : okay ? (
        <span class="okay" id={`${id}-ok`}>
          ✓ {okay}
        </span>
      ) : status ? (
        <span class="hint" id={`${id}-ok`} aria-live="polite">
          {status}
        </span>
      ) : null}
      {after}
    </div>
  );
}

interface InputProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  onBlur?: () => void;
  hint?: string;
  error?: string;
  okay?: string;
  status?: string;
  optional?: boolean;
  type?: 'text' | 'tel' | 'email' | 'password';
  inputMode?: 'text' | 'numeric' | 'tel' | 'email';
  autoComplete?: string;
  autoCapitalize?: 'off' | 'characters' | 'words';
  spellcheck?: boolean;
  maxLength?: number;
  class?: string;
}

export function TextField({
  id,
  label,
  value,
  onValue,
  onBlur,
  hint,
  error,
  okay,
  status,
  optional,
  type = 'text',
  ...rest
}: InputProps) {
  const { t } = useApp();
  // Passwords can be shown: typing a long sentence blind on a phone keyboard is error-prone.
  const [revealed, setRevealed] = useState(false);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : okay || status ? `${id}-ok` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <Field
      id={id}
      label={label}
      hint={hint}
      error={error}
      okay={okay}
      status={status}
      optional={optional}
      after={
        type === 'password' ? (
          <label class="check">
            <input type="checkbox" checked={revealed} onChange={(e) => setRevealed(e.currentTarget.checked)} />
            {t('common.showPassword')}
          </label>
        ) : null
      }
    >
      <input
        id={id}
        name={id}
        // Preact types inputs per `type`; a union-typed value needs this widening to one member.
        type={(type === 'password' && revealed ? 'text' : type) as 'text'}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        onBlur={onBlur}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        required={!optional}
        {...rest}
      />
    </Field>
  );
}
