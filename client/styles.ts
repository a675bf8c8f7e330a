// Shared look: system font, calm colours, cards, buttons and fields (Lit adoptedStyleSheets, CSP-safe).
import { css } from 'lit';

/** Colours and spacing as custom properties; they inherit through every shadow root. */
export const tokens = css`
  :host {
    --fg: #1d2330;
    --muted: #5b6475;
    --bg: #f5f6f8;
    --card: #ffffff;
    --line: #dfe2e8;
    --accent: #2456d6;
    --accent-fg: #ffffff;
    --danger: #b42318;
    --ok: #17663a;
    --warn-bg: #fff6e0;
    --warn-line: #e8b341;
    --radius: 10px;
    --gap: 1rem;
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
    color: var(--fg);
    line-height: 1.5;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --fg: #e7e9ee;
      --muted: #a2a9b7;
      --bg: #14171d;
      --card: #1d2129;
      --line: #333a46;
      --accent: #7aa2ff;
      --accent-fg: #0d1424;
      --danger: #ff8a80;
      --ok: #6fd39a;
      --warn-bg: #3a2f12;
      --warn-line: #a57d1f;
    }
  }
`;

/** Cards, headings, buttons, fields and messages used by every view. */
export const base = css`
  * {
    box-sizing: border-box;
  }
  h1,
  h2,
  h3 {
    line-height: 1.25;
    margin: 0 0 0.75rem;
  }
  h1 {
    font-size: 1.5rem;
  }
  h2 {
    font-size: 1.15rem;
  }
  p {
    margin: 0 0 0.75rem;
  }
  .card {
    background: var(--card);
    border: 1px solid var(--line);
    border-radius: var(--radius);
    padding: 1.25rem;
  }
  .muted {
    color: var(--muted);
    font-size: 0.925rem;
  }
  .field {
    display: grid;
    gap: 0.3rem;
    margin-bottom: 0.9rem;
  }
  label {
    font-weight: 600;
    font-size: 0.95rem;
  }
  input {
    font: inherit;
    color: inherit;
    background: var(--card);
    border: 1px solid var(--line);
    border-radius: 8px;
    padding: 0.6rem 0.7rem;
    width: 100%;
  }
  input:focus-visible,
  button:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--accent) 45%, transparent);
    outline-offset: 2px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.6rem;
    align-items: center;
  }
  button {
    font: inherit;
    font-weight: 600;
    border-radius: 8px;
    padding: 0.55rem 1rem;
    cursor: pointer;
    border: 1px solid var(--accent);
    background: transparent;
    color: var(--accent);
    min-height: 2.5rem;
  }
  button.primary {
    background: var(--accent);
    color: var(--accent-fg);
  }
  button.danger {
    border-color: var(--danger);
    color: var(--danger);
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  .alert,
  .status {
    border-radius: 8px;
    padding: 0.6rem 0.8rem;
    margin: 0 0 0.9rem;
  }
  .alert {
    border: 1px solid color-mix(in srgb, var(--danger) 50%, transparent);
    color: var(--danger);
    background: color-mix(in srgb, var(--danger) 8%, var(--card));
  }
  .status {
    border: 1px solid color-mix(in srgb, var(--ok) 45%, transparent);
    color: var(--ok);
    background: color-mix(in srgb, var(--ok) 8%, var(--card));
  }
  .status.neutral {
    border-color: var(--line);
    color: var(--fg);
    background: var(--bg);
  }
`;
