import { useState } from 'preact/hooks';
import { useApp } from '../context';

/** Copies text; falls back to selecting it when the clipboard API is unavailable (plain http). */
export function CopyButton({ text, targetId }: { text: string; targetId: string }) {
  const { t } = useApp();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      const el = document.getElementById(targetId);
      if (el) {
        const range = document.createRange();
        range.selectNodeContents(el);
        const sel = window.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
      }
    }
  };
  return (
    <button type="button" class="secondary" onClick={copy} aria-live="polite">
      {copied ? t('common.copied') : t('common.copy')}
    </button>
  );
}
