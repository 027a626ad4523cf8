import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ApiFailure } from '../../state/api-result';
import { fieldError } from '../../state/programme';
import { serverFieldMessages } from '../../state/field-errors';
import { useApp } from '../context';
import { Field } from '../components/Field';

/**
 * A form's server refusal: each field's message (from `error.fields`) is shown at that field; fields the
 * form does not show, and failures without fields, are shown above the submit button.
 */
export function useServerErrors(shownFields: readonly string[]) {
  const { t, say } = useApp();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState('');
  return {
    at: (key: string) => fieldError(fields, key),
    general,
    clear() {
      setFields({});
      setGeneral('');
    },
    /** Local (client-side) errors use the same display. */
    set(next: Record<string, string>) {
      setFields(next);
      setGeneral(Object.keys(next).length ? t('programme.form.fix') : '');
    },
    take(error: ApiFailure) {
      // Each field in the person's language (the server's limit in their words), not the API's English.
      const worded = Object.fromEntries(Object.entries(serverFieldMessages(error)).map(([path, m]) => [path, say(m)]));
      setFields(worded);
      const stray = Object.entries(worded).filter(([k]) => !shownFields.some((f) => k === f || k.startsWith(`${f}.`)));
      setGeneral(
        stray.length
          ? stray.map(([k, m]) => `${k}: ${m}`).join('；')
          : Object.keys(error.fields).length
            ? t('programme.form.fix')
            : error.message || error.code,
      );
    },
  };
}

export function GeneralError({ text }: { text: string }) {
  return text ? (
    <p class="error" role="alert">
      {text}
    </p>
  ) : null;
}

/** A labelled list of checkboxes (a phone-friendly multi-select) with its error under it. */
export function CheckList({
  id,
  label,
  options,
  chosen,
  onChange,
  error,
  empty,
}: {
  id: string;
  label: string;
  options: { value: string; label: ComponentChildren }[];
  chosen: readonly string[];
  onChange: (next: string[]) => void;
  error?: string;
  empty: string;
}) {
  return (
    <fieldset class="field checklist" id={id} aria-invalid={error ? 'true' : undefined}>
      <legend class="legend">{label}</legend>
      {options.length === 0 ? <p class="muted">{empty}</p> : null}
      <div class="checklist-box" hidden={options.length === 0}>
        {options.map((o) => (
          <label key={o.value} class="check">
            <input
              type="checkbox"
              name={id}
              value={o.value}
              checked={chosen.includes(o.value)}
              onChange={(e) =>
                onChange(e.currentTarget.checked ? [...chosen, o.value] : chosen.filter((v) => v !== o.value))
              }
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {error ? <span class="error">{error}</span> : null}
    </fieldset>
  );
}

/** One input in a Field, with the server's error for it. */
export function Input({
  id,
  label,
  value,
  onValue,
  error,
  type = 'text',
  optional,
  inputMode,
}: {
  id: string;
  label: string;
  value: string;
  onValue: (v: string) => void;
  error?: string;
  type?: 'text' | 'date';
  optional?: boolean;
  inputMode?: 'decimal' | 'text';
}) {
  return (
    <Field id={id} label={label} error={error} optional={optional}>
      <input
        id={id}
        name={id}
        // Preact types inputs per `type`; a union-typed value needs this widening to one member.
        type={type as 'text'}
        value={value}
        inputMode={inputMode}
        onInput={(e) => onValue(e.currentTarget.value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
    </Field>
  );
}

export const splitList = (text: string) =>
  text
    .split(/[,，、\s]+/)
    .map((v) => v.trim())
    .filter(Boolean);
