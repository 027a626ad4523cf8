/**
 * A form's field errors in a view: ours (checked before sending) and the server's (its refused paths placed at
 * the inputs, field-errors.ts), each said in the person's language with limits in their unit, shown under the
 * input with a red outline, the first one focused, and cleared as that input is edited.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ApiFailure } from '../../state/api-result';
import { fieldWords, placeFieldErrors, withoutField, type FieldPaths } from '../../state/field-errors';
import type { DisplayUnit } from '../../state/market-format';
import { useApp } from '../context';

export interface FieldErrorsHandle {
  /** Form field → the message shown at it (ours before sending, else the server's). */
  errors: Record<string, string>;
  /** Shows a refusal at its fields; returns what no field shows (for the form's general message). */
  show(error: ApiFailure): string[];
  /** Our own problems found before sending (field → message), shown the same way; empty clears them. */
  showLocal(fields: Record<string, string>): void;
  /** The person changed `name`: its error goes. */
  edited(name: string): void;
  clear(): void;
  /** aria attributes for the input of `name`, whose error element has the id `${idPrefix}-${name}-error`. */
  aria(name: string): { 'aria-invalid'?: true; 'aria-describedby'?: string };
}

/** The first input of the form (document order) that shows an error, focused once the errors are drawn. */
function focusFirstInvalid(idPrefix: string): void {
  if (typeof document === 'undefined') return;
  const first = document.querySelector<HTMLElement>(`[id^="${CSS.escape(idPrefix)}-"][aria-invalid="true"]`);
  first?.focus();
}

export function useFieldErrors(paths: FieldPaths, idPrefix: string, unit: DisplayUnit = 'jin'): FieldErrorsHandle {
  const { say } = useApp();
  const [server, setServer] = useState<Record<string, string>>({});
  const [local, setLocal] = useState<Record<string, string>>({});
  // Bumped whenever errors are shown: after that render the first red input takes the focus.
  const [focusAsked, setFocusAsked] = useState(0);
  useEffect(() => {
    if (focusAsked > 0) focusFirstInvalid(idPrefix);
  }, [focusAsked, idPrefix]);
  const errors = { ...server, ...local };
  return {
    errors,
    show(error) {
      const placed = placeFieldErrors(error, paths, fieldWords(error, say, unit));
      setServer(placed.fields);
      if (Object.keys(placed.fields).length > 0) setFocusAsked((n) => n + 1);
      return placed.unplaced;
    },
    showLocal(fields) {
      setLocal(fields);
      if (Object.keys(fields).length > 0) setFocusAsked((n) => n + 1);
    },
    edited(name) {
      setServer((current) => (current[name] === undefined ? current : withoutField(current, [name])));
      setLocal((current) => (current[name] === undefined ? current : withoutField(current, [name])));
    },
    clear() {
      setServer({});
      setLocal({});
    },
    aria(name) {
      return errors[name] !== undefined
        ? { 'aria-invalid': true, 'aria-describedby': `${idPrefix}-${name}-error` }
        : {};
    },
  };
}

/** The error under one input (nothing when it has none; the server naming a field without words: a generic line). */
export function FieldProblem({
  handle,
  name,
  idPrefix,
}: {
  handle: FieldErrorsHandle;
  name: string;
  idPrefix: string;
}) {
  const { t } = useApp();
  const text = handle.errors[name];
  return text !== undefined ? (
    <span class="error" id={`${idPrefix}-${name}-error`}>
      {text || t('fieldIssue.invalid')}
    </span>
  ) : null;
}

interface InlineInputProps {
  label: string;
  /** The form field name (a value of the form's FieldPaths). */
  name: string;
  idPrefix: string;
  value: string;
  onValue(value: string): void;
  handle: FieldErrorsHandle;
  inputMode?: 'decimal' | 'text' | 'tel';
  type?: 'text' | 'datetime-local' | 'date' | 'time';
  required?: boolean;
  maxLength?: number;
  /** A select (give its options as children) or a textarea instead of a one-line input. */
  control?: 'input' | 'select' | 'textarea';
  children?: ComponentChildren;
  /** A line under the label, before any error (e.g. "at most 100 斤"). */
  hint?: string;
}

/** A labelled input of an inline action form, with its error under it, cleared as the person types. */
export function InlineInput({
  label,
  name,
  idPrefix,
  value,
  onValue,
  handle,
  inputMode = 'decimal',
  type = 'text',
  required,
  maxLength,
  control = 'input',
  children,
  hint,
}: InlineInputProps) {
  const id = `${idPrefix}-${name}`;
  const change = (next: string) => {
    onValue(next);
    handle.edited(name);
  };
  const common = { id, name, required, value, ...handle.aria(name) };
  return (
    <label class="inline-field">
      {label}
      {control === 'select' ? (
        <select {...common} onChange={(e) => change(e.currentTarget.value)}>
          {children}
        </select>
      ) : control === 'textarea' ? (
        <textarea {...common} maxLength={maxLength} onInput={(e) => change(e.currentTarget.value)} />
      ) : (
        <input
          {...common}
          // Preact types inputs per `type`; a union-typed value needs this widening to one member.
          type={type as 'text'}
          inputMode={inputMode}
          maxLength={maxLength}
          onInput={(e) => change(e.currentTarget.value)}
        />
      )}
      {hint ? <span class="muted small field-hint">{hint}</span> : null}
      <FieldProblem handle={handle} name={name} idPrefix={idPrefix} />
    </label>
  );
}
