import type { ComponentChildren } from 'preact';

export function Alert({ kind, title, children }: { kind: 'error' | 'ok'; title?: string; children?: ComponentChildren }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {title ? <strong>{title}</strong> : null}
      {children}
    </div>
  );
}
