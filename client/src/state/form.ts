import { Store } from './store';
import type { ApiFailure, ApiResult } from './api-result';
import { msg, type Message } from './message';
import { serverFieldMessage } from './field-errors';
import type { MessageKey } from '../i18n';

export type FieldErrors = Record<string, Message>;

/** Checks all values; `final` is true on submit (report empty required fields too). */
export type Validator<V> = (values: V, final: boolean) => FieldErrors;

export interface FormState<V> {
  values: V;
  errors: FieldErrors;
  /** Fields the person has left at least once: only these show errors while typing. */
  touched: Record<string, boolean>;
  /** A problem with the whole form (server refusal, network). */
  formError: { title: Message; detail?: string } | null;
  submitting: boolean;
}

export type CodeMessages = Partial<Record<string, MessageKey>>;

/**
 * Error codes (docs/api-accounts.md) the client explains in its own words, in the person's
 * language; any other code shows the server's message as it is.
 */
const CODE_MESSAGES: CodeMessages = {
  NETWORK: 'common.networkError',
  VALIDATION: 'common.fixFields',
  INVALID_CREDENTIALS: 'signIn.failed',
  CONFLICT: 'errors.conflict',
  RATE_LIMITED: 'errors.rateLimited',
  FORBIDDEN: 'errors.forbidden',
  UNAUTHENTICATED: 'errors.unauthenticated',
  PASSWORD_CHANGE_REQUIRED: 'password.forced',
  VERIFICATION_PENDING: 'errors.verificationPending',
  VERIFICATION_REJECTED: 'errors.verificationRejected',
  ORGANISATION_SUSPENDED: 'errors.suspended',
  INVALID_TRANSITION: 'errors.invalidTransition',
  LAST_MANAGER: 'errors.lastManager',
  CSRF: 'errors.csrf',
  INTERNAL: 'common.unknownError',
};

export function failureTitle(error: ApiFailure, overrides: CodeMessages = {}): { title: Message; detail?: string } {
  if (error.code === 'RATE_LIMITED' && error.retryAfterSeconds) {
    const s = error.retryAfterSeconds;
    return {
      title:
        s < 90
          ? msg('errors.rateLimitedSeconds', { n: s })
          : msg('errors.rateLimitedMinutes', { n: Math.ceil(s / 60) }),
    };
  }
  const key = overrides[error.code] ?? CODE_MESSAGES[error.code];
  if (key)
    return {
      title: msg(key),
      detail: error.code === 'INTERNAL' && error.requestId ? `#${error.requestId}` : undefined,
    };
  return { title: error.message ? { text: error.message } : msg('common.unknownError') };
}

export interface FormOptions<V> {
  /** Server field paths that belong to another input of this form. */
  aliases?: Record<string, keyof V & string>;
  /** Form-specific wording for error codes (e.g. a wrong *current* password). */
  codes?: CodeMessages;
}

/**
 * One form: values keyed by the API's dotted field paths (e.g. "organisation.creditCode")
 * so that server field errors land on the right input without translation tables.
 */
export class FormStore<V extends Record<string, string>> extends Store<FormState<V>> {
  readonly #validate: Validator<V>;
  readonly #aliases: Record<string, keyof V & string>;
  readonly #codes: CodeMessages;

  constructor(initial: V, validate: Validator<V>, options: FormOptions<V> = {}) {
    super({ values: initial, errors: {}, touched: {}, formError: null, submitting: false });
    this.#validate = validate;
    this.#aliases = options.aliases ?? {};
    this.#codes = options.codes ?? {};
  }

  set(name: keyof V & string, value: string): void {
    const values = { ...this.state.values, [name]: value };
    const errors = { ...this.state.errors };
    delete errors[name];
    if (this.state.touched[name]) {
      const problem = this.#validate(values, false)[name];
      if (problem) errors[name] = problem;
    }
    this.setState({ values, errors });
  }

  blur(name: keyof V & string): void {
    const touched = { ...this.state.touched, [name]: true };
    const errors = { ...this.state.errors };
    const problem = this.#validate(this.state.values, true)[name];
    if (problem) errors[name] = problem;
    else delete errors[name];
    this.setState({ touched, errors });
  }

  reset(values: V): void {
    this.setState({ values, errors: {}, touched: {}, formError: null, submitting: false });
  }

  /**
   * Validates, then runs `action`. Returns `{ data }` on success (data may be null for a 204),
   * null otherwise (errors are in state). A second submit while one is in flight is ignored.
   */
  async submit<T>(action: (values: V) => Promise<ApiResult<T>>): Promise<{ data: T } | null> {
    if (this.state.submitting) return null;
    const errors = this.#validate(this.state.values, true);
    const touched: Record<string, boolean> = {};
    for (const k of Object.keys(this.state.values)) touched[k] = true;
    if (Object.keys(errors).length > 0) {
      this.setState({ errors, touched, formError: { title: msg('common.fixFields') } });
      return null;
    }
    this.setState({ errors: {}, touched, formError: null, submitting: true });
    const result = await action(this.state.values);
    if (result.ok) {
      this.setState({ submitting: false });
      return { data: result.data };
    }
    this.setState({ submitting: false, ...this.#fromFailure(result.error) });
    return null;
  }

  #fromFailure(error: ApiFailure): Pick<FormState<V>, 'errors' | 'formError'> {
    const errors: FieldErrors = {};
    const unplaced: string[] = [];
    const local = this.#validate(this.state.values, true);
    for (const [path, text] of Object.entries(error.fields)) {
      const name = path in this.state.values ? path : this.#aliases[path];
      if (name) {
        // Prefer the client's translated wording when it sees the same problem.
        errors[name] =
          error.code === 'CONFLICT'
            ? msg(name.endsWith('creditCode') ? 'validation.takenCreditCode' : 'validation.taken')
            : (local[name] ??
              (text || error.fieldIssues?.[path] ? serverFieldMessage(error, path) : msg('validation.required')));
      } else if (text) unplaced.push(text);
    }
    const base = failureTitle(error, this.#codes);
    const detail = [base.detail, ...unplaced].filter(Boolean).join(' ') || undefined;
    return { errors, formError: { title: base.title, detail } };
  }
}
