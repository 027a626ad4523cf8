import type { ComponentChildren } from 'preact';

/** error: something failed; ok: something worked; notice: something the person must do next. */
export function Alert({
  kind,
  title,
  children,
}: {
  kind: 'error' | 'ok' | 'notice';
  title?: string;
  children?: ComponentChildren;
}) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {title ? <strong>{title}</strong> : null}
      {children}
    </div>
  );
}
