/**
 * A form's server field errors in a view: the refused paths placed at its inputs (field-errors.ts), each
 * said in the person's language with limits in their unit, cleared when that input is edited.
 */
import { useState } from 'preact/hooks';
import type { ApiFailure } from '../../state/api-result';
import { fieldWords, placeFieldErrors, withoutField, type FieldPaths } from '../../state/field-errors';
import type { DisplayUnit } from '../../state/market-format';
import { useApp } from '../context';

export interface FieldErrorsHandle {
  /** Form field → the message shown at it. */
  errors: Record<string, string>;
  /** Shows a refusal at its fields; returns what no field shows (for the form's general message). */
  show(error: ApiFailure): string[];
  /** The person changed `name`: its server error goes. */
  edited(name: string): void;
  clear(): void;
  /** aria attributes for the input of `name`, whose error element has the id `${idPrefix}-${name}-error`. */
  aria(name: string): { 'aria-invalid'?: true; 'aria-describedby'?: string };
}

export function useFieldErrors(paths: FieldPaths, idPrefix: string, unit: DisplayUnit = 'jin'): FieldErrorsHandle {
  const { say } = useApp();
  const [errors, setErrors] = useState<Record<string, string>>({});
  return {
    errors,
    show(error) {
      const placed = placeFieldErrors(error, paths, fieldWords(error, say, unit));
      setErrors(placed.fields);
      return placed.unplaced;
    },
    edited(name) {
      setErrors((current) => (current[name] === undefined ? current : withoutField(current, [name])));
    },
    clear() {
      setErrors({});
    },
    aria(name) {
      return errors[name] ? { 'aria-invalid': true, 'aria-describedby': `${idPrefix}-${name}-error` } : {};
    },
  };
}

/** The error under one input (nothing when it has none). */
function FieldProblem({ handle, name, idPrefix }: { handle: FieldErrorsHandle; name: string; idPrefix: string }) {
  const text = handle.errors[name];
  return text ? (
    <span class="error" id={`${idPrefix}-${name}-error`}>
      {text}
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
  type?: 'text' | 'datetime-local';
  required?: boolean;
}

/** A labelled input of an inline action form, with its server error under it, cleared as the person types. */
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
}: InlineInputProps) {
  return (
    <label>
      {label}
      <input
        id={`${idPrefix}-${name}`}
        name={name}
        // Preact types inputs per `type`; a union-typed value needs this widening to one member.
        type={type as 'text'}
        required={required}
        inputMode={inputMode}
        value={value}
        onInput={(e) => {
          onValue(e.currentTarget.value);
          handle.edited(name);
        }}
        {...handle.aria(name)}
      />
      <FieldProblem handle={handle} name={name} idPrefix={idPrefix} />
    </label>
  );
}
