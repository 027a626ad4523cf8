/** The app's forms: initial values, validators and how values become request bodies. */
import type { AddMemberRequest, LoginRequest, SignupKind, SignupRequest } from '../../../shared/schemas/accounts';
import type { Locale } from '../i18n';
import { FormStore, type FieldErrors } from './form';
import { msg } from './message';
import {
  creditCodeFeedback,
  emailProblem,
  newPasswordProblem,
  normaliseCreditCode,
  normalisePhone,
  phoneProblem,
  required,
} from './validation';

function collect(entries: [string, ReturnType<typeof required>][]): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, m] of entries) if (m) out[k] = m;
  return out;
}

// ---------------------------------------------------------------- sign up

export type SignUpValues = {
  kind: SignupKind;
  'organisation.name': string;
  'organisation.creditCode': string;
  /** Asked for only when the person signs up without a mobile number of their own. */
  'organisation.contactPhone': string;
  'organisation.address.province': string;
  'organisation.address.city': string;
  'organisation.address.county': string;
  'organisation.address.township': string;
  'organisation.address.village': string;
  'user.displayName': string;
  'user.phone': string;
  'user.email': string;
  'user.password': string;
};

const emptySignUp = (): SignUpValues => ({
  kind: 'farm',
  'organisation.name': '',
  'organisation.creditCode': '',
  'organisation.contactPhone': '',
  'organisation.address.province': '江西省',
  'organisation.address.city': '南昌市',
  'organisation.address.county': '',
  'organisation.address.township': '',
  'organisation.address.village': '',
  'user.displayName': '',
  'user.phone': '',
  'user.email': '',
  'user.password': '',
});

function validateSignUp(v: SignUpValues, final: boolean): FieldErrors {
  const credit = creditCodeFeedback(v['organisation.creditCode'], final);
  const noContact = final && !v['user.phone'].trim() && !v['user.email'].trim();
  const entries: [string, ReturnType<typeof required>][] = [
    ['organisation.creditCode', credit.state === 'error' ? credit.message : null],
    ['user.phone', noContact ? msg('validation.contact') : phoneProblem(v['user.phone'])],
    ['user.email', emailProblem(v['user.email'])],
    [
      'user.password',
      final || v['user.password']
        ? newPasswordProblem(v['user.password'], [normalisePhone(v['user.phone']), v['user.email'].trim()])
        : null,
    ],
  ];
  if (needsContactPhone(v)) {
    const contact = v['organisation.contactPhone'];
    entries.push([
      'organisation.contactPhone',
      final && !contact.trim() ? msg('validation.required') : phoneProblem(contact),
    ]);
  }
  if (final) {
    for (const k of [
      'organisation.name',
      'organisation.address.province',
      'organisation.address.city',
      'organisation.address.county',
      'user.displayName',
    ] as const) {
      entries.push([k, required(v[k])]);
    }
  }
  return collect(entries);
}

/**
 * The organisation needs a contact mobile; the server takes the person's own. Someone who signs
 * up with an email only is asked for the organisation's number instead.
 */
export const needsContactPhone = (v: SignUpValues): boolean =>
  !v['user.phone'].trim() && Boolean(v['user.email'].trim());

const optionalText = (s: string) => (s.trim() ? s.trim() : undefined);

export function signUpRequest(v: SignUpValues, locale: Locale): SignupRequest {
  return {
    kind: v.kind,
    organisation: {
      name: v['organisation.name'].trim(),
      creditCode: normaliseCreditCode(v['organisation.creditCode']),
      contactPhone: needsContactPhone(v) ? normalisePhone(v['organisation.contactPhone']) : undefined,
      address: {
        province: v['organisation.address.province'].trim(),
        city: v['organisation.address.city'].trim(),
        county: v['organisation.address.county'].trim(),
        township: optionalText(v['organisation.address.township']),
        village: optionalText(v['organisation.address.village']),
      },
    },
    user: {
      displayName: v['user.displayName'].trim(),
      phone: optionalText(normalisePhone(v['user.phone'])),
      email: optionalText(v['user.email']),
      password: v['user.password'],
      locale,
    },
  };
}

export const createSignUpForm = () => new FormStore<SignUpValues>(emptySignUp(), validateSignUp);

// ---------------------------------------------------------------- sign in

export type SignInValues = { login: string; password: string };

const validateSignIn = (v: SignInValues, final: boolean): FieldErrors =>
  final
    ? collect([
        ['login', required(v.login)],
        ['password', v.password ? null : msg('validation.required')],
      ])
    : {};

export const signInRequest = (v: SignInValues): LoginRequest => ({ login: v.login.trim(), password: v.password });

export const createSignInForm = () => new FormStore<SignInValues>({ login: '', password: '' }, validateSignIn);

// ---------------------------------------------------------------- change password

export type ChangePasswordValues = { currentPassword: string; newPassword: string; confirm: string };

function validateChangePassword(v: ChangePasswordValues, final: boolean, logins: readonly string[] = []): FieldErrors {
  return collect([
    ['currentPassword', final && !v.currentPassword ? msg('validation.required') : null],
    ['newPassword', final || v.newPassword ? newPasswordProblem(v.newPassword, logins) : null],
    ['confirm', (final || v.confirm) && v.confirm !== v.newPassword ? msg('validation.passwordMatch') : null],
  ]);
}

export const createChangePasswordForm = (logins: readonly string[]) =>
  new FormStore<ChangePasswordValues>(
    { currentPassword: '', newPassword: '', confirm: '' },
    (v, f) => validateChangePassword(v, f, logins),
    {
      codes: { INVALID_CREDENTIALS: 'password.wrongCurrent' },
    },
  );

// ---------------------------------------------------------------- add colleague

export type AddMemberValues = { displayName: string; phone: string; email: string; role: 'manager' | 'member' };

function validateAddMember(v: AddMemberValues, final: boolean): FieldErrors {
  return collect([
    ['displayName', final ? required(v.displayName) : null],
    ['phone', final && !v.phone.trim() && !v.email.trim() ? msg('validation.contact') : phoneProblem(v.phone)],
    ['email', emailProblem(v.email)],
  ]);
}

export const addMemberRequest = (v: AddMemberValues, locale: Locale): AddMemberRequest => ({
  displayName: v.displayName.trim(),
  phone: optionalText(normalisePhone(v.phone)),
  email: optionalText(v.email),
  role: v.role,
  locale,
});

export const createAddMemberForm = () =>
  new FormStore<AddMemberValues>({ displayName: '', phone: '', email: '', role: 'member' }, validateAddMember);

// ---------------------------------------------------------------- API token

export type TokenValues = { name: string };
export const createTokenForm = () =>
  new FormStore<TokenValues>({ name: '' }, (v, final) => collect([['name', final ? required(v.name) : null]]));
