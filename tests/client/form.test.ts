import { createSignUpForm, signUpRequest } from '../../client/src/state/forms';
import { createChangePasswordForm } from '../../client/src/state/forms';
import { aCreditCode, aMe, failure } from './fake-api';
import type { SignUpValues } from '../../client/src/state/forms';

function filledSignUp(): ReturnType<typeof createSignUpForm> {
  const form = createSignUpForm();
  const values: Partial<SignUpValues> = {
    'organisation.name': '进贤县绿源蔬菜专业合作社',
    'organisation.creditCode': aCreditCode().toLowerCase(),
    'organisation.address.county': '进贤县',
    'user.displayName': '李明',
    'user.phone': '138 0013 8000',
    'user.password': '春天的韭菜长得真快呀',
  };
  for (const [k, v] of Object.entries(values)) form.set(k as keyof SignUpValues, v);
  return form;
}

describe('sign-up form', () => {
  it('defaults the address to 江西省 南昌市', () => {
    const { values } = createSignUpForm().state;
    expect([values['organisation.address.province'], values['organisation.address.city']]).toEqual([
      '江西省',
      '南昌市',
    ]);
  });

  it('does not call the server while required fields are empty, and names each one', async () => {
    const form = createSignUpForm();
    const action = jest.fn();
    expect(await form.submit(action)).toBeNull();
    expect(action).not.toHaveBeenCalled();
    expect(Object.keys(form.state.errors).sort()).toEqual(
      [
        'organisation.address.county',
        'organisation.creditCode',
        'organisation.name',
        'user.displayName',
        'user.password',
        'user.phone',
      ].sort(),
    );
    expect(form.state.formError?.title).toEqual({ key: 'common.fixFields' });
  });

  it('sends a normalised request: upper-case code, phone without spaces, empty optional parts left out', () => {
    const form = filledSignUp();
    const body = signUpRequest(form.state.values, 'zh-CN');
    expect(body.organisation.creditCode).toMatch(/^[0-9A-Z]{18}$/);
    expect(body.user.phone).toBe('13800138000');
    expect(body.user.email).toBeUndefined();
    expect(body.organisation.address.township).toBeUndefined();
    expect(body.kind).toBe('farm');
  });

  it('puts a duplicate credit code (409) on the credit code field, in the person’s language', async () => {
    const form = filledSignUp();
    const result = await form.submit(async () =>
      failure(409, 'CONFLICT', { 'organisation.creditCode': 'Credit code already registered' }),
    );
    expect(result).toBeNull();
    expect(form.state.errors['organisation.creditCode']).toEqual({ key: 'validation.takenCreditCode' });
    expect(form.state.formError?.title).toEqual({ key: 'errors.conflict' });
  });

  it('shows a server message for a field the client has no check for', async () => {
    const form = filledSignUp();
    await form.submit(async () => failure(400, 'VALIDATION', { 'organisation.name': 'Too long' }));
    expect(form.state.errors['organisation.name']).toEqual({ text: 'Too long' });
  });

  it('asks an email-only sign-up for the organisation’s contact mobile, and sends it', async () => {
    const form = filledSignUp();
    form.set('user.phone', '');
    form.set('user.email', 'chef@example.com');
    expect(await form.submit(jest.fn())).toBeNull();
    expect(form.state.errors['organisation.contactPhone']).toEqual({ key: 'validation.required' });
    form.set('organisation.contactPhone', '139 0791 0001');
    const body = signUpRequest(form.state.values, 'zh-CN');
    expect([body.user.phone, body.user.email, body.organisation.contactPhone]).toEqual([
      undefined,
      'chef@example.com',
      '13907910001',
    ]);
  });

  it('asks for a phone or an email, and leaves the contact mobile out when the person gave a phone', async () => {
    const form = createSignUpForm();
    await form.submit(jest.fn());
    expect(form.state.errors['user.phone']).toEqual({ key: 'validation.contact' });
    expect(signUpRequest(filledSignUp().state.values, 'zh-CN').organisation.contactPhone).toBeUndefined();
  });

  it('shows the server’s own message for an error code the client does not know', async () => {
    const form = filledSignUp();
    await form.submit(async () => failure(418, 'TEAPOT', {}, 'I am a teapot'));
    expect(form.state.formError).toEqual({ title: { text: 'I am a teapot' }, detail: undefined });
  });

  it('ignores a second tap on submit while the first is in flight', async () => {
    const form = filledSignUp();
    type Answer = { ok: true; data: ReturnType<typeof aMe> };
    let release: (v: Answer) => void = () => undefined;
    const first = form.submit(() => new Promise<Answer>((resolve) => (release = resolve)));
    const second = await form.submit(async () => ({ ok: true, data: aMe() }));
    expect(second).toBeNull();
    expect(form.state.submitting).toBe(true);
    release({ ok: true, data: aMe() });
    expect(await first).not.toBeNull();
    expect(form.state.submitting).toBe(false);
  });
});

describe('change-password form', () => {
  it('explains a wrong current password as such, not as a failed sign-in', async () => {
    const form = createChangePasswordForm(['13800138000']);
    form.set('currentPassword', 'Temp-otp-123');
    form.set('newPassword', '春天的韭菜长得真快呀');
    form.set('confirm', '春天的韭菜长得真快呀');
    await form.submit(async () => failure(401, 'INVALID_CREDENTIALS'));
    expect(form.state.formError?.title).toEqual({ key: 'password.wrongCurrent' });
  });

  it('catches a mistyped confirmation before asking the server', async () => {
    const form = createChangePasswordForm([]);
    form.set('currentPassword', 'x');
    form.set('newPassword', '春天的韭菜长得真快呀');
    form.set('confirm', '春天的韭菜长得真快');
    expect(await form.submit(jest.fn())).toBeNull();
    expect(form.state.errors.confirm).toEqual({ key: 'validation.passwordMatch' });
  });
});
